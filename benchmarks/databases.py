"""A fresh, uniquely named database for each server, dropped afterwards.

SQLite databases are files in the run's work directory; PostgreSQL and
MariaDB/MySQL ones are created on the server that ``admin_url`` names
(by default the local servers the tests use) and dropped at the end.
Both servers get the same driver URL scheme.
"""
import os
import uuid

import sqlalchemy as sa

from tests import databases

# The module each backend's driver imports as, and its package on PyPI,
# for a server's virtualenv that lacks it.
DRIVERS = {
    'sqlite': None,
    'postgresql': ('psycopg2', 'psycopg2-binary'),
    'mysql': ('pymysql', 'PyMySQL'),
}


class Database:
    """One database; ``url`` is what the server is configured with. On
    a server, it is made as the tests make theirs (tests.databases), on
    the servers they use unless ``admin_url`` names another."""

    def __init__(self, backend, work_dir, label, admin_url=None):
        self.backend = backend
        self._server = None
        if backend == 'sqlite':
            self.name = 'placement_bench_%s_%s' % (label,
                                                   uuid.uuid4().hex[:8])
            self.url = 'sqlite:///%s' % os.path.join(
                work_dir, '%s.sqlite' % self.name)
            return
        self._server = databases.ServerDatabase(
            backend, admin_url, prefix='placement_bench_%s' % label)
        self._server.create()
        self.name, self.url = self._server.name, self._server.url

    def drop(self):
        if self._server is None:
            return
        self._server.drop()

    def refresh_statistics(self):
        """What a server's autovacuum (PostgreSQL) or persistent
        statistics (InnoDB) would have done after a load: table
        statistics for the planner. A SQLite file has none unless
        someone runs ANALYZE, and is left so."""
        if self._server is None:
            return
        engine = sa.create_engine(self.url)
        try:
            with engine.begin() as conn:
                if self.backend == 'postgresql':
                    conn.exec_driver_sql('ANALYZE')
                    return
                tables = [row[0] for row in conn.exec_driver_sql(
                    'SHOW TABLES')]
                conn.exec_driver_sql('ANALYZE TABLE %s' % ', '.join(
                    '`%s`' % table for table in tables))
        finally:
            engine.dispose()
