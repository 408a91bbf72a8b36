"""The route table, and the WSGI application that dispatches by it.

Path parameters are matched loosely (anything but a slash): a malformed
UUID reaches its handler, which answers with a 400 or 404 that says what
was wrong.
"""
import routes
import webob

from placement import exception
from placement import fault
from placement import jsonio
from placement import microversion
from placement.handlers import aggregate
from placement.handlers import allocation
from placement.handlers import allocation_candidate
from placement.handlers import inventory
from placement.handlers import provider_trait
from placement.handlers import resource_class
from placement.handlers import reshaper
from placement.handlers import resource_provider
from placement.handlers import root
from placement.handlers import trait
from placement.handlers import usage

ROUTES = {
    '/': {
        'GET': root.home,
    },
    '/resource_classes': {
        'GET': resource_class.list_resource_classes,
        'POST': resource_class.create_resource_class,
    },
    '/resource_classes/{name}': {
        'GET': resource_class.get_resource_class,
        'PUT': resource_class.update_resource_class,
        'DELETE': resource_class.delete_resource_class,
    },
    '/resource_providers': {
        'GET': resource_provider.list_resource_providers,
        'POST': resource_provider.create_resource_provider,
    },
    '/resource_providers/{uuid}': {
        'GET': resource_provider.get_resource_provider,
        'PUT': resource_provider.update_resource_provider,
        'DELETE': resource_provider.delete_resource_provider,
    },
    '/resource_providers/{uuid}/inventories': {
        'GET': inventory.get_inventories,
        'POST': inventory.create_inventory,
        'PUT': inventory.set_inventories,
        'DELETE': inventory.delete_inventories,
    },
    '/resource_providers/{uuid}/inventories/{resource_class}': {
        'GET': inventory.get_inventory,
        'PUT': inventory.update_inventory,
        'DELETE': inventory.delete_inventory,
    },
    '/resource_providers/{uuid}/usages': {
        'GET': usage.list_usages,
    },
    '/resource_providers/{uuid}/aggregates': {
        'GET': aggregate.get_aggregates,
        'PUT': aggregate.set_aggregates,
    },
    '/resource_providers/{uuid}/allocations': {
        'GET': allocation.list_for_resource_provider,
    },
    '/resource_providers/{uuid}/traits': {
        'GET': provider_trait.list_traits_for_resource_provider,
        'PUT': provider_trait.update_traits_for_resource_provider,
        'DELETE': provider_trait.delete_traits_for_resource_provider,
    },
    '/allocations': {
        'POST': allocation.set_allocations,
    },
    '/allocation_candidates': {
        'GET': allocation_candidate.list_allocation_candidates,
    },
    '/allocations/{consumer_uuid}': {
        'GET': allocation.list_for_consumer,
        'PUT': allocation.set_allocations_for_consumer,
        'DELETE': allocation.delete_allocations,
    },
    '/reshaper': {
        'POST': reshaper.reshape,
    },
    '/traits': {
        'GET': trait.list_traits,
    },
    '/traits/{name}': {
        'GET': trait.get_trait,
        'PUT': trait.put_trait,
        'DELETE': trait.delete_trait,
    },
    '/usages': {
        'GET': usage.get_total_usages,
    },
}

# The requests whose body is JSON, by path and method, with the
# microversion from which the request takes no body (None: never). Their
# media type is checked (415) before the target is looked up or policy
# consulted, as OpenStack Placement does.
JSON_BODIES = {
    ('/resource_classes', 'POST'): None,
    ('/resource_classes/{name}', 'PUT'): resource_class.PUT_CREATES_FROM,
    ('/resource_providers', 'POST'): None,
    ('/resource_providers/{uuid}', 'PUT'): None,
    ('/resource_providers/{uuid}/inventories', 'POST'): None,
    ('/resource_providers/{uuid}/inventories', 'PUT'): None,
    ('/resource_providers/{uuid}/inventories/{resource_class}', 'PUT'): None,
    ('/resource_providers/{uuid}/aggregates', 'PUT'): None,
    ('/resource_providers/{uuid}/traits', 'PUT'): None,
    ('/allocations', 'POST'): None,
    ('/allocations/{consumer_uuid}', 'PUT'): None,
    ('/reshaper', 'POST'): None,
}

