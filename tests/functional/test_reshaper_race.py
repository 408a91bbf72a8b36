"""The reshaper against concurrent claims, across server processes.

Two real ``placement-api`` processes share one database. A compute node
(a root provider with one child) holds its VCPU inventory on one of the
two; a reshaper thread keeps moving that inventory, and every allocation
of it, to the other (POST /reshaper, as nova's virt drivers do on an
upgrade), while claimer threads ask GET /allocation_candidates for a VCPU,
claim what it offers, and release their claims. A reshape that read the
tree before a claim landed must be refused (409), and is tried again from
a fresh read, as a driver does.

At the end, through the API: the inventory is on exactly one provider,
every acknowledged claim not released since is held (wherever the
reshaper moved it) and no released one is, nothing is over capacity, and
usages add up.
"""
import random
import threading
import time
import uuid as uuidlib

import pytest

from tests import databases
from tests.functional import test_allocation_race as allocation_race
from tests import servers as server_processes

SERVERS = 2
CLAIMERS = 4
CLAIMS_PER_THREAD = 40
# A claimer releases its oldest claim beyond these.
KEPT_PER_THREAD = 3
TOTAL = 100
PROJECT = str(uuidlib.uuid4())
USER = str(uuidlib.uuid4())


def call(server, method, path, body=None):
    """(status, decoded body) as an admin and service, which the reshaper
    needs."""
    return server_processes.call(server, method, path, body,
                                 headers={'x-roles': 'admin,service'})


class Tally(allocation_race.Tally):
    def __init__(self):
        super().__init__()
        # Consumers whose claim was acknowledged and not released since.
        self.held = set()


class Claimer(threading.Thread):
    def __init__(self, index, servers, tally):
        super().__init__(name='claimer-%d' % index)
        self.random = random.Random(index)
        self.servers = servers
        self.tally = tally
        self.mine = []

    def _server(self):
        return self.random.choice(self.servers)

    def run(self):
        try:
            for _ in range(CLAIMS_PER_THREAD):
                if len(self.mine) > KEPT_PER_THREAD or (
                        self.mine and self.random.random() < 0.3):
                    self.release(self.mine.pop(0))
                else:
                    self.claim()
                # Gaps in which a reshape may get through.
                time.sleep(self.random.uniform(0.02, 0.12))
        except Exception as exc:  # the test reports it, not the thread
            self.tally.defect('%s crashed: %r' % (self.name, exc))

    def claim(self):
        status, answer = call(self._server(), 'GET',
                              '/allocation_candidates?resources=VCPU:1')
        if status != 200:
            self.tally.defect('candidates answered %d: %s'
                              % (status, answer))
            return
        for request in answer['allocation_requests']:
            consumer = str(uuidlib.uuid4())
            status, body = call(self._server(), 'PUT',
                                '/allocations/' + consumer, {
                                    'allocations': request['allocations'],
                                    'project_id': PROJECT, 'user_id': USER,
                                    'consumer_generation': None,
                                    'consumer_type': 'INSTANCE'})
            if status == 204:
                with self.tally.lock:
                    self.tally.held.add(consumer)
                self.mine.append(consumer)
                self.tally.count('claims acknowledged')
                return
            if status != 409:
                self.tally.defect('claim answered %d: %s' % (status, body))
            # The inventory moved, or filled up, since the search.
            self.tally.count('claims refused')
        self.tally.count('searches without a claim')

    def release(self, consumer):
        status, body = call(self._server(), 'DELETE',
                            '/allocations/' + consumer)
        if status != 204:
            self.tally.defect('release answered %d: %s' % (status, body))
            return
        with self.tally.lock:
            self.tally.held.discard(consumer)
        self.tally.count('releases acknowledged')


def _inventory_holder(server, root, child):
    """(holder, other, {uuid: generation}) of the compute node now."""
    generations, holder = {}, None
    for provider in (root, child):
        status, body = call(server, 'GET',
                            '/resource_providers/%s/inventories' % provider)
        assert status == 200, body
        generations[provider] = body['resource_provider_generation']
        if 'VCPU' in body['inventories']:
            holder = provider
    other = child if holder == root else root
    return holder, other, generations


