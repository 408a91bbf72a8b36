"""The JSON error document, and the middleware that makes sure every error
response is one.

Every 4xx and 5xx answers::

    {"errors": [{"status": 404, "title": "Not Found", "detail": "...",
                 "request_id": "req-...", "code": "placement..."}]}

with ``code`` from microversion 1.23 on.
"""
import json

from oslo_db import exception as db_exc
from oslo_log import log as logging
from oslo_middleware import request_id as request_id_middleware
import webob
import webob.dec
import webob.util

from placement import errors
from placement import exception
from placement import microversion

LOG = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = ('The placement database is unreachable: the request '
                        'may not have been carried out. Retry it later.')

CODES_FROM = (1, 23)


def _wants_code(environ):
    version = environ.get(microversion.ENVIRON_KEY)
    return version is not None and version.matches(CODES_FROM)


def error_body(environ, status, detail, code=errors.DEFAULT):
    error = {
        'status': status,
        'title': webob.util.status_reasons.get(status, 'Error'),
        'detail': detail,
        'request_id': environ.get(request_id_middleware.ENV_REQUEST_ID),
    }
    if _wants_code(environ):
        error['code'] = code
    return {'errors': [error]}


def error_response(environ, status, detail, code=errors.DEFAULT,
                   headers=None):
    response = webob.Response(status=status, charset='utf-8',
                              content_type='application/json')
    response.text = json.dumps(error_body(environ, status, detail, code))
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def response_for(environ, error):
    """The JSON response for a PlacementError."""
    return error_response(environ, error.status, error.detail, error.code,
                          error.headers)


def answers_errors(middleware_call):
    """Decorate a middleware's __call__ so that a PlacementError it raises
    becomes its JSON response, which then passes back out through the
    middlewares around it (CORS adds its headers to it, for one)."""
    def call(self, environ, start_response):
        try:
            return middleware_call(self, environ, start_response)
        except exception.PlacementError as exc:
            return response_for(environ, exc)(environ, start_response)
    return call


def _is_error_document(response):
    if response.content_type != 'application/json':
        return False
    try:
        return 'errors' in json.loads(response.body)
    except ValueError:
        return False


def _detail_of(response):
    """What an error response from a library (a 401 from
    keystonemiddleware, a CORS refusal) says, as plain text."""
    try:
        document = json.loads(response.body)
    except ValueError:
        return response.text.strip() or response.status
    if isinstance(document, dict):
        inner = document.get('error', document)
        if isinstance(inner, dict) and 'message' in inner:
            return inner['message']
    return response.status


class FaultMiddleware:
    """Turn whatever goes wrong below into the JSON error document."""

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req):
        try:
            response = req.get_response(self.application)
        except exception.PlacementError as exc:
            return response_for(req.environ, exc)
        except db_exc.DBConnectionError:
            # oslo.db's name for a database that cannot be reached, or a
            # connection lost in the middle of a transaction (which the
            # database then rolls back). The pool replaces dead
            # connections, so a later request may well succeed.
            LOG.warning('The database is unreachable while serving %s %s',
                        req.method, req.path, exc_info=True)
            return error_response(req.environ, 503, DATABASE_UNAVAILABLE,
                                  headers={'Retry-After': '1'})
        except Exception:
            LOG.exception('Unexpected error while serving %s %s',
                          req.method, req.path)
            return error_response(
                req.environ, 500,
                'An unexpected error prevented the request from being '
                'served. The service log has the details.')
        if response.status_int >= 400 and not _is_error_document(response):
            wrapped = error_response(req.environ, response.status_int,
                                     _detail_of(response))
            for name in ('WWW-Authenticate', 'Allow', microversion.HEADER,
                         'Vary'):
                if name in response.headers:
                    wrapped.headers[name] = response.headers[name]
            return wrapped
        return response
