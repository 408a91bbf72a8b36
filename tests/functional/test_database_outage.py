"""The database goes away under load, and comes back.

Two real server processes share a database on a PostgreSQL or MariaDB
server of the test's own (tests.private_databases), so that stopping it
disturbs nothing else. Client threads claim, read and release allocations
throughout; the server is stopped as a crash would stop it, and started
again. While it is down every answer is the JSON error document with
status 503; once it is back, the same server processes answer again
without a restart; and no allocation they acknowledged is lost.
"""
import collections
import contextlib
import json
import threading
import time
import urllib.error
import urllib.request
import uuid as uuidlib

import pytest

from tests import databases
from tests import private_databases
from tests import servers as server_processes

SERVERS = 2
THREADS = 4
PROVIDERS = 2
# Each thread releases its oldest claim beyond these.
KEPT_PER_THREAD = 10
OUTAGE_SECONDS = 3
RECOVERY_SECONDS = 60
# Successful answers from every server that count as recovered.
RECOVERED_AFTER = 3
PROJECT = str(uuidlib.uuid4())
USER = str(uuidlib.uuid4())

# A server process whose pool hands out connections unchecked: a
# connection that died with the database fails the request that gets it.
WITHOUT_PRE_PING = """
from placement.db import api

_on_engine_create = api._on_engine_create

def _unchecked_pool(engine, **sizes):
    _on_engine_create(engine, **sizes)
    engine.pool._pre_ping = False

api._on_engine_create = _unchecked_pool
"""


