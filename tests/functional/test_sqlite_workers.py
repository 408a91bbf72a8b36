"""Several server processes writing to one SQLite file at once get no
"database is locked" errors: every request is answered, none with a 5xx."""
import collections
import concurrent.futures
import uuid

from tests import servers

CLIENTS = 8
ROUNDS = 10


def _client(server, client):
    statuses = collections.Counter()

    def send(method, path, body=None):
        statuses[servers.call(server, method, path, body)[0]] += 1

    for round_ in range(ROUNDS):
        name = 'CUSTOM_C%d_R%d' % (client, round_)
        provider = str(uuid.uuid4())
        send('PUT', '/traits/' + name)
        send('PUT', '/resource_classes/' + name)
        send('POST', '/resource_providers',
             {'name': 'rp-' + provider, 'uuid': provider})
        send('DELETE', '/resource_providers/' + provider)
        send('DELETE', '/traits/' + name)
    return statuses


def test_concurrent_writers_on_one_sqlite_file(tmp_path):
    url = 'sqlite:///%s' % (tmp_path / 'shared.sqlite')
    with servers.running(url, tmp_path, count=2) as started:
        with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
            results = list(pool.map(
                lambda client: _client(started[client % 2], client),
                range(CLIENTS)))
    statuses = sum(results, collections.Counter())
    print('statuses of %d requests: %s'
          % (sum(statuses.values()), dict(statuses)))
    assert sum(statuses.values()) == CLIENTS * ROUNDS * 5
    assert set(statuses) <= {200, 201, 204}, statuses
