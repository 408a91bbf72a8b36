"""A fresh, uniquely named database for each server, dropped afterwards.

SQLite databases are files in the run's work directory; PostgreSQL and
MariaDB/MySQL ones are created on the server that ``admin_url`` names
(by default the local servers the tests use) and dropped at the end.
Both servers get the same driver URL scheme.
"""
import os
import uuid

from tests import databases

# The same servers as the tests use, named by the same variables.
ADMIN_URLS = databases.SERVER_URLS

# The module each backend's driver imports as, and its package on PyPI,
# for a server's virtualenv that lacks it.
DRIVERS = {
    'sqlite': None,
    'postgresql': ('psycopg2', 'psycopg2-binary'),
    'mysql': ('pymysql', 'PyMySQL'),
}


class Database:
    """One database; ``url`` is what the server is configured with."""

    def __init__(self, backend, work_dir, label, admin_url=None):
        self.backend = backend
        self.name = 'placement_bench_%s_%s' % (label, uuid.uuid4().hex[:8])
        self._admin_engine = None
        if backend == 'sqlite':
            self.url = 'sqlite:///%s' % os.path.join(
                work_dir, '%s.sqlite' % self.name)
            return
        import sqlalchemy as sa
        server_url = sa.engine.make_url(admin_url or ADMIN_URLS[backend])
        self._admin_engine = sa.create_engine(
            server_url, isolation_level='AUTOCOMMIT',
            poolclass=sa.pool.NullPool)
        self.url = server_url.set(database=self.name).render_as_string(
            hide_password=False)
        if backend == 'mysql':
            self.url += '?charset=utf8mb4'
        self._execute('CREATE DATABASE %s' % self.name)

    def _execute(self, statement, **params):
        import sqlalchemy as sa
        with self._admin_engine.connect() as conn:
            conn.execute(sa.text(statement), params)

    def drop(self):
        if self._admin_engine is None:
            return
        if self.backend == 'postgresql':
            # A server killed mid-request may leave sessions behind.
            self._execute(
                'SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
                'WHERE datname = :name AND pid <> pg_backend_pid()',
                name=self.name)
        self._execute('DROP DATABASE IF EXISTS %s' % self.name)
        self._admin_engine.dispose()
        self._admin_engine = None
