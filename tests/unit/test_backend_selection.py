"""CI requires every database backend: with PLACEMENT_TEST_REQUIRE_DBS=1,
a PLACEMENT_TEST_BACKENDS that leaves one out stops the run at start."""
import os
import pathlib
import subprocess
import sys

import pytest

from tests import databases

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture
def environment(monkeypatch):
    """Set (or, with None, unset) the two selection variables."""
    def set_variables(backends, require):
        for name, value in (('PLACEMENT_TEST_BACKENDS', backends),
                            ('PLACEMENT_TEST_REQUIRE_DBS', require)):
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
    return set_variables


@pytest.mark.parametrize('backends', [
    None, 'sqlite,postgresql,mysql', 'mysql, sqlite ,postgresql'])
@pytest.mark.parametrize('require', [None, '0', '1'])
def test_every_backend_is_always_enough(environment, backends, require):
    environment(backends, require)
    assert databases.selection_error() is None


@pytest.mark.parametrize('backends', ['sqlite', 'postgresql,mysql', ''])
def test_fewer_backends_are_fine_when_not_required(environment, backends):
    environment(backends, None)
    assert databases.selection_error() is None


@pytest.mark.parametrize('backends, missing', [
    ('sqlite', 'postgresql, mysql'),
    ('sqlite,postgresql', 'mysql'),
    ('postgresql,mysql', 'sqlite'),
    ('', 'sqlite, postgresql, mysql'),
])
def test_required_run_refuses_fewer_backends(environment, backends,
                                             missing):
    environment(backends, '1')
    assert databases.selection_error() == (
        'PLACEMENT_TEST_REQUIRE_DBS=1 requires every backend (sqlite, '
        'postgresql, mysql), but PLACEMENT_TEST_BACKENDS=%r leaves out %s.'
        % (backends, missing))


@pytest.mark.parametrize('require', [None, '1'])
def test_unknown_backend_is_refused(environment, require):
    environment('sqlite,postgres,mysql', require)
    assert databases.selection_error() == (
        'PLACEMENT_TEST_BACKENDS names postgres, which is no backend; the '
        'backends are sqlite, postgresql, mysql.')


def _collect_in_subprocess(backends, require):
    """Run pytest as CI would (from the repository, so that
    tests/conftest.py is loaded), collecting only this file."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(('PLACEMENT_TEST_', 'PYTEST_'))}
    env.update(PLACEMENT_TEST_BACKENDS=backends,
               PLACEMENT_TEST_REQUIRE_DBS=require)
    return subprocess.run(
        [sys.executable, '-m', 'pytest', '-p', 'no:cacheprovider',
         '--collect-only', '-q', str(pathlib.Path(__file__))],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def test_required_run_with_one_backend_stops_at_start():
    result = _collect_in_subprocess('sqlite', '1')
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, result.stdout
    assert ('PLACEMENT_TEST_REQUIRE_DBS=1 requires every backend'
            in result.stderr), result.stderr
    assert 'leaves out postgresql, mysql' in result.stderr


def test_same_run_starts_without_the_requirement():
    result = _collect_in_subprocess('sqlite', '0')
    assert result.returncode == pytest.ExitCode.OK, (
        result.stdout + result.stderr)
