"""The service as operators install it: an sdist and a wheel built from
the checkout, the wheel installed into a fresh virtualenv outside the
checkout, its commands run there against a new SQLite file.

An editable install reads everything from the checkout and so cannot
show a module or data file missing from the packages. This test needs
the package index (for the build backend, the dependencies and
gunicorn): without it, it skips, or fails when PLACEMENT_TEST_REQUIRE_DBS=1
(CI).
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import time
import urllib.request
import uuid
import zipfile

import pytest

from placement.db import migration
from tests import databases
from tests import servers

REPO = pathlib.Path(__file__).resolve().parents[2]
PIP_SECONDS = 600
COMMAND_SECONDS = 120
# Build output, caches and environments: nothing the packages are made of.
_NOT_SOURCE = shutil.ignore_patterns(
    '.git', '.venv', '.tox', 'build', 'dist', '*.egg-info', '__pycache__',
    '*.pyc', '.pytest_cache', '*.sqlite', '*.sqlite-*')
# Files placement reads at run time or that the sdist must hand on.
SDIST_FILES = (
    'placement/db/alembic.ini',
    'placement/db/migrations/env.py',
    'placement/db/migrations/script.py.mako',
    'etc/placement/placement.conf.sample',
    'etc/placement/policy.yaml.sample',
    'etc/placement/config-generator.conf',
    'etc/placement/policy-generator.conf',
    'README.rst',
    'setup.cfg',
    'pyproject.toml',
)


def _unavailable(reason):
    if databases.require_servers():
        pytest.fail(reason)
    pytest.skip(reason)


def _run(command, timeout=COMMAND_SECONDS, **kwargs):
    return subprocess.run(command, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True,
                          timeout=timeout, **kwargs)


def _check(command, **kwargs):
    result = _run(command, **kwargs)
    assert result.returncode == 0, (command, result.stdout[-4000:])
    return result.stdout


def _package_files():
    """Every file of the placement package in the checkout, as a path
    relative to the checkout."""
    return {path.relative_to(REPO).as_posix()
            for path in (REPO / 'placement').rglob('*')
            if path.is_file() and '__pycache__' not in path.parts
            and path.suffix != '.pyc'}


class Venv:
    """A fresh virtualenv in ``root``, with an environment that sees
    nothing of the checkout or of the virtualenv running the tests."""

    def __init__(self, root):
        self.root = root
        self.bin = root / 'bin'
        _check([sys.executable, '-m', 'venv', str(root)])
        self.env = {name: value for name, value in os.environ.items()
                    if name not in ('PYTHONPATH', 'VIRTUAL_ENV',
                                    'PYTHONHOME')
                    and not name.startswith('OS_')}
        self.env['PATH'] = '%s%s%s' % (self.bin, os.pathsep,
                                       self.env.get('PATH', ''))

    def pip_install(self, *requirements):
        return _run([str(self.bin / 'python'), '-m', 'pip', 'install',
                     '--disable-pip-version-check', '--quiet']
                    + list(requirements),
                    timeout=PIP_SECONDS, env=self.env, cwd=self.root)

    def command(self, name, *args, env=None, cwd):
        return _run([str(self.bin / name)] + list(args),
                    env=dict(self.env, **(env or {})), cwd=cwd)


def _build(venv, work):
    """An sdist of a copy of the checkout, and a wheel built from that
    sdist, as ``python -m build`` makes them."""
    source = work / 'source'
    shutil.copytree(REPO, source, ignore=_NOT_SOURCE)
    dist = work / 'dist'
    _check([str(venv.bin / 'python'), '-m', 'build', '--outdir', str(dist),
            str(source)], timeout=PIP_SECONDS, env=venv.env, cwd=work)
    (sdist,) = dist.glob('*.tar.gz')
    (wheel,) = dist.glob('*.whl')
    return sdist, wheel


def _assert_sdist_complete(sdist):
    with tarfile.open(sdist) as archive:
        names = {name.split('/', 1)[1] for name in archive.getnames()
                 if '/' in name}
    migrations = {name for name in _package_files()
                  if name.startswith('placement/db/migrations/versions/')}
    assert migrations, 'no migrations found in the checkout'
    missing = (set(SDIST_FILES) | migrations) - names
    assert not missing, 'not in the sdist: %s' % sorted(missing)


def _assert_wheel_complete(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    missing = _package_files() - names
    assert not missing, 'not in the wheel: %s' % sorted(missing)
    entry_points = next(name for name in names
                        if name.endswith('.dist-info/entry_points.txt'))
    with zipfile.ZipFile(wheel) as archive:
        scripts = archive.read(entry_points).decode()
    for script in ('placement-api', 'placement-manage', 'placement-status'):
        assert script + ' = ' in scripts


class _Running:
    """A server process from the virtualenv, answering on ``base``."""

    def __init__(self, venv, command, port, env, cwd):
        self.base = 'http://127.0.0.1:%d' % port
        self.log_path = cwd / ('%s-%d.log' % (command[0], port))
        self._log = open(self.log_path, 'w')
        self.process = subprocess.Popen(
            [str(venv.bin / command[0])] + command[1:],
            env=dict(venv.env, **env), cwd=cwd, stdout=self._log,
            stderr=subprocess.STDOUT)

    def wait_ready(self):
        deadline = time.monotonic() + servers.STARTUP_SECONDS
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                urllib.request.urlopen(self.base + '/', timeout=2).close()
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError('server did not start:\n%s' % self.log())

    def log(self):
        self._log.flush()
        return self.log_path.read_text()[-4000:]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def _serve_and_check(venv, command, port, env, cwd):
    """Start ``command`` from the virtualenv and check that it answers the
    root and creates a provider."""
    server = _Running(venv, command, port, env, cwd)
    try:
        server.wait_ready()
        status, root = servers.call(server, 'GET', '/')
        assert status == 200, server.log()
        assert root['versions'][0]['max_version'] == '1.39'
        name = 'wheel-%s' % command[0]
        status, provider = servers.call(
            server, 'POST', '/resource_providers',
            {'name': name, 'uuid': str(uuid.uuid4())})
        assert status == 200, (provider, server.log())
        status, shown = servers.call(
            server, 'GET', '/resource_providers/%s' % provider['uuid'])
        assert (status, shown['name']) == (200, name)
    finally:
        server.stop()


def test_wheel_installs_and_serves_outside_the_checkout(tmp_path):
    venv = Venv(tmp_path / 'venv')
    installed = venv.pip_install('build')
    if installed.returncode != 0:
        _unavailable('cannot install the build tool from the package '
                     'index:\n%s' % installed.stdout[-4000:])
    sdist, wheel = _build(venv, tmp_path)
    _assert_sdist_complete(sdist)
    _assert_wheel_complete(wheel)
    installed = venv.pip_install(str(wheel), 'gunicorn')
    if installed.returncode != 0:
        # The build above proved the package; what failed is fetching
        # what it depends on.
        _unavailable('cannot install the dependencies from the package '
                     'index:\n%s' % installed.stdout[-4000:])

    elsewhere = tmp_path / 'elsewhere'
    (elsewhere / 'config').mkdir(parents=True)
    env = {'OS_PLACEMENT_DATABASE__CONNECTION':
           'sqlite:///%s' % (elsewhere / 'placement.sqlite'),
           'OS_PLACEMENT_CONFIG_DIR': str(elsewhere / 'config'),
           'OS_API__AUTH_STRATEGY': 'noauth2'}
    where = venv.command('python', '-c',
                         'import placement; print(placement.__file__)',
                         cwd=elsewhere)
    assert where.stdout.startswith(str(venv.root)), where.stdout

    synced = venv.command('placement-manage', 'db', 'sync', env=env,
                          cwd=elsewhere)
    assert synced.returncode == 0, synced.stdout
    version = venv.command('placement-manage', 'db', 'version', env=env,
                           cwd=elsewhere)
    assert version.stdout.strip() == migration.head_revision()
    checked = venv.command('placement-status', 'upgrade', 'check', env=env,
                           cwd=elsewhere)
    assert checked.returncode == 0, checked.stdout

    port = servers.free_port()
    _serve_and_check(venv, ['placement-api', '--port', str(port)],
                     port, env, elsewhere)
    port = servers.free_port()
    _serve_and_check(venv, ['gunicorn', '--bind', '127.0.0.1:%d' % port,
                            'placement.wsgi.api:application'],
                     port, env, elsewhere)
