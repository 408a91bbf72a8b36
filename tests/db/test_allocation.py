"""Allocations in the database, on every backend: reads, claims, moves,
releases, consumers, and lost races retried in fresh transactions."""
import threading
import uuid as uuidlib

import pytest
import sqlalchemy as sa

from placement import context
from placement.db import api as db_api
from placement.db import tables
from placement import exception
from placement.objects import allocation as alloc_obj
from placement.objects import allocation_write
from placement.objects import resource_class
from placement.objects import resource_provider as rp_obj
from tests import databases

ClaimOf = allocation_write.ConsumerClaim


def context_for(db, url, overrides=None):
    return context.RequestContext(
        user_id='admin', project_id='admin', roles=['admin'], db=db,
        config=databases.make_conf(url, overrides))


@pytest.fixture
def ctx(db, database_url):
    return context_for(db, database_url)


@pytest.fixture
def configured(db, database_url):
    """A factory of contexts whose configuration has overrides, a
    {(group, option): value} dict."""
    return lambda overrides: context_for(db, database_url, overrides)


def _uuid():
    return str(uuidlib.uuid4())


def make_provider(ctx, **inventories):
    """A provider with the given inventories, each a total or a dict of
    inventory fields; returns its uuid."""
    uuid = _uuid()
    with ctx.db.writer(ctx) as conn:
        result = conn.execute(tables.resource_providers.insert().values(
            uuid=uuid, name='rp-%s' % uuid[:8], generation=0))
        provider_id = result.inserted_primary_key[0]
        conn.execute(tables.resource_providers.update()
                     .where(tables.resource_providers.c.id == provider_id)
                     .values(root_provider_id=provider_id))
        for name, fields in inventories.items():
            if isinstance(fields, int):
                fields = {'total': fields}
            row = dict({'reserved': 0, 'min_unit': 1,
                        'max_unit': fields['total'], 'step_size': 1,
                        'allocation_ratio': 1.0}, **fields)
            conn.execute(tables.inventories.insert().values(
                resource_provider_id=provider_id,
                resource_class_id=resource_class.id_of(ctx, conn, name),
                **row))
    return uuid


def provider_generation(ctx, uuid):
    with ctx.db.reader(ctx) as conn:
        return rp_obj.get_row(conn, uuid).generation


def claim(ctx, consumer_uuid, allocations, **fields):
    fields.setdefault('project_id', 'proj')
    fields.setdefault('user_id', 'user')
    allocation_write.replace_all(
        ctx, [ClaimOf(consumer_uuid, allocations, **fields)])


def holdings(ctx, consumer_uuid):
    found = alloc_obj.get_for_consumer(ctx, consumer_uuid)
    if found is None:
        return {}
    return {rp: entry['resources']
            for rp, entry in found.allocations.items()}


def count_rows(ctx, table):
    with ctx.db.reader(ctx) as conn:
        return conn.execute(
            sa.select(sa.func.count()).select_from(table)).scalar()


def test_unknown_consumer_has_none(ctx):
    assert alloc_obj.get_for_consumer(ctx, _uuid()) is None


def test_claim_and_read_back(ctx):
    rp1 = make_provider(ctx, VCPU=8, MEMORY_MB=1024)
    rp2 = make_provider(ctx, DISK_GB=100)
    consumer = _uuid()
    claim(ctx, consumer, {rp1: {'VCPU': 2, 'MEMORY_MB': 512},
                          rp2: {'DISK_GB': 10}}, consumer_type='INSTANCE')
    found = alloc_obj.get_for_consumer(ctx, consumer)
    assert found.allocations == {
        rp1: {'generation': 1, 'resources': {'VCPU': 2, 'MEMORY_MB': 512}},
        rp2: {'generation': 1, 'resources': {'DISK_GB': 10}}}
    assert (found.project_id, found.user_id) == ('proj', 'user')
    assert found.consumer_generation == 1
    assert found.consumer_type == 'INSTANCE'
    assert found.last_modified is not None
    by_provider = alloc_obj.get_for_provider(ctx, rp1)
    assert by_provider.resource_provider_generation == 1
    assert by_provider.allocations == {consumer: {
        'resources': {'VCPU': 2, 'MEMORY_MB': 512},
        'consumer_generation': 1}}


def test_provider_without_allocations(ctx):
    rp = make_provider(ctx, VCPU=8)
    found = alloc_obj.get_for_provider(ctx, rp)
    assert (found.allocations, found.resource_provider_generation,
            found.last_modified) == ({}, 0, None)


