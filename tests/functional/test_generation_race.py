"""Writers in two server processes that saw the same provider generation
race to change the provider: exactly one wins each round, every other one
gets 409 placement.concurrent_update."""
import collections
import threading
import uuid

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


def test_one_winner_per_generation(database_url, tmp_path):
    databases.fresh_database(database_url).dispose()
    tally = collections.Counter()
    with servers.running(database_url, tmp_path, count=2) as started:
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
                tally.update(results)
                wins = [result for result in results if result[0] == 200]
                assert len(wins) == 1, (area, round_, results)
                assert all(result == (409, 'placement.concurrent_update')
                           for result in results if result[0] != 200)
                after = servers.call(started[0], 'GET', path)[1]
                assert after['resource_provider_generation'] == \
                    generation + 1
    print('race outcomes: %s' % dict(tally))
