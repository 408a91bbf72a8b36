"""Concurrent schedulers against several server processes on one database.

Two real ``placement-api`` processes share one database (an SQLite file,
PostgreSQL or MariaDB). Eight client threads, each a scheduler with
consumers of its own, claim (PUT), move (POST /allocations, swapping an
instance's claim to another provider while a migration consumer keeps the
source, as a cold migration does), replace (PUT other amounts, with the
consumer's generation, as a resize does) and release (DELETE) on
providers of small capacity, trying another provider when one is full,
as a scheduler does; half the claims go to the providers GET
/allocation_candidates offers, in its order, as nova's scheduler claims.
A monitor polls usages throughout. At the end everything is checked
through the API: no provider was ever over capacity, every acknowledged
write is there, no refused one is, and usages add up.
"""
import collections
import contextlib
import random
import threading
import time
import uuid as uuidlib

import pytest

from tests import databases
from tests import servers as server_processes

SERVERS = 2
THREADS = 8
CONSUMERS_PER_THREAD = 3
OPERATIONS_PER_THREAD = 30
PROVIDERS = 3
CAPACITY = {'VCPU': 6, 'MEMORY_MB': 3072}
PROJECT = 'race-project'


call = server_processes.call


def error_code(body):
    return body['errors'][0].get('code') if body else None


# The kinds of defect a race can show, each reported with its count.
OVER_COMMIT = 'over-commits'
LOST_WRITE = 'acknowledged writes lost'
REFUSED_WRITE = 'refused writes applied'
USAGE = 'usages not adding up'
BAD_ANSWER = 'wrong answers'