def test_unknown_provider_allocations_not_found(ctx):
    with pytest.raises(exception.NotFound) as raised:
        alloc_obj.get_for_provider(ctx, _uuid())
    assert raised.value.code == 'placement.undefined_code'


def test_replace_moves_and_bumps_only_claimed(ctx):
    source = make_provider(ctx, VCPU=4)
    target = make_provider(ctx, VCPU=4)
    consumer = _uuid()
    claim(ctx, consumer, {source: {'VCPU': 4}})
    claim(ctx, consumer, {target: {'VCPU': 4}})
    assert holdings(ctx, consumer) == {target: {'VCPU': 4}}
    assert alloc_obj.get_for_consumer(ctx, consumer).consumer_generation == 2
    # Releasing from the source only lowered its usage.
    assert provider_generation(ctx, source) == 1
    assert provider_generation(ctx, target) == 1
    claim(ctx, _uuid(), {source: {'VCPU': 4}})


def test_capacity_is_total_less_reserved_times_ratio(ctx):
    rp = make_provider(ctx, VCPU={'total': 4, 'reserved': 1,
                                  'allocation_ratio': 2.0, 'max_unit': 6})
    claim(ctx, _uuid(), {rp: {'VCPU': 6}})
    with pytest.raises(exception.Conflict) as raised:
        claim(ctx, _uuid(), {rp: {'VCPU': 1}})
    assert rp in raised.value.detail and 'VCPU' in raised.value.detail
    assert 'capacity' in raised.value.detail


def test_failed_claim_writes_nothing(ctx):
    roomy = make_provider(ctx, VCPU=8)
    full = make_provider(ctx, DISK_GB=10)
    consumer = _uuid()
    with pytest.raises(exception.Conflict):
        claim(ctx, consumer, {roomy: {'VCPU': 1}, full: {'DISK_GB': 11}})
    assert holdings(ctx, consumer) == {}
    assert provider_generation(ctx, roomy) == 0
    assert count_rows(ctx, tables.consumers) == 0
    assert count_rows(ctx, tables.projects) == 0


def test_failed_replacement_keeps_old_allocations(ctx):
    rp = make_provider(ctx, VCPU=4)
    consumer = _uuid()
    claim(ctx, consumer, {rp: {'VCPU': 2}})
    with pytest.raises(exception.Conflict):
        claim(ctx, consumer, {rp: {'VCPU': 5}})
    assert holdings(ctx, consumer) == {rp: {'VCPU': 2}}
    # Its own allocation is released by the replacement, so 4 fits.
    claim(ctx, consumer, {rp: {'VCPU': 4}})


@pytest.mark.parametrize('amount', [1, 20, 5])
def test_unit_constraints(ctx, amount):
    rp = make_provider(ctx, DISK_GB={'total': 100, 'min_unit': 2,
                                     'max_unit': 10, 'step_size': 2})
    with pytest.raises(exception.Conflict) as raised:
        claim(ctx, _uuid(), {rp: {'DISK_GB': amount}})
    assert raised.value.detail == (
        "Unable to allocate inventory: Unable to create allocation for "
        "'DISK_GB' on resource provider '%s'. The requested amount would "
        "violate inventory constraints." % rp)


def test_class_without_inventory_conflicts(ctx):
    rp = make_provider(ctx, VCPU=4)
    with pytest.raises(exception.Conflict) as raised:
        claim(ctx, _uuid(), {rp: {'VCPU': 1, 'DISK_GB': 1}})
    assert 'DISK_GB' in raised.value.detail and rp in raised.value.detail


def test_unknown_provider_is_bad_request(ctx):
    missing = _uuid()
    with pytest.raises(exception.BadRequest) as raised:
        claim(ctx, _uuid(), {missing: {'VCPU': 1}})
    assert missing in raised.value.detail


def test_unknown_class_is_bad_request(ctx):
    rp = make_provider(ctx, VCPU=4)
    with pytest.raises(exception.BadRequest) as raised:
        claim(ctx, _uuid(), {rp: {'CUSTOM_NOPE': 1}})
    assert 'CUSTOM_NOPE' in raised.value.detail


def test_consumer_generation_checked(ctx):
    rp = make_provider(ctx, VCPU=4)
    consumer = _uuid()
    with pytest.raises(exception.ConcurrentUpdate) as raised:
        claim(ctx, consumer, {rp: {'VCPU': 1}}, check_generation=True,
              generation=0)
    assert 'null' in raised.value.detail
    claim(ctx, consumer, {rp: {'VCPU': 1}}, check_generation=True,
          generation=None)
    for stale in (None, 0, 2):
        with pytest.raises(exception.ConcurrentUpdate):
            claim(ctx, consumer, {rp: {'VCPU': 2}}, check_generation=True,
                  generation=stale)
    claim(ctx, consumer, {rp: {'VCPU': 2}}, check_generation=True,
          generation=1)
    assert alloc_obj.get_for_consumer(ctx, consumer).consumer_generation == 2


