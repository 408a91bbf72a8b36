import pytest

from tests import databases


def pytest_configure(config):
    problem = databases.selection_error()
    if problem is not None:
        raise pytest.UsageError(problem)


@pytest.fixture(scope='session', params=databases.selected_backends())
def database_url(request, tmp_path_factory):
    """The URL of this worker's migrated database on each backend."""
    url, cleanup = databases.create_database(
        request.param, tmp_path_factory.mktemp(request.param))
    yield url
    cleanup()


@pytest.fixture
def backend(database_url):
    return database_url.split(':', 1)[0].split('+', 1)[0]


@pytest.fixture
def db(database_url):
    """A Database emptied for this test, with the standard classes and
    traits."""
    database = databases.fresh_database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A database with no schema at all, on the same backend."""
    backend = database_url.split(':', 1)[0].split('+', 1)[0]
    if backend == 'sqlite':
        yield 'sqlite:///%s' % (tmp_path / 'empty.sqlite')
        return
    server = databases.ServerDatabase(backend)
    server.create()
    yield server.url
    server.drop()
