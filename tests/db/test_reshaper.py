"""The reshaper in the database, on every backend: a root's inventory
and the allocations on it move to a child in one step, and a reshape
refused at its last pass, after the others have written, leaves nothing
changed."""
import uuid as uuidlib

import pytest
import sqlalchemy as sa

from placement.db import tables
from placement import exception
from placement.objects import allocation_write
from placement.objects import inventory as inventory_obj
from placement.objects import reshaper
from placement.objects import resource_provider as rp_obj
from tests.db.test_allocation import ClaimOf
from tests.db.test_allocation import claim
from tests.db.test_allocation import context_for
from tests.db.test_allocation import holdings
from tests.db.test_allocation import make_provider
from tests.db.test_allocation import provider_generation


@pytest.fixture
def ctx(db, database_url):
    return context_for(db, database_url)


def _child_of(ctx, parent_uuid):
    uuid = str(uuidlib.uuid4())
    with ctx.db.writer(ctx) as conn:
        parent = rp_obj.get_row(conn, parent_uuid)
        conn.execute(tables.resource_providers.insert().values(
            uuid=uuid, name='child-%s' % uuid[:8], generation=0,
            parent_provider_id=parent.id,
            root_provider_id=parent.root_provider_id))
    return uuid


def _inventories(ctx, uuid):
    generation, found = inventory_obj.get_all(ctx, uuid)
    return generation, {name: inventory['total']
                        for name, inventory in found.items()}


def _change(uuid, generation, **totals):
    return reshaper.ProviderInventories(uuid, generation, {
        name: inventory_obj.with_defaults({'total': total})
        for name, total in totals.items()})


@pytest.fixture
def gpu_host(ctx):
    """(root, child, vm1, vm2): VCPU 8 and VGPU 4 on the root, both
    consumers holding some of each there, a child with no inventory."""
    root = make_provider(ctx, VCPU=8, VGPU=4)
    child = _child_of(ctx, root)
    vm1, vm2 = str(uuidlib.uuid4()), str(uuidlib.uuid4())
    claim(ctx, vm1, {root: {'VCPU': 2, 'VGPU': 1}})
    claim(ctx, vm2, {root: {'VCPU': 1, 'VGPU': 2}})
    return root, child, vm1, vm2


def _move(root, child, vm1, vm2, vm2_moves=True):
    vm2_allocations = ({root: {'VCPU': 1}, child: {'VGPU': 2}} if vm2_moves
                       else {root: {'VCPU': 1, 'VGPU': 2}})
    return ([_change(root, 2, VCPU=8), _change(child, 0, VGPU=4)],
            [ClaimOf(vm1, {root: {'VCPU': 2}, child: {'VGPU': 1}},
                     project_id='proj', user_id='user',
                     check_generation=True, generation=1),
             ClaimOf(vm2, vm2_allocations, project_id='proj',
                     user_id='user', check_generation=True, generation=1)])


def test_moves_root_inventory_and_allocations_to_child(
        ctx, gpu_host):
    root, child, vm1, vm2 = gpu_host
    reshaper.reshape(ctx, *_move(*gpu_host))
    assert _inventories(ctx, root) == (5, {'VCPU': 8})
    assert _inventories(ctx, child) == (3, {'VGPU': 4})
    assert holdings(ctx, vm1) == {root: {'VCPU': 2}, child: {'VGPU': 1}}
    assert holdings(ctx, vm2) == {root: {'VCPU': 1}, child: {'VGPU': 2}}


def _snapshot(ctx):
    """Every row a reshape may touch, but timestamps."""
    with ctx.db.reader(ctx) as conn:
        return {name: sorted(
            tuple(value for key, value in row._mapping.items()
                  if key not in ('created_at', 'updated_at'))
            for row in conn.execute(sa.select(table)))
            for name, table in (
                ('providers', tables.resource_providers),
                ('inventories', tables.inventories),
                ('allocations', tables.allocations),
                ('consumers', tables.consumers))}


def test_refused_at_the_last_pass_changes_nothing(
        ctx, gpu_host, monkeypatch):
    """VM2 keeps its VGPU on the root, whose new inventories drop VGPU:
    the last pass refuses, after the first two wrote inventories to the
    child and VM1's allocations there."""
    root, child, vm1, vm2 = gpu_host
    before = _snapshot(ctx)
    seen_mid_transaction = []
    real_write = allocation_write.Replacement.write

    def write_and_look(replacement):
        real_write(replacement)
        seen_mid_transaction.append(replacement.conn.execute(
            sa.select(sa.func.count()).select_from(tables.allocations)
            .where(tables.allocations.c.consumer_id == vm1)
            .where(tables.allocations.c.resource_provider_id == sa.select(
                tables.resource_providers.c.id).where(
                    tables.resource_providers.c.uuid == child)
                .scalar_subquery())).scalar())

    monkeypatch.setattr(allocation_write.Replacement, 'write',
                        write_and_look)
    with pytest.raises(exception.InventoryInUse) as raised:
        reshaper.reshape(ctx, *_move(*gpu_host, vm2_moves=False))
    assert "Inventory for 'VGPU' on resource provider '%s' in use" % (
        root) in raised.value.detail
    # The allocation pass had written VM1's VGPU to the child...
    assert seen_mid_transaction == [1]
    # ...and none of it, nor the child's inventory, outlived the refusal.
    assert _snapshot(ctx) == before
    assert provider_generation(ctx, child) == 0


def test_stale_provider_generation_changes_nothing(
        ctx, gpu_host):
    root, child, vm1, vm2 = gpu_host
    changes, claims = _move(*gpu_host)
    changes[1] = _change(child, 0, VGPU=4)
    changes[0] = _change(root, 1, VCPU=8)
    before = _snapshot(ctx)
    with pytest.raises(exception.ConcurrentUpdate) as raised:
        reshaper.reshape(ctx, changes, claims)
    assert raised.value.detail == (
        'resource provider generation conflict for provider %s: actual: '
        '2, given: 1' % root)
    assert _snapshot(ctx) == before