def _request(server, method, path, body=None):
    """(status, content type, body text); a connection error is status
    None."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server.base + path, data=data,
                                     method=method)
    request.add_header('x-auth-token', 'admin')
    request.add_header('openstack-api-version', server_processes.VERSION)
    if data is not None:
        request.add_header('content-type', 'application/json')
    try:
        with urllib.request.urlopen(
                request, timeout=server_processes.REQUEST_SECONDS) as answer:
            return (answer.status, answer.headers.get('content-type'),
                    answer.read().decode())
    except urllib.error.HTTPError as error:
        return (error.code, error.headers.get('content-type'),
                error.read().decode())
    except OSError as error:
        return None, None, str(error)


def _is_error_document(status, content_type, text):
    if not (content_type or '').startswith('application/json'):
        return False
    try:
        errors = json.loads(text)['errors']
    except (ValueError, KeyError, TypeError):
        return False
    return errors[0]['status'] == status


class Load:
    """Client threads claiming, reading and releasing, round robin over
    the servers, recording every answer with the time it was asked."""

    def __init__(self, servers, providers):
        self.servers = servers
        self.providers = providers
        self.lock = threading.Lock()
        self.answers = []
        # {consumer: provider} acknowledged and not released since.
        self.held = {}
        # Consumers whose claim or release was not acknowledged: the
        # database may or may not have committed it.
        self.uncertain = set()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(index,))
                        for index in range(THREADS)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def _record(self, server, started, what, answer):
        with self.lock:
            self.answers.append((started, time.monotonic(), server.port,
                                 what) + answer)

    def _run(self, index):
        step = 0
        mine = []
        while not self.stopping.is_set():
            server = self.servers[step % len(self.servers)]
            provider = self.providers[(index + step) % len(self.providers)]
            step += 1
            if step % 3 == 0 and len(mine) > KEPT_PER_THREAD:
                self._release(server, mine.pop(0))
            elif step % 3 == 1:
                consumer = self._claim(server, provider)
                if consumer is not None:
                    mine.append(consumer)
            else:
                started = time.monotonic()
                self._record(server, started, 'read', _request(
                    server, 'GET', '/resource_providers/%s/usages'
                    % provider))

    def _claim(self, server, provider):
        consumer = str(uuidlib.uuid4())
        started = time.monotonic()
        answer = _request(server, 'PUT', '/allocations/' + consumer, {
            'allocations': {provider: {'resources': {'VCPU': 1}}},
            'project_id': PROJECT, 'user_id': USER,
            'consumer_generation': None, 'consumer_type': 'INSTANCE'})
        self._record(server, started, 'claim', answer)
        with self.lock:
            if answer[0] == 204:
                self.held[consumer] = provider
                return consumer
            self.uncertain.add(consumer)
        return None

    def _release(self, server, consumer):
        started = time.monotonic()
        answer = _request(server, 'DELETE', '/allocations/' + consumer)
        self._record(server, started, 'release', answer)
        with self.lock:
            # Released or not, unless the release was refused for good:
            # the connection may have been lost after the commit.
            del self.held[consumer]
            if answer[0] != 204:
                self.uncertain.add(consumer)

    def successes_since(self, since):
        with self.lock:
            return collections.Counter(
                port for started, _, port, _, status, _, _ in self.answers
                if started >= since and status is not None
                and status < 300)

    def answers_between(self, start, end):
        """The answers to requests asked and answered within the
        window."""
        with self.lock:
            return [answer for answer in self.answers
                    if answer[0] >= start and answer[1] <= end]


def _wait_for(check, seconds, what):
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            pytest.fail('%s within %d s' % (what, seconds))
        time.sleep(0.1)


def _providers(server):
    uuids = []
    for index in range(PROVIDERS):
        status, body = server_processes.call(
            server, 'POST', '/resource_providers',
            {'name': 'outage-%d' % index})
        assert status == 200, body
        uuids.append(body['uuid'])
        status, body = server_processes.call(
            server, 'PUT', '/resource_providers/%s/inventories'
            % body['uuid'], {'resource_provider_generation': 0,
                             'inventories': {'VCPU': {'total': 100000}}})
        assert status == 200, body
    return uuids


@pytest.fixture(params=['postgresql', 'mysql'])
def private_database(request):
    if request.param not in databases.selected_backends():
        pytest.skip('%s is not selected' % request.param)
    server = private_databases.start(request.param)
    yield server
    server.remove()


@contextlib.contextmanager
def _servers_on(private_database, tmp_path, preamble=None):
    url = private_database.create_database(
        'placement_%s' % uuidlib.uuid4().hex[:8])
    with server_processes.running(url, tmp_path, SERVERS,
                                  preamble=preamble) as servers:
        yield servers


def _outage_defects(answers):
    """What is wrong with the answers given while the database was
    down: anything but the JSON error document with status 503."""
    return ['%s got %s %s: %s' % (what, status, content_type, text[:200])
            for _, _, _, what, status, content_type, text in answers
            if status != 503
            or not _is_error_document(status, content_type, text)]


def _lost(server, load):
    """Acknowledged claims, not released since, that the database no
    longer holds."""
    lost = []
    for consumer, provider in load.held.items():
        status, body = server_processes.call(
            server, 'GET', '/allocations/' + consumer)
        if provider not in body['allocations']:
            lost.append('claim of %s' % consumer)
    return lost


def _usage_mismatches(server, providers):
    """Providers whose usages are not the sum of their allocations."""
    wrong = []
    for provider in providers:
        _, usages = server_processes.call(
            server, 'GET', '/resource_providers/%s/usages' % provider)
        _, held = server_processes.call(
            server, 'GET', '/resource_providers/%s/allocations' % provider)
        total = sum(allocation['resources'].get('VCPU', 0)
                    for allocation in held['allocations'].values())
        if usages['usages'].get('VCPU', 0) != total:
            wrong.append('%s: usages %s, allocations %d'
                         % (provider, usages['usages'], total))
    return wrong


def test_an_outage_is_json_503_and_the_servers_recover(
        private_database, tmp_path, capsys):
    with _servers_on(private_database, tmp_path) as servers:
        providers = _providers(servers[0])
        with Load(servers, providers) as load:
            began = time.monotonic()
            _wait_for(lambda: sum(load.successes_since(began).values())
                      >= 40, RECOVERY_SECONDS, "no answers before the stop")
            private_database.stop()
            went_down = time.monotonic()
            time.sleep(OUTAGE_SECONDS)
            came_up = time.monotonic()
            private_database.start()
            _wait_for(lambda: all(
                load.successes_since(came_up)[server.port]
                >= RECOVERED_AFTER for server in servers),
                RECOVERY_SECONDS, 'the servers did not answer again')
        during = load.answers_between(went_down, came_up)
        defects = _outage_defects(during)
        lost = _lost(servers[0], load)
        mismatched = _usage_mismatches(servers[0], providers)
        with capsys.disabled():
            print('\n%s outage: %d answers, %d while the database was down '
                  '(%d defects), %d claims held, %d uncertain, %d lost, '
                  '%d usage mismatches' % (
                      private_database.backend, len(load.answers),
                      len(during), len(defects), len(load.held),
                      len(load.uncertain), len(lost), len(mismatched)))
        # The outage really was seen.
        assert len(during) >= SERVERS
        assert not defects, defects[:10]
        assert not lost, lost[:10]
        assert not mismatched, mismatched


def _first_answers_after_a_restart(private_database, servers):
    """Stop and start the database while the servers are idle, their
    pools holding connections; then each server's first answer."""
    for server in servers:
        status, _ = server_processes.call(server, 'GET',
                                          '/resource_providers')
        assert status == 200
    private_database.stop()
    private_database.start()
    return [_request(server, 'GET', '/resource_providers')[0]
            for server in servers]


def test_pooled_connections_that_died_are_replaced(private_database,
                                                   tmp_path):
    with _servers_on(private_database, tmp_path) as servers:
        assert _first_answers_after_a_restart(
            private_database, servers) == [200] * SERVERS


def test_without_the_check_a_dead_connection_fails_a_request(
        private_database, tmp_path):
    """What the pool's check on checkout (pre-ping) guards."""
    with _servers_on(private_database, tmp_path,
                     preamble=WITHOUT_PRE_PING) as servers:
        assert 503 in _first_answers_after_a_restart(
            private_database, servers)
