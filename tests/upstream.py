"""OpenStack Placement 16.0.0, the service this one stands in for, run as
a real server beside ours so that tests can compare the two.

It lives in a virtualenv of its own, outside the checkout:
``$PLACEMENT_UPSTREAM_VENV``, by default
``$XDG_CACHE_HOME/placement-tests/openstack-placement-16.0.0`` (that is
``~/.cache/...``). When the virtualenv lacks it, the first test that needs
it pip-installs ``openstack-placement==16.0.0`` and gunicorn there (about a
minute, once), under a file lock so that pytest-xdist workers do not
install at the same time. If the package index cannot be reached the tests
are skipped, or fail when ``PLACEMENT_TEST_REQUIRE_DBS=1`` (CI); any other
install failure fails them.
"""
import fcntl
import functools
import os
import subprocess
import sys

import pytest

from tests import databases
from tests import servers

PACKAGE = 'openstack-placement'
VERSION = '16.0.0'
INSTALL_SECONDS = 900

# What pip says when it cannot reach the index (a package that surely
# exists having no versions at all is the same thing).
_UNREACHABLE_SIGNS = (
    '(from versions: none)', 'NewConnectionError',
    'Failed to establish a new connection', 'Temporary failure in name',
    'Name or service not known', 'Network is unreachable',
    'ConnectTimeoutError', 'Read timed out', 'ProxyError',
)

# gunicorn 23 and later open a control socket in the home directory by
# default, which two servers at once would fight over; a configuration
# file, unlike the command line, lets versions without the setting
# ignore it.
_GUNICORN_CONFIG = 'control_socket_disable = True\n'


def venv_dir():
    configured = os.environ.get('PLACEMENT_UPSTREAM_VENV')
    if configured:
        return os.path.abspath(os.path.expanduser(configured))
    cache = os.environ.get('XDG_CACHE_HOME') or os.path.join(
        os.path.expanduser('~'), '.cache')
    return os.path.join(cache, 'placement-tests',
                        'openstack-placement-%s' % VERSION)


def _is_ready(venv):
    """Whether ``venv`` holds the upstream version and gunicorn."""
    python = os.path.join(venv, 'bin', 'python')
    if not os.path.exists(os.path.join(venv, 'bin', 'gunicorn')):
        return False
    # Isolated (-I), whatever the current directory and PYTHONPATH.
    probe = subprocess.run(
        [python, '-I', '-c', 'import importlib.metadata as m; '
         'print(m.version(%r))' % PACKAGE],
        capture_output=True, text=True)
    return probe.returncode == 0 and probe.stdout.strip() == VERSION


def _install(venv):
    print('installing %s==%s into %s (once, about a minute)'
          % (PACKAGE, VERSION, venv), file=sys.stderr)
    os.makedirs(os.path.dirname(venv), exist_ok=True)
    steps = (
        [sys.executable, '-m', 'venv', venv],
        [os.path.join(venv, 'bin', 'python'), '-m', 'pip', 'install',
         '--disable-pip-version-check', '--retries', '2', '--timeout', '30',
         '%s==%s' % (PACKAGE, VERSION), 'gunicorn'],
    )
    for command in steps:
        result = subprocess.run(command, capture_output=True, text=True,
                                timeout=INSTALL_SECONDS)
        if result.returncode != 0:
            _install_failed(command, result.stdout + result.stderr)


class _Unavailable(Exception):
    """The upstream virtualenv cannot be had: ``skip`` says whether the
    tests may be skipped rather than failed."""

    def __init__(self, message, skip):
        super().__init__(message)
        self.skip = skip


def _install_failed(command, output):
    message = ('could not install %s==%s (%s):\n%s'
               % (PACKAGE, VERSION, ' '.join(command[:4]), output[-3000:]))
    if any(sign in output for sign in _UNREACHABLE_SIGNS):
        raise _Unavailable('the package index is not reachable: ' + message,
                           skip=not databases.require_servers())
    raise _Unavailable(message, skip=False)


@functools.lru_cache(maxsize=None)
def _prepare(venv):
    """None when ``venv`` is ready, else the _Unavailable that says why:
    kept, so that an unreachable index costs one attempt per process."""
    lock_path = venv.rstrip(os.sep) + '.lock'
    os.makedirs(os.path.dirname(lock_path), exist_ok=True)
    with open(lock_path, 'w') as lock:
        # Another worker may be installing: wait for it, then look again.
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _is_ready(venv):
            return None
        try:
            _install(venv)
        except _Unavailable as unavailable:
            return unavailable
        if not _is_ready(venv):
            return _Unavailable('%s has no working %s==%s after installing '
                                'it' % (venv, PACKAGE, VERSION), skip=False)
    return None


def ensure_venv():
    """The upstream virtualenv's directory, installed if need be; skips
    (or fails, see the module's docstring) when it cannot be."""
    venv = venv_dir()
    unavailable = _prepare(venv)
    if unavailable is None:
        return venv
    if unavailable.skip:
        pytest.skip(str(unavailable))
    pytest.fail(str(unavailable))


class Server(servers.Server):
    """OpenStack Placement under gunicorn (one sync worker) on a port of
    its own, with noauth2, on ``database_url``, configured only through
    the environment; logs to ``upstream.log`` in ``work_dir``. Waits,
    logs and stops as tests.servers.Server does."""

    def __init__(self, venv, database_url, work_dir):
        self.port = servers.free_port()
        self.base = 'http://127.0.0.1:%d' % self.port
        work_dir = str(work_dir)
        self.log_path = os.path.join(work_dir, 'upstream.log')
        config_dir = os.path.join(work_dir, 'upstream-config')
        os.makedirs(config_dir, exist_ok=True)
        # Upstream refuses to start when its config directory has no
        # placement.conf; an empty one leaves everything to the
        # environment.
        open(os.path.join(config_dir, 'placement.conf'), 'w').close()
        gunicorn_config = os.path.join(work_dir, 'gunicorn.conf.py')
        with open(gunicorn_config, 'w') as config:
            config.write(_GUNICORN_CONFIG)
        env = dict(os.environ,
                   OS_PLACEMENT_DATABASE__CONNECTION=database_url,
                   OS_PLACEMENT_DATABASE__SYNC_ON_STARTUP='True',
                   OS_PLACEMENT_CONFIG_DIR=config_dir,
                   OS_API__AUTH_STRATEGY='noauth2')
        self._log = open(self.log_path, 'w')
        self.process = subprocess.Popen(
            [os.path.join(venv, 'bin', 'gunicorn'), '--config',
             gunicorn_config, '--workers', '1', '--bind',
             '127.0.0.1:%d' % self.port, 'placement.wsgi.api:application'],
            cwd=work_dir, env=env, stdout=self._log,
            stderr=subprocess.STDOUT)
