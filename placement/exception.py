"""Every error the service reports, each with its HTTP status.

Objects raise these for domain failures (a missing provider, a stale
generation); handlers raise them for bad requests. Whatever is raised is
turned into the JSON error document by placement.fault, with the status
and code given here.
"""
from placement import errors


class PlacementError(Exception):
    status = 500
    code = errors.DEFAULT

    def __init__(self, detail, code=None, headers=None):
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.headers = headers or {}


class BadRequest(PlacementError):
    status = 400


class Unauthorized(PlacementError):
    status = 401


class Forbidden(PlacementError):
    status = 403


class NotFound(PlacementError):
    status = 404


class MethodNotAllowed(PlacementError):
    status = 405


class NotAcceptable(PlacementError):
    status = 406


class Conflict(PlacementError):
    status = 409


class RequestTooLarge(PlacementError):
    status = 413


class UnsupportedMediaType(PlacementError):
    status = 415


class ServiceUnavailable(PlacementError):
    status = 503


class NotImplementedYet(PlacementError):
    status = 501


# Domain failures, named for what went wrong.

class ConcurrentUpdate(Conflict):
    code = errors.CONCURRENT_UPDATE


class DuplicateName(Conflict):
    code = errors.DUPLICATE_NAME


class ResourceProviderNotFound(NotFound):
    # The generic code, as OpenStack Placement gives a missing provider;
    # errors.RESOURCE_PROVIDER_NOT_FOUND is for the reshaper's 400s.
    pass


class ResourceClassNotFound(NotFound):
    pass


class TraitNotFound(NotFound):
    pass


class ResourceClassExists(Conflict):
    # The generic code, as OpenStack Placement gives it (not
    # DUPLICATE_NAME, which is for provider names).
    pass


class ResourceClassInUse(Conflict):
    pass


class TraitInUse(Conflict):
    pass


class InventoryInUse(Conflict):
    code = errors.INVENTORY_INUSE


class ProviderInUse(Conflict):
    code = errors.PROVIDER_IN_USE


class CannotDeleteParentProvider(Conflict):
    code = errors.PROVIDER_CANNOT_DELETE_PARENT
