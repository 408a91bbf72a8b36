"""Usages in the database, on every backend.

The allocation rows, with their consumers, projects, users and consumer
types, are written straight into the tables, as the allocation endpoints
will write them.
"""
import uuid as uuidlib

import pytest
from oslo_utils import timeutils
import sqlalchemy as sa

from placement import context
from placement.db import tables
from placement import exception
from placement.objects import inventory as inv_obj
from placement.objects import resource_class
from placement.objects import resource_provider as rp_obj
from placement.objects import usage


class World:
    """Providers and consumers, made with the fewest words."""

    def __init__(self, ctx):
        self.ctx = ctx

    def _id_of(self, conn, table, column, value):
        """The id of the row whose ``column`` is ``value``, made if need
        be."""
        row = conn.execute(sa.select(table.c.id).where(
            table.c[column] == value)).first()
        if row is not None:
            return row.id
        return conn.execute(table.insert().values(
            {column: value, 'created_at': timeutils.utcnow()})
        ).inserted_primary_key[0]

    def provider(self, **inventories):
        """A provider with an inventory of ``total`` for each class."""
        uuid = rp_obj.create(self.ctx, 'rp-%s' % uuidlib.uuid4().hex)['uuid']
        if inventories:
            inv_obj.replace_all(self.ctx, uuid, 0, {
                name: inv_obj.with_defaults({'total': total})
                for name, total in inventories.items()})
        return uuid

    def consumer(self, project, user, consumer_type=None):
        uuid = str(uuidlib.uuid4())
        with self.ctx.db.writer(self.ctx) as conn:
            type_id = None
            if consumer_type is not None:
                type_id = self._id_of(conn, tables.consumer_types, 'name',
                                      consumer_type)
            conn.execute(tables.consumers.insert().values(
                uuid=uuid, generation=0, consumer_type_id=type_id,
                project_id=self._id_of(conn, tables.projects,
                                       'external_id', project),
                user_id=self._id_of(conn, tables.users, 'external_id',
                                    user)))
        return uuid

    def allocate(self, consumer, provider, **amounts):
        with self.ctx.db.writer(self.ctx) as conn:
            provider_id = rp_obj.get_row(conn, provider).id
            class_ids = resource_class.ids_of(self.ctx, conn, list(amounts))
            conn.execute(tables.allocations.insert(), [
                {'resource_provider_id': provider_id, 'consumer_id': consumer,
                 'resource_class_id': class_ids[name], 'used': used}
                for name, used in amounts.items()])


@pytest.fixture
def ctx(db):
    return context.RequestContext(user_id='admin', project_id='admin',
                                  roles=['admin'], db=db)


@pytest.fixture
def world(ctx):
    return World(ctx)


@pytest.fixture
def busy(world):
    """Project p1: an INSTANCE and a MIGRATION consumer of user u1, one
    consumer of user u2 without a type; project p2: one INSTANCE."""
    compute = world.provider(VCPU=16, MEMORY_MB=4096, DISK_GB=100)
    storage = world.provider(DISK_GB=1000)
    instance = world.consumer('p1', 'u1', 'INSTANCE')
    world.allocate(instance, compute, VCPU=2, MEMORY_MB=512)
    world.allocate(instance, storage, DISK_GB=20)
    migration = world.consumer('p1', 'u1', 'MIGRATION')
    world.allocate(migration, compute, VCPU=1, MEMORY_MB=256)
    untyped = world.consumer('p1', 'u2')
    world.allocate(untyped, compute, VCPU=4)
    other = world.consumer('p2', 'u1', 'INSTANCE')
    world.allocate(other, compute, VCPU=8, DISK_GB=5)
    return compute, storage


def test_provider_usages(ctx, busy):
    compute, storage = busy
    assert usage.provider_usages(ctx, compute) == (
        1, {'VCPU': 15, 'MEMORY_MB': 768, 'DISK_GB': 5})
    assert usage.provider_usages(ctx, storage) == (1, {'DISK_GB': 20})


def test_provider_usages_zero_for_each_inventory(ctx, world):
    resource_class.create(ctx, 'CUSTOM_MAGIC')
    provider = world.provider(VCPU=4, CUSTOM_MAGIC=3)
    assert usage.provider_usages(ctx, provider) == (
        1, {'VCPU': 0, 'CUSTOM_MAGIC': 0})


def test_provider_usages_without_inventory(ctx, world):
    provider = world.provider()
    assert usage.provider_usages(ctx, provider) == (0, {})