class Tally:
    """Counts of what happened, and the defects seen, across threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.defects = []
        self.defect_kinds = collections.Counter(
            dict.fromkeys((OVER_COMMIT, LOST_WRITE, REFUSED_WRITE, USAGE,
                           BAD_ANSWER), 0))

    def count(self, name):
        with self.lock:
            self.counts[name] += 1

    def defect(self, text, kind=BAD_ANSWER):
        with self.lock:
            self.defects.append(text)
            self.defect_kinds[kind] += 1

    def defects_by_kind(self):
        return ', '.join('%s %d' % item for item in self.defect_kinds.items())


class Consumer:
    """What the API acknowledged a consumer holds, as its owner knows."""

    def __init__(self):
        self.uuid = str(uuidlib.uuid4())
        self.generation = None
        self.holding = {}  # {provider uuid: {class: amount}}


def _body(consumer, holding, consumer_type):
    return {'allocations': {rp: {'resources': resources}
                            for rp, resources in holding.items()},
            'project_id': PROJECT, 'user_id': 'scheduler',
            'consumer_generation': consumer.generation,
            'consumer_type': consumer_type}


class Scheduler(threading.Thread):
    """A client thread with consumers of its own."""

    def __init__(self, index, servers, providers, tally):
        super().__init__(name='scheduler-%d' % index)
        self.random = random.Random(index)
        self.servers = servers
        self.providers = providers
        self.tally = tally
        self.instances = [Consumer() for _ in range(CONSUMERS_PER_THREAD)]
        self.migrations = [Consumer() for _ in range(CONSUMERS_PER_THREAD)]

    def consumers(self):
        return self.instances + self.migrations

    def _send(self, method, path, body=None):
        server = self.random.choice(self.servers)
        for _attempt in range(5):
            status, answer = call(server, method, path, body)
            if status == 409 and (error_code(answer)
                                  == 'placement.concurrent_update'):
                # The server gave up after its own retries; so may we,
                # a few times.
                self.tally.count('409 concurrent_update')
                time.sleep(self.random.uniform(0, 0.02))
                continue
            if status >= 500 or status not in (204, 404, 409):
                self.tally.defect('%s %s answered %d: %s'
                                  % (method, path, status, answer))
            return status
        return status

    def _wanted(self):
        return {'VCPU': self.random.randint(1, 2),
                'MEMORY_MB': self.random.choice((512, 1024))}

    def _candidates(self, resources):
        """The providers GET /allocation_candidates offers, in its order,
        as a scheduler asks for them; each offer is checked to hold just
        what was asked for, on a provider of the race."""
        query = ','.join('%s:%d' % item for item in sorted(resources.items()))
        status, answer = call(self.random.choice(self.servers), 'GET',
                              '/allocation_candidates?resources=' + query)
        if status != 200:
            self.tally.defect('candidates answered %d: %s'
                              % (status, answer))
            return []
        self.tally.count('candidate searches')
        offered = []
        for request in answer['allocation_requests']:
            (provider, entry), = request['allocations'].items()
            if provider not in self.providers or \
                    entry['resources'] != resources:
                self.tally.defect('a candidate offers %s' % request)
            offered.append(provider)
        if not offered:
            self.tally.count('candidate searches finding none')
        return offered

    def claim(self, consumer):
        resources = self._wanted()
        if self.random.random() < 0.5:
            # As a scheduler does: the candidates, then each in turn.
            choices = self._candidates(resources)
            kind = 'claims of candidates'
        else:
            choices = self.random.sample(self.providers, PROVIDERS)
            kind = 'claims'
        for provider in choices:
            holding = {provider: resources}
            status = self._send('PUT', '/allocations/%s' % consumer.uuid,
                                _body(consumer, holding, 'INSTANCE'))
            if status == 204:
                self._acknowledged(consumer, holding)
                self.tally.count('%s acknowledged' % kind)
                return
            self.tally.count('%s refused' % kind)
            self._check_unchanged([consumer])

    def move(self, instance, migration):
        (source, resources), = instance.holding.items()
        targets = [rp for rp in self.providers if rp != source]
        target = self.random.choice(targets)
        body = {
            instance.uuid: _body(instance, {target: resources}, 'INSTANCE'),
            migration.uuid: _body(migration, {source: resources},
                                  'MIGRATION'),
        }
        status = self._send('POST', '/allocations', body)
        if status == 204:
            self._acknowledged(instance, {target: resources})
            self._acknowledged(migration, {source: resources})
            self.tally.count('moves acknowledged')
        else:
            self.tally.count('moves refused')
            self._check_unchanged([instance, migration])

    def replace(self, consumer):
        """Give a consumer other amounts where it is, as a resize on the
        same host does: PUT with the consumer's generation."""
        (provider, _resources), = consumer.holding.items()
        holding = {provider: self._wanted()}
        status = self._send('PUT', '/allocations/%s' % consumer.uuid,
                            _body(consumer, holding, 'INSTANCE'))
        if status == 204:
            self._acknowledged(consumer, holding)
            self.tally.count('replacements acknowledged')
        else:
            self.tally.count('replacements refused')
            self._check_unchanged([consumer])

    def release(self, consumer):
        status = self._send('DELETE', '/allocations/%s' % consumer.uuid)
        if status == 204:
            consumer.holding, consumer.generation = {}, None
            self.tally.count('releases acknowledged')
        else:
            self.tally.defect('release of %s answered %d'
                              % (consumer.uuid, status))

    def _acknowledged(self, consumer, holding):
        consumer.holding = holding
        consumer.generation = (consumer.generation or 0) + 1

    def _check_unchanged(self, consumers):
        for consumer in consumers:
            if holdings(self.random.choice(self.servers),
                        consumer.uuid) != consumer.holding:
                self.tally.defect('refused write changed consumer %s'
                                  % consumer.uuid, REFUSED_WRITE)
            self.tally.count('refusals verified')

    def run(self):
        try:
            for _operation in range(OPERATIONS_PER_THREAD):
                self.step()
        except Exception as exc:  # the test reports it, not the thread
            self.tally.defect('%s crashed: %r' % (self.name, exc))

    def step(self):
        index = self.random.randrange(CONSUMERS_PER_THREAD)
        instance, migration = self.instances[index], self.migrations[index]
        if migration.holding:
            # Confirm the earlier move: the source is released.
            self.release(migration)
        elif not instance.holding:
            self.claim(instance)
        else:
            choice = self.random.random()
            if choice < 0.35:
                self.move(instance, migration)
            elif choice < 0.6:
                self.replace(instance)
            else:
                self.release(instance)


def holdings(server, consumer_uuid):
    status, body = call(server, 'GET', '/allocations/%s' % consumer_uuid)
    assert status == 200, body
    return {rp: entry['resources']
            for rp, entry in body['allocations'].items()}


class Monitor(threading.Thread):
    """Polls every provider's usages while the schedulers run."""

    def __init__(self, server, providers, tally):
        super().__init__(name='monitor')
        self.server = server
        self.providers = providers
        self.tally = tally
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            for provider in self.providers:
                for name, used in usages(self.server, provider).items():
                    if used > CAPACITY[name]:
                        self.tally.defect('provider %s used %d %s of %d'
                                          % (provider, used, name,
                                             CAPACITY[name]), OVER_COMMIT)
                self.tally.count('usage polls')
            time.sleep(0.05)


def usages(server, provider):
    status, body = call(server, 'GET',
                        '/resource_providers/%s/usages' % provider)
    assert status == 200, body
    return body['usages']


def make_providers(server):
    providers = []
    for index in range(PROVIDERS):
        uuid = str(uuidlib.uuid4())
        status, body = call(server, 'POST', '/resource_providers',
                            {'name': 'race-%d' % index, 'uuid': uuid})
        assert status == 200, body
        status, body = call(
            server, 'PUT', '/resource_providers/%s/inventories' % uuid,
            {'resource_provider_generation': 0,
             'inventories': {name: {'total': total}
                             for name, total in CAPACITY.items()}})
        assert status == 200, body
        providers.append(uuid)
    return providers


