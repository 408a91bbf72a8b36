"""Writers racing to change one provider from the same generation, each
thread with a context (and so a connection) of its own: exactly one wins
each round, the others get ConcurrentUpdate, on every backend."""
import threading
import uuid as uuidlib

import pytest

from placement import context
from placement import exception
from placement.objects import aggregate
from placement.objects import provider_trait
from placement.objects import resource_provider as rp_obj
from placement.objects import trait

WRITERS = 4
ROUNDS = 3
# Long enough for every writer to reach the rendezvous; short enough that
# a writer kept from it (SQLite lets one writer at a time in) costs little.
RENDEZVOUS_SECONDS = 5


def _context(db):
    return context.RequestContext(user_id='admin', project_id='admin',
                                  roles=['admin'], db=db)


def _uuid():
    return str(uuidlib.uuid4())


@pytest.fixture
def provider(db):
    return rp_obj.create(_context(db), 'contested')['uuid']


class Rendezvous:
    """A one-time meeting point: the first WRITERS calls to ``wait`` return
    together (or once RENDEZVOUS_SECONDS pass); later ones, such as a
    writer retrying after a deadlock, return at once."""

    def __init__(self):
        self._barrier = threading.Barrier(WRITERS,
                                          timeout=RENDEZVOUS_SECONDS)
        self._met = threading.Event()

    def wait(self):
        if self._met.is_set():
            return
        try:
            self._barrier.wait()
        except threading.BrokenBarrierError:
            pass
        self._met.set()


@pytest.fixture
def meeting(backend, monkeypatch):
    """Where supported, hold each writer just after it has read the
    provider in its transaction until all have, so that all of them write
    from the same generation. SQLite admits one writer transaction at a
    time, so there the writers are only started together."""
    current = {}
    if backend != 'sqlite':
        real_get_row = rp_obj.get_row

        def get_row_then_meet(conn, uuid):
            row = real_get_row(conn, uuid)
            if 'rendezvous' in current:
                current['rendezvous'].wait()
            return row

        monkeypatch.setattr(rp_obj, 'get_row', get_row_then_meet)
    return current


def _race(db, meeting, write):
    """Run ``write(ctx, index)`` in WRITERS threads started together;
    (results, errors) by writer index."""
    start = threading.Barrier(WRITERS)
    meeting['rendezvous'] = Rendezvous()
    results, errors = {}, {}

    def run(index):
        ctx = _context(db)
        start.wait()
        try:
            results[index] = write(ctx, index)
        except Exception as exc:
            errors[index] = exc

    threads = [threading.Thread(target=run, args=(index,))
               for index in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    meeting.pop('rendezvous')
    return results, errors


def _generation(db, uuid):
    return rp_obj.get_by_uuid(_context(db), uuid)['generation']


def _assert_one_winner(results, errors):
    assert len(results) == 1, (results, errors)
    assert len(errors) == WRITERS - 1
    for error in errors.values():
        assert isinstance(error, exception.ConcurrentUpdate), repr(error)


def test_trait_writers_race(db, provider, meeting):
    for round_ in range(ROUNDS):
        seen = _generation(db, provider)
        # Each writer wants a set of its own, unlike what is there, so that
        # every writer has something to change.
        wanted = [['CUSTOM_RACE_%d_%d' % (round_, index), 'HW_CPU_X86_AVX']
                  for index in range(WRITERS)]
        for names in wanted:
            trait.ensure(_context(db), names[0])

        def write(ctx, index):
            return provider_trait.set_for_provider(
                ctx, provider, wanted[index], seen_generation=seen)

        results, errors = _race(db, meeting, write)
        _assert_one_winner(results, errors)
        (winner, (generation, traits, _modified)), = results.items()
        assert generation == seen + 1 == _generation(db, provider)
        assert traits == sorted(wanted[winner])
        stored = provider_trait.get_for_provider(_context(db), provider)
        assert stored[:2] == (generation, traits)


def test_aggregate_writers_race(db, provider, meeting):
    for _round in range(ROUNDS):
        seen = _generation(db, provider)
        # Each writer names an aggregate new to the database.
        wanted = [[_uuid()] for _index in range(WRITERS)]

        def write(ctx, index):
            return aggregate.set_for_provider(
                ctx, provider, wanted[index], seen_generation=seen)

        results, errors = _race(db, meeting, write)
        _assert_one_winner(results, errors)
        (winner, (generation, uuids)), = results.items()
        assert generation == seen + 1 == _generation(db, provider)
        assert uuids == wanted[winner]
        assert aggregate.get_for_provider(_context(db), provider) == (
            generation, wanted[winner])


def test_same_new_aggregate_race(db, provider, meeting):
    """Writers all create the same new aggregate: the losers collide on
    its unique uuid as well as on the generation."""
    for _round in range(ROUNDS):
        seen = _generation(db, provider)
        shared = [_uuid()]

        def write(ctx, index):
            return aggregate.set_for_provider(ctx, provider, shared,
                                              seen_generation=seen)

        results, errors = _race(db, meeting, write)
        _assert_one_winner(results, errors)
        assert aggregate.get_for_provider(_context(db), provider) == (
            seen + 1, shared)
