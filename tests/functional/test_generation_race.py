"""Writers in two server processes that saw the same provider generation
race to change the provider: exactly one wins each round, every other one
gets 409 placement.concurrent_update."""
import collections
import threading
import uuid

import pytest

from tests import databases
from tests import servers

WRITERS = 6
ROUNDS = 5


def _traits_body(generation, trait):
    return {'resource_provider_generation': generation, 'traits': [trait]}


def _aggregates_body(generation, aggregate):
    return {'resource_provider_generation': generation,
            'aggregates': [aggregate]}


def _race(started, path, bodies):
    """Send each body at once from its own thread, alternating servers;
    the statuses and error codes."""
    results = [None] * len(bodies)
    barrier = threading.Barrier(len(bodies))

    def write(index):
        barrier.wait()
        status, body = servers.call(started[index % len(started)], 'PUT',
                                    path, bodies[index])
        code = body['errors'][0].get('code') if status >= 400 else None
        results[index] = (status, code)

    threads = [threading.Thread(target=write, args=(index,))
               for index in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _rounds(database_url, tmp_path, preamble=None):
    """Race ROUNDS rounds on traits and on aggregates; yields (area,
    round, results, generation before, generation after)."""
    databases.fresh_database(database_url).dispose()
    with servers.running(database_url, tmp_path, count=2,
                         preamble=preamble) as started:
        provider = str(uuid.uuid4())
        status, _ = servers.call(started[0], 'POST', '/resource_providers',
                                 {'name': 'raced', 'uuid': provider})
        assert status == 200
        for round_ in range(ROUNDS):
            # Every writer asks for a change: one that would leave the
            # provider as it is may rightly succeed beside the winner.
            traits = ['CUSTOM_R%d_W%d' % (round_, index)
                      for index in range(WRITERS)]
            for trait in traits:
                servers.call(started[0], 'PUT', '/traits/' + trait)
            for area, make_body, values in (
                    ('traits', _traits_body, traits),
                    ('aggregates', _aggregates_body,
                     [str(uuid.uuid4()) for _ in range(WRITERS)])):
                path = '/resource_providers/%s/%s' % (provider, area)
                generation = servers.call(started[1], 'GET', path)[1][
                    'resource_provider_generation']
                bodies = [make_body(generation, value) for value in values]
                results = _race(started, path, bodies)
                after = servers.call(started[0], 'GET', path)[1][
                    'resource_provider_generation']
                yield area, round_, results, generation, after


def test_one_winner_per_generation(database_url, tmp_path):
    tally = collections.Counter()
    for area, round_, results, before, after in _rounds(database_url,
                                                        tmp_path):
        tally.update(results)
        wins = [result for result in results if result[0] == 200]
        assert len(wins) == 1, (area, round_, results)
        assert all(result == (409, 'placement.concurrent_update')
                   for result in results if result[0] != 200)
        assert after == before + 1
    print('race outcomes: %s' % dict(tally))


def test_without_the_generation_check_several_win(database_url, tmp_path,
                                                  backend):
    """What the compare-and-swap guards: without it, writers that saw the
    same generation win together."""
    if backend == 'sqlite':
        pytest.skip('SQLite runs one writer at a time: nothing to race')
    most_wins = max(
        sum(1 for result in results if result[0] == 200)
        for _area, _round, results, _before, _after in _rounds(
            database_url, tmp_path, servers.WITHOUT_GENERATION_CHECK))
    assert most_wins > 1