def test_empty_claim_releases_and_forgets_consumer(ctx):
    rp = make_provider(ctx, VCPU=4)
    consumer = _uuid()
    claim(ctx, consumer, {rp: {'VCPU': 4}})
    claim(ctx, consumer, {}, check_generation=True, generation=1)
    assert holdings(ctx, consumer) == {}
    assert count_rows(ctx, tables.consumers) == 0
    # Everything released from it: the provider's generation moves.
    assert provider_generation(ctx, rp) == 2
    # A consumer that is new again starts from null.
    claim(ctx, consumer, {rp: {'VCPU': 4}}, check_generation=True,
          generation=None)


def test_empty_claim_of_unknown_consumer_makes_it_at_generation_0(ctx):
    """As OpenStack Placement does: the consumer is made without
    allocations, and the next write that checks generations names 0."""
    rp = make_provider(ctx, VCPU=4)
    consumer = _uuid()
    claim(ctx, consumer, {}, check_generation=True, generation=None)
    assert count_rows(ctx, tables.consumers) == 1
    assert holdings(ctx, consumer) == {}
    with pytest.raises(exception.ConcurrentUpdate) as raised:
        claim(ctx, consumer, {rp: {'VCPU': 1}}, check_generation=True,
              generation=None)
    assert raised.value.detail.startswith(
        'consumer generation conflict - expected 0 but got None')
    # Given nothing again, it stays as it is.
    claim(ctx, consumer, {}, check_generation=True, generation=0)
    claim(ctx, consumer, {rp: {'VCPU': 1}}, check_generation=True,
          generation=0)
    assert alloc_obj.get_for_consumer(ctx, consumer).consumer_generation == 1


def test_swap_between_consumers_on_a_full_provider(ctx):
    rp = make_provider(ctx, VCPU=4)
    old, new = _uuid(), _uuid()
    claim(ctx, old, {rp: {'VCPU': 4}})
    allocation_write.replace_all(ctx, [
        ClaimOf(old, {}, 'proj', 'user'),
        ClaimOf(new, {rp: {'VCPU': 4}}, 'proj', 'user')])
    assert holdings(ctx, old) == {}
    assert holdings(ctx, new) == {rp: {'VCPU': 4}}


def test_two_consumers_sum_against_capacity(ctx):
    rp = make_provider(ctx, VCPU=4)
    with pytest.raises(exception.Conflict):
        allocation_write.replace_all(ctx, [
            ClaimOf(_uuid(), {rp: {'VCPU': 3}}, 'proj', 'user'),
            ClaimOf(_uuid(), {rp: {'VCPU': 2}}, 'proj', 'user')])
    assert count_rows(ctx, tables.allocations) == 0


def test_over_capacity_provider_may_shrink(ctx):
    rp = make_provider(ctx, VCPU=8)
    consumer = _uuid()
    claim(ctx, consumer, {rp: {'VCPU': 8}})
    with ctx.db.writer(ctx) as conn:
        conn.execute(tables.inventories.update().values(total=4))
    claim(ctx, consumer, {rp: {'VCPU': 6}})
    with pytest.raises(exception.Conflict):
        claim(ctx, consumer, {rp: {'VCPU': 7}})
    with pytest.raises(exception.Conflict):
        claim(ctx, _uuid(), {rp: {'VCPU': 1}})


def test_incomplete_consumer_completed_on_next_write(configured):
    ctx = configured({
        ('placement', 'incomplete_consumer_project_id'): 'missing-proj',
        ('placement', 'incomplete_consumer_user_id'): 'missing-user'})
    rp = make_provider(ctx, VCPU=4)
    consumer = _uuid()
    claim(ctx, consumer, {rp: {'VCPU': 1}}, project_id=None, user_id=None)
    found = alloc_obj.get_for_consumer(ctx, consumer)
    assert (found.project_id, found.user_id) == ('missing-proj',
                                                 'missing-user')
    claim(ctx, consumer, {rp: {'VCPU': 2}})
    found = alloc_obj.get_for_consumer(ctx, consumer)
    assert (found.project_id, found.user_id) == ('proj', 'user')
    # A later write without an owner keeps the one it has.
    claim(ctx, consumer, {rp: {'VCPU': 1}}, project_id=None, user_id=None)
    assert alloc_obj.get_for_consumer(ctx, consumer).project_id == 'proj'


