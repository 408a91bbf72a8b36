"""Several server processes writing to one SQLite file at once get no
"database is locked" errors: every request is answered, none with a 5xx."""
import collections
import concurrent.futures
import json
import urllib.error
import urllib.request
import uuid

from tests import servers

CLIENTS = 8
ROUNDS = 10


def _request(base_url, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base_url + path, data=data,
                                     method=method)
    request.add_header('X-Auth-Token', 'admin')
    request.add_header('OpenStack-API-Version', 'placement 1.39')
    if data is not None:
        request.add_header('Content-Type', 'application/json')
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _client(base_url, client):
    statuses = collections.Counter()
    for round_ in range(ROUNDS):
        name = 'CUSTOM_C%d_R%d' % (client, round_)
        provider = str(uuid.uuid4())
        statuses[_request(base_url, 'PUT', '/traits/' + name)] += 1
        statuses[_request(base_url, 'PUT',
                          '/resource_classes/' + name)] += 1
        statuses[_request(base_url, 'POST', '/resource_providers',
                          {'name': 'rp-' + provider, 'uuid': provider})] += 1
        statuses[_request(base_url, 'DELETE',
                          '/resource_providers/' + provider)] += 1
        statuses[_request(base_url, 'DELETE', '/traits/' + name)] += 1
    return statuses


def test_concurrent_writers_on_one_sqlite_file(tmp_path):
    url = 'sqlite:///%s' % (tmp_path / 'shared.sqlite')
    with servers.running(url, count=2, config_dir=tmp_path) as base_urls:
        with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
            results = list(pool.map(
                lambda client: _client(base_urls[client % 2], client),
                range(CLIENTS)))
    statuses = sum(results, collections.Counter())
    print('statuses of %d requests: %s'
          % (sum(statuses.values()), dict(statuses)))
    assert sum(statuses.values()) == CLIENTS * ROUNDS * 5
    assert all(status < 500 for status in statuses), statuses
    assert set(statuses) <= {200, 201, 204}, statuses
