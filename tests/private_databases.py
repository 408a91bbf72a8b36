"""Database servers of a test's own: a PostgreSQL or MariaDB instance
initialised into a temporary directory and listening on a loopback port
of its own, which the test may stop and start again without disturbing
the shared servers or any other test.

Each is skipped when its programs are missing, unless the databases are
required (CI), where it fails instead.
"""
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time

import sqlalchemy as sa

from tests import databases
from tests import servers

START_SECONDS = 60


def _program(*patterns):
    for pattern in patterns:
        for path in sorted(glob.glob(pattern), reverse=True):
            if os.access(path, os.X_OK):
                return path
        found = shutil.which(pattern)
        if found:
            return found
    return None


def _wait_until(check, what):
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError('%s did not come up within %d s'
                       % (what, START_SECONDS))


def _answers(url):
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text('SELECT 1'))
        return True
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


class _Private:
    """What both kinds share: a directory, a port, start and stop."""

    backend = None

    def __init__(self):
        self.port = servers.free_port()
        self.directory = tempfile.mkdtemp(prefix='placement-%s-'
                                          % self.backend)
        self.process = None

    def admin_url(self, database):
        raise NotImplementedError

    def url(self, database='placement'):
        return self.admin_url(database)

    def create_database(self, name='placement'):
        engine = sa.create_engine(self.admin_url(self.ADMIN_DATABASE),
                                  isolation_level='AUTOCOMMIT',
                                  poolclass=sa.pool.NullPool)
        try:
            with engine.connect() as conn:
                conn.execute(sa.text('CREATE DATABASE %s' % name))
        finally:
            engine.dispose()
        return self.url(name)

    def wait_up(self):
        _wait_until(lambda: _answers(self.admin_url(self.ADMIN_DATABASE)),
                    self.backend)

    def remove(self):
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


class PrivatePostgres(_Private):
    backend = 'postgresql'
    ADMIN_DATABASE = 'postgres'

    def __init__(self):
        bin_dir = os.path.dirname(
            _program('/usr/lib/postgresql/*/bin/initdb', 'initdb') or '')
        self.initdb = os.path.join(bin_dir, 'initdb')
        self.pg_ctl = os.path.join(bin_dir, 'pg_ctl')
        if not (bin_dir and os.access(self.pg_ctl, os.X_OK)):
            databases.unavailable(self.backend,
                                  'initdb and pg_ctl are not installed')
        super().__init__()
        self.running = False
        self.data = os.path.join(self.directory, 'data')
        # PostgreSQL refuses to run as root: as root, run it as the
        # postgres user, which must own its directory.
        self.as_user = []
        if os.geteuid() == 0:
            account = pwd.getpwnam('postgres')
            os.chown(self.directory, account.pw_uid, account.pw_gid)
            self.as_user = ['runuser', '-u', 'postgres', '--']
        subprocess.run(
            self.as_user + [self.initdb, '-D', self.data, '-A', 'trust',
                            '-U', 'postgres', '--no-sync'],
            check=True, capture_output=True)

    def admin_url(self, database):
        return 'postgresql+psycopg2://postgres@127.0.0.1:%d/%s' % (
            self.port, database)

    def _pg_ctl(self, *arguments):
        subprocess.run(self.as_user + [self.pg_ctl, '-D', self.data, '-w']
                       + list(arguments), check=True, capture_output=True,
                       timeout=START_SECONDS)

    def start(self):
        self._pg_ctl(
            '-l', os.path.join(self.directory, 'server.log'), '-o',
            '-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off'
            % (self.port, self.directory), 'start')
        self.running = True
        self.wait_up()

    def stop(self):
        """As a crash would: the server's connections end at once."""
        if self.running:
            self._pg_ctl('-m', 'immediate', 'stop')
            self.running = False


class PrivateMariaDB(_Private):
    backend = 'mysql'
    ADMIN_DATABASE = 'mysql'

    def __init__(self):
        self.install = _program('mariadb-install-db', 'mysql_install_db')
        self.server = _program('/usr/sbin/mariadbd', 'mariadbd',
                               '/usr/sbin/mysqld', 'mysqld')
        if not (self.install and self.server):
            databases.unavailable(
                self.backend, 'mariadb-install-db and mariadbd are not '
                'installed')
        super().__init__()
        self.data = os.path.join(self.directory, 'data')
        subprocess.run(
            [self.install, '--no-defaults', '--datadir=' + self.data,
             '--user=' + pwd.getpwuid(os.geteuid()).pw_name,
             '--auth-root-authentication-method=normal', '--skip-test-db'],
            check=True, capture_output=True)

    def admin_url(self, database):
        return 'mysql+pymysql://root@127.0.0.1:%d/%s?charset=utf8mb4' % (
            self.port, database)

    def start(self):
        log = open(os.path.join(self.directory, 'server.log'), 'a')
        self.process = subprocess.Popen(
            [self.server, '--no-defaults', '--datadir=' + self.data,
             '--port=%d' % self.port, '--bind-address=127.0.0.1',
             '--socket=' + os.path.join(self.directory, 'mysqld.sock'),
             '--user=' + pwd.getpwuid(os.geteuid()).pw_name,
             '--innodb-buffer-pool-size=32M', '--skip-log-bin'],
            stdout=log, stderr=subprocess.STDOUT)
        self.wait_up()

    def stop(self):
        """As a crash would: killed, its connections cut."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(START_SECONDS)
            self.process = None


def start(backend):
    """A started private server of ``backend``."""
    kind = {'postgresql': PrivatePostgres, 'mysql': PrivateMariaDB}[backend]
    server = kind()
    try:
        server.start()
    except Exception:
        server.remove()
        raise
    return server
