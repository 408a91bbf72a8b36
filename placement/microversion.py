"""API microversions: the supported list, and microversion_parse's
middleware that reads the ``OpenStack-API-Version: placement X.Y`` request
header."""
import functools

from microversion_parse import middleware as mp_middleware
import webob.exc

from placement import exception

SERVICE_TYPE = 'placement'
ENVIRON_KEY = 'placement.microversion'
HEADER = 'OpenStack-API-Version'
JSON = 'application/json'

VERSIONS = [
    '1.0',   # initial API
    '1.1',   # resource provider aggregates
    '1.2',   # /resource_classes
    '1.3',   # member_of filter on GET /resource_providers
    '1.4',   # resources filter on GET /resource_providers
    '1.5',   # DELETE /resource_providers/{uuid}/inventories
    '1.6',   # /traits and /resource_providers/{uuid}/traits
    '1.7',   # PUT /resource_classes/{name} creates, without a body
    '1.8',   # project_id and user_id required in PUT /allocations
    '1.9',   # GET /usages
    '1.10',  # GET /allocation_candidates
    '1.11',  # allocations link on resource providers
    '1.12',  # dict body for PUT /allocations; project and user in GET
    '1.13',  # POST /allocations for many consumers
    '1.14',  # nested providers: parent and root provider uuids
    '1.15',  # last-modified and cache-control headers
    '1.16',  # limit on GET /allocation_candidates
    '1.17',  # required traits on GET /allocation_candidates
    '1.18',  # required traits on GET /resource_providers
    '1.19',  # generation in provider aggregates
    '1.20',  # POST /resource_providers answers with the provider
    '1.21',  # member_of on GET /allocation_candidates
    '1.22',  # forbidden traits
    '1.23',  # code in error responses
    '1.24',  # repeated member_of
    '1.25',  # granular request groups in candidates
    '1.26',  # inventory reserved may equal total
    '1.27',  # every inventory of a provider in provider_summaries
    '1.28',  # consumer generations
    '1.29',  # nested providers in candidates
    '1.30',  # POST /reshaper
    '1.31',  # in_tree on GET /allocation_candidates
    '1.32',  # forbidden aggregates
    '1.33',  # string suffixes for request groups
    '1.34',  # mappings in allocation requests
    '1.35',  # root_required on GET /allocation_candidates
    '1.36',  # same_subtree on GET /allocation_candidates
    '1.37',  # re-parenting and un-parenting providers
    '1.38',  # consumer types
    '1.39',  # any-of traits with in: in required
]

MIN_VERSION = VERSIONS[0]
MAX_VERSION = VERSIONS[-1]


def of(environ):
    """The microversion the request asked for."""
    return environ[ENVIRON_KEY]


# The Accept header the client sent, kept aside while microversion_parse
# looks at the request.
_CLIENT_ACCEPT = 'placement.client_accept'


def middleware(application, error_document):
    """microversion_parse's middleware around ``application``.

    It records the requested version in the environ (``of`` reads it),
    names it in the ``OpenStack-API-Version`` and ``Vary`` headers of every
    response the application gives, and refuses a malformed version (400)
    or one outside VERSIONS (406) itself, in a webob error response.

    What it cannot do alone: write its refusals as our error document
    whatever the client accepts. webob writes HTML or plain text unless the
    request's Accept header prefers JSON. So the library sees an Accept of
    JSON, and the client's own header is put back before ``application``
    runs. ``error_document(environ, status, detail)`` makes the document.
    """
    def restore_client_accept(environ, start_response):
        _set_accept(environ, environ.pop(_CLIENT_ACCEPT))
        return application(environ, start_response)

    parse_version = mp_middleware.MicroversionMiddleware(
        restore_client_accept, SERVICE_TYPE, VERSIONS,
        json_error_formatter=_formatter(error_document))

    def versioned_application(environ, start_response):
        environ[_CLIENT_ACCEPT] = environ.get('HTTP_ACCEPT')
        environ['HTTP_ACCEPT'] = JSON
        try:
            return parse_version(environ, start_response)
        finally:
            # Refused before the application ran: put the header back all
            # the same, for the middlewares outside.
            if _CLIENT_ACCEPT in environ:
                _set_accept(environ, environ.pop(_CLIENT_ACCEPT))

    return versioned_application


def _set_accept(environ, value):
    if value is None:
        environ.pop('HTTP_ACCEPT', None)
    else:
        environ['HTTP_ACCEPT'] = value


def _formatter(error_document):
    """webob's json_formatter signature, answering ``error_document``."""
    def format_refusal(body, status, title, environ):
        status_code = int(status.split(None, 1)[0])
        # webob's explanation is HTML: its line break is <br />.
        document = error_document(environ, status_code,
                                  webob.exc.strip_tags(body))
        if status_code == 406:
            # As OpenStack Placement does: say what is supported.
            document['errors'][0].update(min_version=MIN_VERSION,
                                         max_version=MAX_VERSION)
        return document
    return format_refusal


def since(minimum, absent=exception.NotFound):
    """Decorate a handler that exists only from microversion ``minimum``
    on; below it the request gets ``absent`` (404 by default; 405 where
    only the method is new). The router refuses such a request before it
    looks at anything else (``refuse_if_absent``); the handler checks
    again, whoever calls it."""
    def decorator(handler):
        @functools.wraps(handler)
        def versioned_handler(req):
            refuse_if_absent(versioned_handler, req)
            return handler(req)
        versioned_handler.minimum_version = minimum
        versioned_handler.absent = absent
        return versioned_handler
    return decorator


def refuse_if_absent(handler, req):
    """Raise what a handler decorated with ``since`` answers below its
    microversion; nothing for any other handler."""
    minimum = getattr(handler, 'minimum_version', None)
    if minimum is None or of(req.environ).matches(minimum):
        return
    if handler.absent is exception.MethodNotAllowed:
        # As OpenStack Placement says it, with no Allow header: the
        # methods allowed depend on the microversion.
        raise exception.MethodNotAllowed(
            'The method %s is not allowed for this resource.' % req.method)
    # The Version is a tuple: wrap it so that % sees one value.
    raise exception.NotFound(
        'The resource could not be found at microversion %s.'
        % (of(req.environ),))
