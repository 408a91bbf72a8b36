"""API microversions: the supported list and the middleware that reads the
``OpenStack-API-Version: placement X.Y`` request header."""
import functools

import microversion_parse

from placement import exception

SERVICE_TYPE = 'placement'
ENVIRON_KEY = 'placement.microversion'
HEADER = 'OpenStack-API-Version'

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


class MicroversionMiddleware:
    """Record the requested microversion in the environ and name it in
    every response."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        response_header = None

        def start_with_version(status, headers, exc_info=None):
            if response_header is not None:
                headers.append((HEADER, response_header))
                headers.append(('Vary', HEADER.lower()))
            return start_response(status, headers, exc_info)

        version = self._requested_version(environ)
        environ[ENVIRON_KEY] = version
        response_header = '%s %s' % (SERVICE_TYPE, version)
        return self.application(environ, start_with_version)

    @staticmethod
    def _requested_version(environ):
        headers = {key[5:].replace('_', '-').lower(): value
                   for key, value in environ.items()
                   if key.startswith('HTTP_')}
        try:
            return microversion_parse.extract_version(
                headers, SERVICE_TYPE, VERSIONS)
        except ValueError as exc:
            raise exception.NotAcceptable(
                'Invalid microversion: %s. Supported versions are %s to %s.'
                % (exc, MIN_VERSION, MAX_VERSION))
        except TypeError as exc:
            raise exception.BadRequest('Invalid microversion: %s' % exc)


def since(minimum, absent=exception.NotFound):
    """Decorate a handler that exists only from microversion ``minimum``
    on; below it the request gets ``absent`` (404 by default; 405 where
    only the method is new)."""
    def decorator(handler):
        @functools.wraps(handler)
        def versioned_handler(req):
            if not of(req.environ).matches(minimum):
                if absent is exception.MethodNotAllowed:
                    raise exception.MethodNotAllowed(
                        'This resource does not accept the %s method at '
                        'microversion %s.' % (req.method, of(req.environ)))
                # The Version is a tuple: wrap it so that % sees one value.
                raise exception.NotFound(
                    'The resource could not be found at microversion %s.'
                    % (of(req.environ),))
            return handler(req)
        return versioned_handler
    return decorator
