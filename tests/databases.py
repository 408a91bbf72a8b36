"""Test databases on SQLite, PostgreSQL and MariaDB/MySQL.

Each pytest worker creates, per backend, one database of its own on the
server, migrates it once, and empties it before every test. The servers are
found through these environment variables (the defaults are the local
servers CI provides):

    PLACEMENT_TEST_POSTGRESQL_URL  a server URL, by default the local
                                   server as user postgres
    PLACEMENT_TEST_MYSQL_URL       by default the local server as root
    PLACEMENT_TEST_BACKENDS        sqlite,postgresql,mysql (those to run)
    PLACEMENT_TEST_REQUIRE_DBS     1 to fail, not skip, when a server is
                                   unreachable, and to refuse to start
                                   unless every backend is selected (CI
                                   sets it)
"""
import contextlib
import os
import uuid

from oslo_config import cfg
import pytest
import sqlalchemy as sa

from placement import conf as placement_conf
from placement.db import api as db_api
from placement.db import migration
from placement.db import tables
from placement.objects import standard

ALL_BACKENDS = ('sqlite', 'postgresql', 'mysql')

SERVER_URLS = {
    'postgresql': os.environ.get(
        'PLACEMENT_TEST_POSTGRESQL_URL',
        'postgresql+psycopg2://postgres@127.0.0.1:5432/postgres'),
    'mysql': os.environ.get(
        'PLACEMENT_TEST_MYSQL_URL',
        'mysql+pymysql://root@127.0.0.1:3306/mysql'),
}

# Children before parents, so that foreign keys never object.
_EMPTY_ORDER = (
    'allocations', 'consumers', 'consumer_types', 'inventories',
    'resource_provider_traits', 'resource_provider_aggregates',
    'placement_aggregates', 'projects', 'users', 'resource_providers',
    'traits', 'resource_classes',
)


def selected_backends():
    names = os.environ.get('PLACEMENT_TEST_BACKENDS', ','.join(ALL_BACKENDS))
    return [name.strip() for name in names.split(',') if name.strip()]


def require_servers():
    return os.environ.get('PLACEMENT_TEST_REQUIRE_DBS') == '1'


def selection_error():
    """Why the backends selected cannot make a valid run, or None.

    A name that is no backend would only fail later, test by test. When
    the servers are required (CI), every backend must be selected: a CI
    run that quietly tests fewer databases would pass for the wrong
    reason.
    """
    selected = selected_backends()
    unknown = [name for name in selected if name not in ALL_BACKENDS]
    if unknown:
        return ('PLACEMENT_TEST_BACKENDS names %s, which %s no backend; '
                'the backends are %s.' % (
                    ', '.join(unknown), 'is' if len(unknown) == 1 else 'are',
                    ', '.join(ALL_BACKENDS)))
    missing = [name for name in ALL_BACKENDS if name not in selected]
    if missing and require_servers():
        return ('PLACEMENT_TEST_REQUIRE_DBS=1 requires every backend (%s), '
                'but PLACEMENT_TEST_BACKENDS=%r leaves out %s.' % (
                    ', '.join(ALL_BACKENDS),
                    os.environ.get('PLACEMENT_TEST_BACKENDS', ''),
                    ', '.join(missing)))
    return None


def unavailable(backend, reason):
    message = '%s is not reachable: %s' % (backend, reason)
    if require_servers():
        pytest.fail(message)
    pytest.skip(message)


def make_conf(url, overrides=None):
    """A configuration for tests: the database at ``url``, noauth2, and
    ``overrides``, a {(group, option): value} dict."""
    conf = cfg.ConfigOpts()
    placement_conf.load([], conf=conf, config_files=[])
    conf.set_override('connection', url, group='placement_database')
    conf.set_override('auth_strategy', 'noauth2', group='api')
    for (group, name), value in (overrides or {}).items():
        conf.set_override(name, value, group=group)
    return conf


class ServerDatabase:
    """A database of this worker's own on a PostgreSQL or MySQL server."""

    def __init__(self, backend, server_url=None, prefix='placement_test'):
        """``server_url``: the server to make it on (SERVER_URLS'
        by default); ``prefix`` begins its name."""
        self.backend = backend
        self.name = '%s_%s' % (prefix, uuid.uuid4().hex[:12])
        server_url = sa.engine.make_url(server_url or SERVER_URLS[backend])
        self._admin_engine = sa.create_engine(
            server_url, isolation_level='AUTOCOMMIT',
            poolclass=sa.pool.NullPool)
        self.url = server_url.set(database=self.name).render_as_string(
            hide_password=False)
        if backend == 'mysql':
            self.url += '?charset=utf8mb4'

    def create(self):
        with self._admin_engine.connect() as conn:
            conn.execute(sa.text('CREATE DATABASE %s' % self.name))

    def drop(self):
        with self._admin_engine.connect() as conn:
            if self.backend == 'postgresql':
                # A pool that a failed test left open must not keep the
                # database alive.
                conn.execute(sa.text(
                    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
                    'WHERE datname = :name AND pid <> pg_backend_pid()'),
                    {'name': self.name})
            conn.execute(sa.text('DROP DATABASE IF EXISTS %s' % self.name))
        self._admin_engine.dispose()


def create_database(backend, tmp_dir):
    """(url, cleanup) for a new, migrated database on ``backend``."""
    if backend == 'sqlite':
        url = 'sqlite:///%s' % os.path.join(
            str(tmp_dir), 'placement-%s.sqlite' % uuid.uuid4().hex[:8])
        cleanup = lambda: None  # noqa: E731
    else:
        server = ServerDatabase(backend)
        try:
            server.create()
        except sa.exc.OperationalError as exc:
            unavailable(backend, exc.orig)
        url, cleanup = server.url, server.drop
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        migration.upgrade(engine)
    finally:
        engine.dispose()
    return url, cleanup


def empty_database(url):
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            providers = tables.resource_providers
            conn.execute(providers.update().values(
                parent_provider_id=None, root_provider_id=None))
            for name in _EMPTY_ORDER:
                conn.execute(tables.metadata.tables[name].delete())
    finally:
        engine.dispose()


def fresh_database(url, overrides=None):
    """A Database on an emptied schema holding just the standard classes
    and traits."""
    empty_database(url)
    db = db_api.Database(make_conf(url, overrides))
    standard.ensure_synced(db)
    return db


@contextlib.contextmanager
def statements_run(db):
    """The statements ``db``'s engine runs in the block, transaction
    control (a BEGIN on SQLite) left out."""
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.split(None, 1)[0].upper() not in (
                'BEGIN', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE'):
            statements.append(statement)

    sa.event.listen(db.engine, 'before_cursor_execute', record)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, 'before_cursor_execute', record)
