"""The servers benchmarked: started here, each on a fresh database of its
own, or already running at a URL.

- ``Gunicorn``: a virtualenv's gunicorn serving its
  ``placement.wsgi.api:application`` (this project's, or OpenStack
  Placement's: the entry point and its environment variables are the
  same), every server with the same gunicorn configuration;
- ``Command``: any command line, given ``{port}`` and ``{database_url}``
  (also in the environment, as for the others);
- ``Running``: a server at a URL, left as it is (its database should be
  empty: the load adds to whatever it holds, and nothing measures its
  memory).

Each started server runs in a process group of its own, killed whole
on stop; ``stop`` is safe to call twice, and the caller registers it
with atexit too.
"""
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from benchmarks import databases

STARTUP_SECONDS = 120
SYNC_SECONDS = 600
STOP_SECONDS = 10
APPLICATION = 'placement.wsgi.api:application'

# gunicorn 23 and later open a control socket in the home directory by
# default, which two servers at once would fight over; a configuration
# file, unlike the command line, lets older versions ignore the setting.
GUNICORN_CONFIG = """\
control_socket_disable = True
workers = {workers}
worker_class = 'sync'
timeout = {timeout}
graceful_timeout = 5
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class ServerFailed(Exception):
    pass


class Running:
    """A server somebody else runs."""

    pid = None

    def __init__(self, label, url):
        self.label = label
        self.base_url = url.rstrip('/')
        self.description = 'already running at %s' % self.base_url

    def start(self, work_dir, backend, options):
        pass

    def wait_ready(self):
        _wait_for_root(self.base_url, lambda: None, self.log_tail)

    def log_tail(self, lines=40):
        return '(the server at %s logs elsewhere)' % self.base_url

    def stop(self):
        pass


class _Started:
    """A server process this benchmark starts, on a database it makes."""

    def __init__(self, label):
        self.label = label
        self.process = None
        self.database = None
        self._log = None
        self.log_path = None
        self.port = free_port()
        self.base_url = 'http://127.0.0.1:%d' % self.port

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def python(self):
        """The interpreter that can load the server's database driver,
        or None when there is no telling."""
        return None

    def start(self, work_dir, backend, options):
        server_dir = os.path.join(work_dir, self.label)
        config_dir = os.path.join(server_dir, 'config')
        os.makedirs(config_dir, exist_ok=True)
        # The service refuses to start when its config directory has no
        # placement.conf; an empty one leaves everything to the
        # environment.
        open(os.path.join(config_dir, 'placement.conf'), 'w').close()
        self._ensure_driver(backend)
        self.database = databases.Database(backend, server_dir, self.label,
                                           options.admin_url)
        env = dict(os.environ,
                   OS_PLACEMENT_DATABASE__CONNECTION=self.database.url,
                   OS_PLACEMENT_DATABASE__SYNC_ON_STARTUP='True',
                   OS_PLACEMENT_CONFIG_DIR=config_dir,
                   OS_API__AUTH_STRATEGY='noauth2')
        env.update(options.server_env)
        self.log_path = os.path.join(server_dir, 'server.log')
        self._log = open(self.log_path, 'w')
        self._sync(env, server_dir)
        command = self.command(server_dir, options)
        self.process = subprocess.Popen(
            command, cwd=server_dir, env=env, stdout=self._log,
            stderr=subprocess.STDOUT, start_new_session=True,
            shell=isinstance(command, str))

    def _ensure_driver(self, backend):
        driver = databases.DRIVERS[backend]
        python = self.python()
        if driver is None or python is None:
            return
        module, package = driver
        if subprocess.run([python, '-I', '-c', 'import ' + module],
                          capture_output=True).returncode == 0:
            return
        print('installing %s into %s for the %s server' % (
            package, os.path.dirname(os.path.dirname(python)), self.label),
            file=sys.stderr)
        subprocess.run([python, '-m', 'pip', 'install', '--quiet',
                        '--disable-pip-version-check', package],
                       check=True, timeout=SYNC_SECONDS)

    def _sync(self, env, server_dir):
        """Migrates the database before the workers start, so that they
        do not all race to create the schema."""

    def command(self, server_dir, options):
        raise NotImplementedError

    def wait_ready(self):
        _wait_for_root(self.base_url, self.process.poll, self.log_tail)

    def log_tail(self, lines=40):
        if self._log is None:
            return ''
        self._log.flush()
        with open(self.log_path, errors='replace') as log:
            return ''.join(log.readlines()[-lines:])

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            _stop_group(self.process)
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.database is not None:
            self.database.drop()
            self.database = None


class Gunicorn(_Started):
    """``placement.wsgi.api:application`` under the gunicorn of the
    virtualenv ``venv``."""

    def __init__(self, label, venv, name):
        super().__init__(label)
        self.venv = os.path.abspath(venv)
        self.description = '%s under gunicorn from %s' % (name, venv)
        for tool in ('gunicorn', 'python'):
            if not os.path.exists(self._bin(tool)):
                raise ServerFailed(
                    '%s has no bin/%s: install it there (for this project: '
                    "pip install -e '.[test]')" % (venv, tool))

    def _bin(self, tool):
        return os.path.join(self.venv, 'bin', tool)

    def python(self):
        return self._bin('python')

    def _sync(self, env, server_dir):
        # Loading the application once migrates the database and adds the
        # standard traits and classes; workers that each did it at once
        # would race, and on SQLite one loses ("database is locked") and
        # takes gunicorn down with it.
        result = subprocess.run(
            [self.python(), '-c', 'import ' + APPLICATION.split(':')[0]],
            cwd=server_dir, env=env, stdout=self._log,
            stderr=subprocess.STDOUT, timeout=SYNC_SECONDS)
        if result.returncode != 0:
            raise ServerFailed('%s could not load its application:\n%s'
                               % (self.label, self.log_tail()))

    def command(self, server_dir, options):
        config = os.path.join(server_dir, 'gunicorn.conf.py')
        with open(config, 'w') as out:
            out.write(GUNICORN_CONFIG.format(workers=options.workers,
                                             timeout=int(options.timeout)))
        return [self._bin('gunicorn'), '--config', config,
                '--bind', '127.0.0.1:%d' % self.port, APPLICATION]


class Command(_Started):
    """A command line of the user's, as a shell runs it."""

    def __init__(self, label, command_line):
        super().__init__(label)
        self.command_line = command_line
        self.description = 'the command %r' % command_line

    def command(self, server_dir, options):
        return self.command_line.format(
            port=self.port,
            database_url=shlex.quote(self.database.url))


def _wait_for_root(base_url, exited, log_tail):
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if exited() is not None:
            break
        try:
            urllib.request.urlopen(base_url + '/', timeout=5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise ServerFailed('no server answered at %s:\n%s'
                       % (base_url, log_tail()))


def _stop_group(process):
    """Terminates the process group the server leads, then kills it."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(STOP_SECONDS)
            break
        except subprocess.TimeoutExpired:
            continue
    process.wait()
    # Workers that outlived their master.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
