"""The request context: who is asking, and what policy lets them do."""
from oslo_context import context
from oslo_db.sqlalchemy import enginefacade

from placement import exception
from placement import fault
from placement import policy

ENVIRON_KEY = 'placement.context'


@enginefacade.transaction_context_provider
class RequestContext(context.RequestContext):

    def __init__(self, *args, config=None, db=None, enforcer=None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.config = config
        self.db = db
        self.enforcer = enforcer

    def can(self, action, target=None, fatal=True):
        """Whether policy allows ``action``; with ``fatal``, raise a 403
        when it does not."""
        if target is None:
            target = {'project_id': self.project_id,
                      'user_id': self.user_id}
        allowed = policy.authorize(self.enforcer, self, action, target)
        if not allowed and fatal:
            raise exception.Forbidden(
                'Policy does not allow %s to be performed.' % action)
        return allowed


def of(environ):
    return environ[ENVIRON_KEY]


class ContextMiddleware:
    """Build the RequestContext from the identity headers that the
    authentication middleware left."""

    def __init__(self, application, config, db, enforcer):
        self.application = application
        self.config = config
        self.db = db
        self.enforcer = enforcer

    @fault.answers_errors
    def __call__(self, environ, start_response):
        ctx = RequestContext.from_environ(
            environ, config=self.config, db=self.db, enforcer=self.enforcer)
        if ctx.user_id is None and environ.get('PATH_INFO', '/') != '/':
            raise exception.Unauthorized(
                'The request carries no user identity.')
        environ[ENVIRON_KEY] = ctx
        return self.application(environ, start_response)