def test_consumer_type_set_kept_and_changed(ctx):
    rp = make_provider(ctx, VCPU=4)
    consumer = _uuid()
    claim(ctx, consumer, {rp: {'VCPU': 1}})
    assert alloc_obj.get_for_consumer(ctx, consumer).consumer_type == (
        'unknown')
    claim(ctx, consumer, {rp: {'VCPU': 1}}, consumer_type='INSTANCE')
    claim(ctx, consumer, {rp: {'VCPU': 1}})
    assert alloc_obj.get_for_consumer(ctx, consumer).consumer_type == (
        'INSTANCE')
    claim(ctx, consumer, {rp: {'VCPU': 1}}, consumer_type='MIGRATION')
    assert alloc_obj.get_for_consumer(ctx, consumer).consumer_type == (
        'MIGRATION')
    assert count_rows(ctx, tables.consumer_types) == 2


def test_projects_and_users_shared_between_consumers(ctx):
    rp = make_provider(ctx, VCPU=4)
    claim(ctx, _uuid(), {rp: {'VCPU': 1}})
    claim(ctx, _uuid(), {rp: {'VCPU': 1}})
    claim(ctx, _uuid(), {rp: {'VCPU': 1}}, project_id='other')
    assert count_rows(ctx, tables.projects) == 2
    assert count_rows(ctx, tables.users) == 1


def test_delete_for_consumer(ctx):
    rp = make_provider(ctx, VCPU=4)
    consumer = _uuid()
    claim(ctx, consumer, {rp: {'VCPU': 4}})
    allocation_write.delete_for_consumer(ctx, consumer)
    assert holdings(ctx, consumer) == {}
    assert count_rows(ctx, tables.consumers) == 0
    with pytest.raises(exception.NotFound):
        allocation_write.delete_for_consumer(ctx, consumer)
    claim(ctx, _uuid(), {rp: {'VCPU': 4}})


class _LosesRaces:
    """bump_generation that reports a lost race the first ``times`` calls,
    counting how often usage was read."""

    def __init__(self, monkeypatch, times):
        self.left = times
        self.usage_reads = 0
        real_bump = rp_obj.bump_generation
        real_read = allocation_write.Replacement._inventories_and_usage

        def bump(conn, provider_id, seen_generation):
            if self.left:
                self.left -= 1
                raise db_api.LostRace('simulated')
            return real_bump(conn, provider_id, seen_generation)

        def read(replacement, *args):
            self.usage_reads += 1
            return real_read(replacement, *args)

        monkeypatch.setattr(rp_obj, 'bump_generation', bump)
        monkeypatch.setattr(allocation_write.Replacement,
                            '_inventories_and_usage', read)


def test_lost_race_retried_with_fresh_usage(ctx, monkeypatch):
    rp = make_provider(ctx, VCPU=4)
    races = _LosesRaces(monkeypatch, times=3)
    consumer = _uuid()
    claim(ctx, consumer, {rp: {'VCPU': 1}})
    assert races.usage_reads == 4
    assert holdings(ctx, consumer) == {rp: {'VCPU': 1}}
    assert provider_generation(ctx, rp) == 1


def test_too_many_lost_races_is_a_conflict(ctx, monkeypatch):
    monkeypatch.setattr(ctx.db, 'write_attempts', 3)
    rp = make_provider(ctx, VCPU=4)
    races = _LosesRaces(monkeypatch, times=100)
    consumer = _uuid()
    with pytest.raises(exception.ConcurrentUpdate) as raised:
        claim(ctx, consumer, {rp: {'VCPU': 1}})
    assert raised.value.code == 'placement.concurrent_update'
    assert raised.value.detail == (
        'Inventory and/or allocations changed while attempting to '
        'allocate: Another thread concurrently updated the resource '
        'provider data. Please retry your update')
    assert races.usage_reads == 3
    assert holdings(ctx, consumer) == {}
    assert count_rows(ctx, tables.consumers) == 0


def _interleave(monkeypatch, rival):
    """Run ``rival`` to completion in another thread (so in another
    transaction) once, right after the next replacement has read usage
    and checked its claims; returns a list that is non-empty once it
    ran."""
    real_check = allocation_write.Replacement._check_fit
    ran = []

    def check_then_let_rival_commit(replacement, *args):
        real_check(replacement, *args)
        if not ran:
            ran.append(True)
            thread = threading.Thread(target=rival)
            thread.start()
            thread.join(30)
            assert not thread.is_alive()

    monkeypatch.setattr(allocation_write.Replacement, '_check_fit',
                        check_then_let_rival_commit)
    return ran


