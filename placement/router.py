"""The route table, and the WSGI application that dispatches by it.

Path parameters are matched loosely (anything but a slash): a malformed
UUID reaches its handler, which answers with a 400 or 404 that says what
was wrong.
"""
import routes
import webob

from placement import errors
from placement import exception
from placement import fault
from placement import jsonio
from placement.handlers import aggregate
from placement.handlers import allocation
from placement.handlers import inventory
from placement.handlers import provider_trait
from placement.handlers import resource_class
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
    '/allocations/{consumer_uuid}': {
        'GET': allocation.list_for_consumer,
        'PUT': allocation.set_allocations_for_consumer,
        'DELETE': allocation.delete_allocations,
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

JSON = jsonio.JSON
_BODY_METHODS = ('PUT', 'POST', 'PATCH')


class Router:
    """Dispatch a request to the handler its path and method name."""

    def __init__(self, route_table, max_body_size):
        self.max_body_size = max_body_size
        self.mapper = routes.Mapper()
        for path, methods in route_table.items():
            for method, handler in methods.items():
                self.mapper.connect(path, handler=handler,
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
        match = self.mapper.match(environ=req.environ)
        if match is None:
            raise exception.NotFound('The resource could not be found.')
        handler = match.pop('handler')
        if handler is None:
            raise exception.MethodNotAllowed(
                'This resource does not accept the %s method.'
                % req.method, headers={'Allow': match['allowed']})
        self._check_accept(req)
        if req.method in _BODY_METHODS:
            self._check_body(req)
        req.urlvars = {key: value for key, value in match.items()
                       if key not in ('allowed', 'controller', 'action')}
        self._refuse_nul(req)
        return handler(req)

    @staticmethod
    def _refuse_nul(req):
        # No name, uuid or filter holds a NUL character, and some
        # databases (PostgreSQL) cannot even compare one.
        values = list(req.urlvars.values())
        try:
            values += [item for pair in req.GET.items() for item in pair]
        except UnicodeDecodeError:
            raise exception.BadRequest('The query string is not UTF-8.',
                                       code=errors.QUERYPARAM_BAD_VALUE)
        if any('\x00' in value for value in values):
            raise exception.BadRequest(
                'The path or query string contains a NUL character.')

    @staticmethod
    def _check_accept(req):
        if req.accept and not req.accept.acceptable_offers([JSON]):
            raise exception.NotAcceptable(
                'Only application/json is offered; the Accept header '
                'excludes it.')

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