@pytest.fixture
def start_servers(database_url, tmp_path):
    """Start SERVERS servers on a fresh database (``preamble`` as
    tests.servers takes it); they stop when the test ends."""
    with contextlib.ExitStack() as stack:
        def start(preamble=None):
            databases.fresh_database(database_url).dispose()
            # Debug logging shows each lost race retried.
            return stack.enter_context(server_processes.running(
                database_url, tmp_path, SERVERS,
                extra_env={'OS_DEFAULT__DEBUG': 'True'},
                preamble=preamble))
        yield start


def _expected_usage(schedulers, providers):
    expected = {rp: collections.Counter() for rp in providers}
    for scheduler in schedulers:
        for consumer in scheduler.consumers():
            for rp, resources in consumer.holding.items():
                expected[rp].update(resources)
    return expected


def _check_final_state(servers, providers, schedulers, tally):
    server = servers[0]
    for scheduler in schedulers:
        for consumer in scheduler.consumers():
            if holdings(server, consumer.uuid) != consumer.holding:
                tally.defect('consumer %s holds %s, acknowledged %s' % (
                    consumer.uuid, holdings(server, consumer.uuid),
                    consumer.holding), LOST_WRITE)
            tally.count('consumers verified')
    expected = _expected_usage(schedulers, providers)
    for provider in providers:
        used = usages(server, provider)
        for name, capacity in CAPACITY.items():
            if used[name] != expected[provider][name]:
                tally.defect('provider %s uses %d %s, consumers hold %d'
                             % (provider, used[name], name,
                                expected[provider][name]), USAGE)
            if used[name] > capacity:
                tally.defect('provider %s over capacity: %d %s'
                             % (provider, used[name], name), OVER_COMMIT)
    status, body = call(server, 'GET', '/usages?project_id=%s' % PROJECT)
    assert status == 200, body
    total = collections.Counter()
    for counter in expected.values():
        total.update(counter)
    in_project = collections.Counter()
    for group in body['usages'].values():
        in_project.update({name: used for name, used in group.items()
                           if name != 'consumer_count'})
    if +in_project != +total:
        tally.defect('project usages %s, consumers hold %s'
                     % (dict(in_project), dict(total)), USAGE)


def _race(servers, backend, capsys):
    """Run the schedulers and the monitor, check the final state, print
    the counts; the Tally."""
    started = time.monotonic()
    providers = make_providers(servers[0])
    tally = Tally()
    schedulers = [Scheduler(index, servers, providers, tally)
                  for index in range(THREADS)]
    monitor = Monitor(servers[-1], providers, tally)
    monitor.start()
    for scheduler in schedulers:
        scheduler.start()
    for scheduler in schedulers:
        scheduler.join()
    monitor.done.set()
    monitor.join()
    _check_final_state(servers, providers, schedulers, tally)
    tally.counts['lost races retried by servers'] = sum(
        server.log_count('lost a race') for server in servers)
    with capsys.disabled():
        print('\n%s: %d servers, %d threads, %.1f s: %s; defects: %s'
              % (backend, SERVERS, THREADS, time.monotonic() - started,
                 ', '.join('%s %d' % item
                           for item in sorted(tally.counts.items())),
                 tally.defects_by_kind()))
    return tally


def test_concurrent_claims_moves_and_releases(start_servers, backend,
                                              capsys):
    servers = start_servers()
    tally = _race(servers, backend, capsys)
    assert not tally.defects, '\n'.join(
        tally.defects[:20] + ['server log:', servers[0].log_tail()])
    assert tally.counts['claims acknowledged'] > 0
    assert tally.counts['claims of candidates acknowledged'] > 0
    assert tally.counts['moves acknowledged'] > 0
    assert tally.counts['replacements acknowledged'] > 0
    assert tally.counts['claims refused'] > 0
    if backend != 'sqlite':
        # The writers really raced: some lost at the generation check
        # and were retried. (SQLite runs one writer at a time.)
        assert tally.counts['lost races retried by servers'] > 0


def test_without_the_generation_check_claims_over_commit(
        start_servers, backend, capsys):
    """The race above is what the generation compare-and-swap guards:
    servers without it over-commit providers."""
    if backend == 'sqlite':
        pytest.skip('SQLite runs one writer at a time: nothing to race')
    servers = start_servers(server_processes.WITHOUT_GENERATION_CHECK)
    tally = _race(servers, backend, capsys)
    over = [defect for defect in tally.defects if 'capacity' in defect
            or ' used ' in defect]
    assert over, tally.defects[:20]