def _skip_on_sqlite(backend):
    if backend == 'sqlite':
        pytest.skip('SQLite writers hold the write lock from BEGIN: the '
                    'interleaving cannot happen')


def test_claim_committed_mid_transaction_is_seen_on_retry(
        db, database_url, backend, monkeypatch):
    """The race OpenStack Placement 16.0.0 loses on PostgreSQL and MariaDB:
    another writer fills the provider after this transaction has read
    usage. The generation compare-and-swap must fail, and the retry must
    read usage afresh and refuse, not over-commit."""
    _skip_on_sqlite(backend)
    ctx, rp, rival, interleaved, bumps = _claim_raced_by_a_rival(
        db, database_url, monkeypatch)
    consumer = _uuid()
    with pytest.raises(exception.Conflict) as raised:
        claim(ctx, consumer, {rp: {'VCPU': 2}})
    assert 'capacity' in raised.value.detail
    assert interleaved
    # The first attempt lost the race at the generation check; the
    # retry read usage afresh and refused before it got that far.
    assert bumps == ['lost']
    assert holdings(ctx, rival) == {rp: {'VCPU': 3}}
    assert holdings(ctx, consumer) == {}


def _claim_raced_by_a_rival(db, database_url, monkeypatch):
    """(ctx, provider, rival consumer, interleaved, bump outcomes): a
    provider with 4 VCPU, and a rival that claims 3 of them right after
    the next claim has read usage. The rival's project and user exist
    already, so that the generation is the only thing the two writers
    collide on."""
    ctx = context_for(db, database_url)
    rp = make_provider(ctx, VCPU=4)
    earlier = _uuid()
    claim(ctx, earlier, {rp: {'VCPU': 1}})
    allocation_write.delete_for_consumer(ctx, earlier)
    rival = _uuid()
    bumps = []
    real_bump = rp_obj.bump_generation

    def counted_bump(conn, provider_id, seen_generation):
        if threading.current_thread() is threading.main_thread():
            try:
                generation = real_bump(conn, provider_id, seen_generation)
            except db_api.LostRace:
                bumps.append('lost')
                raise
            bumps.append('won')
            return generation
        return real_bump(conn, provider_id, seen_generation)

    monkeypatch.setattr(rp_obj, 'bump_generation', counted_bump)
    interleaved = _interleave(monkeypatch, lambda: claim(
        context_for(db, database_url), rival, {rp: {'VCPU': 3}}))
    return ctx, rp, rival, interleaved, bumps


def test_without_the_generation_check_the_rival_is_over_committed(
        db, database_url, backend, monkeypatch):
    """The guard above is the generation compare-and-swap: without it the
    same interleaving over-commits the provider."""
    _skip_on_sqlite(backend)

    def unchecked_bump(conn, provider_id, seen_generation):
        conn.execute(tables.resource_providers.update()
                     .where(tables.resource_providers.c.id == provider_id)
                     .values(generation=seen_generation + 1))
        return seen_generation + 1

    monkeypatch.setattr(rp_obj, 'bump_generation', unchecked_bump)
    ctx, rp, rival, interleaved, _bumps = _claim_raced_by_a_rival(
        db, database_url, monkeypatch)
    monkeypatch.setattr(rp_obj, 'bump_generation', unchecked_bump)
    consumer = _uuid()
    claim(ctx, consumer, {rp: {'VCPU': 2}})
    assert interleaved
    assert holdings(ctx, rival) == {rp: {'VCPU': 3}}
    assert holdings(ctx, consumer) == {rp: {'VCPU': 2}}


def test_delete_committed_mid_replacement(db, database_url, backend,
                                          monkeypatch):
    """A release that commits while a replacement of the same consumer is
    under way: the replacement must notice the consumer went, not leave
    its allocations behind without a consumer."""
    _skip_on_sqlite(backend)
    ctx = context_for(db, database_url)
    rp = make_provider(ctx, VCPU=4)
    consumer = _uuid()
    claim(ctx, consumer, {rp: {'VCPU': 1}})
    interleaved = _interleave(
        monkeypatch, lambda: allocation_write.delete_for_consumer(
            context_for(db, database_url), consumer))
    with pytest.raises(exception.ConcurrentUpdate) as raised:
        claim(ctx, consumer, {rp: {'VCPU': 2}}, check_generation=True,
              generation=1)
    assert 'consumer generation conflict' in raised.value.detail
    assert interleaved
    assert holdings(ctx, consumer) == {}
    assert count_rows(ctx, tables.allocations) == 0
    assert count_rows(ctx, tables.consumers) == 0