def reshape_body(server, root, child):
    """The request that moves the VCPU inventory and its allocations to
    the provider that lacks them, from what is read now."""
    holder, other, generations = _inventory_holder(server, root, child)
    status, held = call(server, 'GET',
                        '/resource_providers/%s/allocations' % holder)
    assert status == 200, held
    allocations = {}
    for consumer, entry in held['allocations'].items():
        status, current = call(server, 'GET', '/allocations/' + consumer)
        assert status == 200, current
        if 'consumer_generation' not in current:
            # Released since: a generation of null would create it anew.
            continue
        allocations[consumer] = {
            'allocations': {other: {'resources': entry['resources']}},
            'project_id': PROJECT, 'user_id': USER,
            'consumer_generation': current.get('consumer_generation'),
            'consumer_type': 'INSTANCE'}
    return {
        'inventories': {
            holder: {'resource_provider_generation': generations[holder],
                     'inventories': {}},
            other: {'resource_provider_generation': generations[other],
                    'inventories': {'VCPU': {'total': TOTAL}}},
        },
        'allocations': allocations,
    }


class Reshaper(threading.Thread):
    def __init__(self, servers, root, child, tally, claimers):
        super().__init__(name='reshaper')
        self.random = random.Random(99)
        self.servers, self.root, self.child = servers, root, child
        self.tally, self.claimers = tally, claimers

    def run(self):
        try:
            while any(claimer.is_alive() for claimer in self.claimers):
                self.reshape('while claims ran')
        except Exception as exc:  # the test reports it, not the thread
            self.tally.defect('reshaper crashed: %r' % exc)

    def reshape(self, when):
        """One attempt, from a fresh read; whether it was acknowledged."""
        server = self.random.choice(self.servers)
        body = reshape_body(server, self.root, self.child)
        status, answer = call(server, 'POST', '/reshaper', body)
        if status == 204:
            self.tally.count('reshapes acknowledged %s' % when)
            return True
        detail = answer['errors'][0]['detail'] if answer else ''
        if status == 409 and 'generation conflict' in detail:
            # A claim or release landed after the read.
            self.tally.count('reshapes refused: %s moved on' % (
                'a consumer' if 'consumer' in detail else 'a provider'))
        else:
            self.tally.defect('reshape answered %d: %s' % (status, answer))
        return False


def _tree(server):
    root, child = str(uuidlib.uuid4()), str(uuidlib.uuid4())
    for body in ({'name': 'node', 'uuid': root},
                 {'name': 'node-numa', 'uuid': child,
                  'parent_provider_uuid': root}):
        status, answer = call(server, 'POST', '/resource_providers', body)
        assert status == 200, answer
    status, answer = call(
        server, 'PUT', '/resource_providers/%s/inventories' % root,
        {'resource_provider_generation': 0,
         'inventories': {'VCPU': {'total': TOTAL}}})
    assert status == 200, answer
    return root, child


def _check_final_state(server, root, child, tally):
    holder, other, _ = _inventory_holder(server, root, child)
    if holder is None:
        tally.defect('neither provider has the VCPU inventory')
        return
    status, body = call(server, 'GET',
                        '/resource_providers/%s/inventories' % other)
    if body['inventories']:
        tally.defect('both providers have inventory: %s' % body,
                     allocation_race.USAGE)
    status, held = call(server, 'GET',
                        '/resource_providers/%s/allocations' % holder)
    on_holder = {consumer for consumer, entry in held['allocations'].items()
                 if entry['resources'] == {'VCPU': 1}}
    if tally.held - on_holder:
        tally.defect('acknowledged claims missing: %s'
                     % sorted(tally.held - on_holder)[:5],
                     allocation_race.LOST_WRITE)
    if on_holder - tally.held:
        tally.defect('claims held that were released or refused: %s'
                     % sorted(on_holder - tally.held)[:5],
                     allocation_race.REFUSED_WRITE)
    for provider in (root, child):
        status, usages = call(server, 'GET',
                              '/resource_providers/%s/usages' % provider)
        used = usages['usages'].get('VCPU', 0)
        expected = len(tally.held) if provider == holder else 0
        if used != expected or used > TOTAL:
            tally.defect('%s uses %d VCPU, consumers hold %d'
                         % (provider, used, expected),
                         allocation_race.OVER_COMMIT if used > TOTAL
                         else allocation_race.USAGE)


