"""Build the WSGI application: the middleware stack around the router."""
import gc

from oslo_middleware import cors
from oslo_middleware import request_id

from placement import auth
from placement import context
from placement.db import api as db_api
from placement.db import migration
from placement import fault
from placement import microversion
from placement.objects import standard
from placement import policy
from placement import requestlog
from placement import router

_CORS_HEADERS = ['X-Auth-Token', 'X-Openstack-Request-Id',
                 'X-Identity-Status', 'X-Roles', 'X-Service-Catalog',
                 'X-User-Id', 'X-Tenant-Id', microversion.HEADER]


def prepare_database(conf):
    """The Database, migrated if configured so and holding the standard
    resource classes and traits."""
    if not conf.placement_database.connection:
        raise RuntimeError(
            'No database is configured: set [placement_database] '
            'connection (or OS_PLACEMENT_DATABASE__CONNECTION).')
    db = db_api.Database(conf)
    if conf.placement_database.sync_on_startup:
        migration.upgrade(db.engine)
    elif not migration.is_current(db.engine):
        raise RuntimeError(
            'The database schema is not at the current revision: run '
            '"placement-manage db sync", or set [placement_database] '
            'sync_on_startup.')
    standard.ensure_synced(db)
    return db


def make_app(conf, db=None):
    """The placement WSGI application for a parsed configuration."""
    db = db or prepare_database(conf)
    enforcer = policy.make_enforcer(conf)
    app = router.Router(router.ROUTES, conf.api.max_request_body_size)
    app = context.ContextMiddleware(app, conf, db, enforcer)
    app = auth.middleware(app, conf)
    if conf.cors.allowed_origin:
        cors.set_defaults(
            allow_headers=_CORS_HEADERS,
            expose_headers=_CORS_HEADERS,
            allow_methods=['GET', 'PUT', 'POST', 'DELETE', 'PATCH'])
        app = cors.CORS(app, conf)
    app = microversion.middleware(app, fault.error_body)
    app = fault.FaultMiddleware(app)
    app = requestlog.RequestLogMiddleware(app)
    return request_id.RequestId(app)


def freeze_start_up_objects():
    """For a server process, once its application is built: what
    start-up made lives as long as the process, and kept out of the
    collector's sight the full collections that large requests trigger no
    longer walk it (they took half of a large candidates request's
    time)."""
    gc.collect()
    gc.freeze()