# The GETs whose answer is no JSON document (the root's is one that any
# client may read; a trait's is a bodiless 204): the others are refused
# (406) to a client whose Accept header excludes JSON. Writes are not.
NO_JSON_ANSWER = {('/', 'GET'), ('/traits/{name}', 'GET')}

_BODY_METHODS = ('PUT', 'POST', 'PATCH')


class Router:
    """Dispatch a request to the handler its path and method name.

    Before the handler runs, in OpenStack Placement's order: a body needs
    a Content-Type (400, whatever the path), the path must be known (404)
    and take the method (405), the route must exist at the microversion
    (404, or 405 for a method added later), a JSON body must say it is
    JSON (415) and a GET's client must accept JSON (406).
    """

    def __init__(self, route_table, max_body_size):
        self.max_body_size = max_body_size
        self.mapper = routes.Mapper()
        for path, methods in route_table.items():
            for method, handler in methods.items():
                self.mapper.connect(path, handler=handler, template=path,
                                    conditions={'method': [method]})
            # Matches only when no method above did.
            self.mapper.connect(path, handler=None,
                                allowed=', '.join(methods))

    def __call__(self, environ, start_response):
        req = webob.Request(environ)
        try:
            response = self._dispatch(req)
        except exception.PlacementError as exc:
            response = fault.response_for(environ, exc)
        return response(environ, start_response)

    def _dispatch(self, req):
        jsonio.refuse_untyped_body(req)
        match = self.mapper.match(environ=req.environ)
        # The route patterns end with $, which also matches before a
        # trailing newline: "uuid\n" must not name "uuid".
        if match is None or req.environ['PATH_INFO'].endswith('\n'):
            raise exception.NotFound('The resource could not be found.')
        handler = match.pop('handler')
        if handler is None:
            raise exception.MethodNotAllowed(
                method_not_allowed(req.method),
                headers={'Allow': match['allowed']})
        microversion.refuse_if_absent(handler, req)
        target = (match.pop('template'), req.method)
        if self._takes_json(target, req):
            jsonio.require_json(req)
        if req.method == 'GET' and target not in NO_JSON_ANSWER:
            self._check_accept(req)
        if req.method in _BODY_METHODS:
            self._check_body(req)
        req.urlvars = {key: value for key, value in match.items()
                       if key not in ('allowed', 'controller', 'action')}
        self._refuse_nul(req)
        return handler(req)

    @staticmethod
    def _takes_json(target, req):
        if target not in JSON_BODIES:
            return False
        bodiless_from = JSON_BODIES[target]
        return bodiless_from is None or not microversion.of(
            req.environ).matches(bodiless_from)

    @staticmethod
    def _refuse_nul(req):
        # No name, uuid or filter holds a NUL character, and some
        # databases (PostgreSQL) cannot even compare one.
        values = list(req.urlvars.values())
        try:
            values += [item for pair in req.GET.items() for item in pair]
        except UnicodeDecodeError as exc:
            raise exception.BadRequest(
                'Invalid query string parameters: %s' % exc)
        if any('\x00' in value for value in values):
            raise exception.BadRequest(
                'The path or query string contains a NUL character.')

    @staticmethod
    def _check_accept(req):
        if req.accept and not req.accept.acceptable_offers([jsonio.JSON]):
            raise exception.NotAcceptable('Only application/json is provided')

    def _check_body(self, req):
        length = req.content_length
        if length is not None and length > self.max_body_size:
            raise exception.RequestTooLarge(
                'The request body is larger than %d bytes.'
                % self.max_body_size)
        body = req.body_file.read(self.max_body_size + 1)
        if len(body) > self.max_body_size:
            raise exception.RequestTooLarge(
                'The request body is larger than %d bytes.'
                % self.max_body_size)
        req.body = body


def method_not_allowed(method):
    """The detail of a 405, in OpenStack Placement's words."""
    return ('The method %s is not allowed for this resource. The method '
            'specified is not allowed for this resource.' % method)