@pytest.fixture
def servers(database_url, tmp_path):
    databases.fresh_database(database_url).dispose()
    with server_processes.running(
            database_url, tmp_path, SERVERS,
            extra_env={'OS_DEFAULT__DEBUG': 'True'}) as started:
        yield started


def _race(servers, backend, capsys):
    """Run the claimers and the reshaper, then one reshape alone; check
    the final state and print the counts. The Tally."""
    started = time.monotonic()
    root, child = _tree(servers[0])
    tally = Tally()
    claimers = [Claimer(index, servers, tally) for index in range(CLAIMERS)]
    reshaper = Reshaper(servers, root, child, tally, claimers)
    for thread in claimers + [reshaper]:
        thread.start()
    for thread in claimers + [reshaper]:
        thread.join()
    # Alone, a reshape goes through at once.
    if not reshaper.reshape('alone'):
        tally.defect('a reshape alone was refused')
    _check_final_state(servers[0], root, child, tally)
    with capsys.disabled():
        print('\n%s: %d servers, %d claimers and a reshaper, %.1f s: %s; '
              'defects: %s' % (
                  backend, SERVERS, CLAIMERS, time.monotonic() - started,
                  ', '.join('%s %d' % item
                            for item in sorted(tally.counts.items())),
                  tally.defects_by_kind()))
    return tally


def test_reshapes_race_claims(servers, backend, capsys):
    tally = _race(servers, backend, capsys)
    assert not tally.defects, '\n'.join(tally.defects[:20])
    assert tally.counts['claims acknowledged'] > 0
    # The race happened: reshapes were refused because a claim or a
    # release landed after their read.
    assert (tally.counts['reshapes refused: a provider moved on']
            + tally.counts['reshapes refused: a consumer moved on']) > 0


WITHOUT_CONSUMER_GENERATIONS = """
from placement.objects import allocation_write

allocation_write.Replacement._check_consumer_generations = (
    lambda self, consumers: None)
"""


def _reshape_read_before_a_release(servers):
    """Claim for a consumer, read a reshape that moves it, release it,
    then send the reshape: (its status, what the consumer then holds)."""
    root, child = _tree(servers[0])
    consumer = str(uuidlib.uuid4())
    status, _ = call(servers[0], 'PUT', '/allocations/' + consumer, {
        'allocations': {root: {'resources': {'VCPU': 1}}},
        'project_id': PROJECT, 'user_id': USER,
        'consumer_generation': None, 'consumer_type': 'INSTANCE'})
    assert status == 204
    body = reshape_body(servers[0], root, child)
    assert consumer in body['allocations']
    status, _ = call(servers[1], 'DELETE', '/allocations/' + consumer)
    assert status == 204
    status, _ = call(servers[0], 'POST', '/reshaper', body)
    _, held = call(servers[0], 'GET', '/allocations/' + consumer)
    return status, held['allocations']


def test_a_reshape_read_before_a_release_is_refused(servers):
    assert _reshape_read_before_a_release(servers) == (409, {})


def test_without_consumer_generations_a_reshape_undoes_a_release(
        database_url, tmp_path):
    """What the consumer generations guard in the race above."""
    databases.fresh_database(database_url).dispose()
    with server_processes.running(
            database_url, tmp_path, SERVERS,
            preamble=WITHOUT_CONSUMER_GENERATIONS) as servers:
        status, held = _reshape_read_before_a_release(servers)
    assert status == 204 and held