def test_provider_usages_unknown_provider(ctx):
    with pytest.raises(exception.NotFound):
        usage.provider_usages(ctx, str(uuidlib.uuid4()))


def test_total_usages(ctx, busy):
    assert usage.total_usages(ctx, 'p1') == {
        'VCPU': 7, 'MEMORY_MB': 768, 'DISK_GB': 20}
    assert usage.total_usages(ctx, 'p1', user_id='u1') == {
        'VCPU': 3, 'MEMORY_MB': 768, 'DISK_GB': 20}
    assert usage.total_usages(ctx, 'p1', user_id='u2') == {'VCPU': 4}
    assert usage.total_usages(ctx, 'p2') == {'VCPU': 8, 'DISK_GB': 5}


def test_total_usages_of_nobody(ctx, busy):
    assert usage.total_usages(ctx, 'p9') == {}
    assert usage.total_usages(ctx, 'p1', user_id='u9') == {}
    assert usage.usages_by_consumer_type(ctx, 'p9') == {}
    assert usage.usages_by_consumer_type(ctx, 'p9',
                                         consumer_type='all') == {}


def test_by_consumer_type(ctx, busy):
    assert usage.usages_by_consumer_type(ctx, 'p1') == {
        'INSTANCE': {'VCPU': 2, 'MEMORY_MB': 512, 'DISK_GB': 20,
                     'consumer_count': 1},
        'MIGRATION': {'VCPU': 1, 'MEMORY_MB': 256, 'consumer_count': 1},
        'unknown': {'VCPU': 4, 'consumer_count': 1},
    }


def test_by_consumer_type_for_a_user(ctx, busy):
    assert usage.usages_by_consumer_type(ctx, 'p1', user_id='u2') == {
        'unknown': {'VCPU': 4, 'consumer_count': 1}}


def test_by_consumer_type_all(ctx, busy):
    # Three consumers, each counted once however many classes it uses.
    assert usage.usages_by_consumer_type(ctx, 'p1', consumer_type='all') == {
        'all': {'VCPU': 7, 'MEMORY_MB': 768, 'DISK_GB': 20,
                'consumer_count': 3}}


def test_by_consumer_type_unknown(ctx, busy):
    assert usage.usages_by_consumer_type(
        ctx, 'p1', consumer_type='unknown') == {
        'unknown': {'VCPU': 4, 'consumer_count': 1}}


def test_by_consumer_type_name(ctx, busy):
    assert usage.usages_by_consumer_type(
        ctx, 'p1', user_id='u1', consumer_type='INSTANCE') == {
        'INSTANCE': {'VCPU': 2, 'MEMORY_MB': 512, 'DISK_GB': 20,
                     'consumer_count': 1}}
    assert usage.usages_by_consumer_type(
        ctx, 'p1', consumer_type='NOSUCH') == {}


def test_consumer_count_is_per_type(ctx, world):
    provider = world.provider(VCPU=100, MEMORY_MB=100)
    for _ in range(3):
        world.allocate(world.consumer('p1', 'u1', 'INSTANCE'), provider,
                       VCPU=1, MEMORY_MB=2)
    world.allocate(world.consumer('p1', 'u2', 'INSTANCE'), provider, VCPU=1)
    world.allocate(world.consumer('p1', 'u2'), provider, MEMORY_MB=5)
    assert usage.usages_by_consumer_type(ctx, 'p1') == {
        'INSTANCE': {'VCPU': 4, 'MEMORY_MB': 6, 'consumer_count': 4},
        'unknown': {'MEMORY_MB': 5, 'consumer_count': 1}}
    assert usage.usages_by_consumer_type(
        ctx, 'p1', consumer_type='all')['all']['consumer_count'] == 5


def test_queries_do_not_grow_with_consumers(ctx, db, world):
    provider = world.provider(VCPU=1000)
    for index in range(10):
        world.allocate(world.consumer('p1', 'u%d' % index,
                                      'TYPE_%d' % (index % 3)),
                       provider, VCPU=1)
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, 'before_cursor_execute', count)
    try:
        result = usage.usages_by_consumer_type(ctx, 'p1')
    finally:
        sa.event.remove(db.engine, 'before_cursor_execute', count)
    assert sorted(result) == ['TYPE_0', 'TYPE_1', 'TYPE_2']
    selects = [s for s in statements
               if s.lstrip().upper().startswith('SELECT')]
    assert len(selects) <= 3
