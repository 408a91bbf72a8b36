"""Authentication: keystonemiddleware's auth_token, or noauth2 for
development and tests. ``GET /`` needs no authentication either way."""
from keystoneauth1 import exceptions as keystone_exceptions
from keystonemiddleware import auth_token

from placement import exception
from placement import fault

ADMIN_TOKEN = 'admin'
# What OpenStack Placement (webob) says to a request without a token.
UNAUTHORIZED = (
    'This server could not verify that you are authorized to access the '
    'document you requested. Either you supplied the wrong credentials '
    '(e.g., bad password), or your browser does not understand how to '
    'supply the credentials required.')


def _is_root(environ):
    return environ.get('PATH_INFO', '') in ('', '/')


class NoAuthMiddleware:
    """Trust the X-Auth-Token header.

    The token is ``user`` or ``user:project``; the project defaults to the
    user. The roles come from the X-Roles header, else the token ``admin``
    is an admin and any other token has no role. With an
    OpenStack-System-Scope header the request is system scoped and names
    no project.
    """

    def __init__(self, application):
        self.application = application

    @fault.answers_errors
    def __call__(self, environ, start_response):
        if not _is_root(environ):
            self._set_identity(environ)
        return self.application(environ, start_response)

    @staticmethod
    def _set_identity(environ):
        token = environ.get('HTTP_X_AUTH_TOKEN')
        # An empty token names a user without roles, whom policy refuses
        # (403), as in OpenStack Placement; only a missing one is a 401.
        if token is None:
            raise exception.Unauthorized(UNAUTHORIZED)
        user_id, _sep, project_id = token.partition(':')
        if 'HTTP_X_ROLES' in environ:
            roles = environ['HTTP_X_ROLES']
        elif user_id == ADMIN_TOKEN:
            roles = 'admin'
        else:
            roles = ''
        environ['HTTP_X_USER_ID'] = user_id
        if not environ.get('HTTP_OPENSTACK_SYSTEM_SCOPE'):
            environ['HTTP_X_TENANT_ID'] = project_id or user_id
        environ['HTTP_X_ROLES'] = roles


class KeystoneMiddleware(auth_token.AuthProtocol):
    """keystonemiddleware's token validation, except for ``GET /``."""

    def __init__(self, application, conf):
        self._unauthenticated_app = application
        super().__init__(application, {'oslo_config_config': conf})

    @fault.answers_errors
    def __call__(self, environ, start_response):
        if _is_root(environ):
            return self._unauthenticated_app(environ, start_response)
        try:
            return super().__call__(environ, start_response)
        except keystone_exceptions.ClientException as exc:
            # The identity service is unreachable or this service's own
            # credentials for it are wrong: the token cannot be judged.
            raise exception.ServiceUnavailable(
                'The token could not be validated: the identity service '
                'is not available (%s).' % type(exc).__name__)


def middleware(application, conf):
    if conf.api.auth_strategy == 'noauth2':
        return NoAuthMiddleware(application)
    return KeystoneMiddleware(application, conf)
