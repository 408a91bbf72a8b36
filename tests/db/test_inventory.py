"""Inventories in the database, on every backend."""
import logging
import threading
import uuid as uuidlib

import pytest
import sqlalchemy as sa

from placement import context
from placement.db import tables
from placement import errors
from placement import exception
from placement.objects import inventory as inv_obj
from placement.objects import resource_class
from placement.objects import resource_provider as rp_obj


@pytest.fixture
def ctx(db):
    return context.RequestContext(user_id='admin', project_id='admin',
                                  roles=['admin'], db=db)


@pytest.fixture
def rp(ctx):
    return rp_obj.create(ctx, 'rp-%s' % uuidlib.uuid4().hex[:8])['uuid']


def _inv(total, **fields):
    return inv_obj.with_defaults(dict(fields, total=total))


def _allocate(ctx, rp_uuid, class_name, used):
    """An allocation row; the in-use checks need nothing more."""
    with ctx.db.writer(ctx) as conn:
        provider = rp_obj.get_row(conn, rp_uuid)
        conn.execute(tables.allocations.insert().values(
            resource_provider_id=provider.id, consumer_id=str(uuidlib.uuid4()),
            resource_class_id=resource_class.id_of(ctx, conn, class_name),
            used=used))


def _generation(ctx, rp_uuid):
    return inv_obj.get_all(ctx, rp_uuid)[0]


def test_new_provider_has_none(ctx, rp):
    assert inv_obj.get_all(ctx, rp) == (0, {})


def test_defaults():
    assert inv_obj.with_defaults({'total': 5, 'resource_class': 'VCPU'}) == {
        'total': 5, 'reserved': 0, 'min_unit': 1, 'max_unit': 2147483647,
        'step_size': 1, 'allocation_ratio': 1.0}


def test_create_and_read(ctx, rp):
    assert inv_obj.create(ctx, rp, 'VCPU', _inv(8, allocation_ratio=16.0,
                                                max_unit=4)) == 1
    generation, inventories = inv_obj.get_all(ctx, rp)
    assert generation == 1
    vcpu = inventories['VCPU']
    assert vcpu['updated_at'] is not None
    assert {field: vcpu[field] for field in inv_obj.FIELDS} == {
        'total': 8, 'reserved': 0, 'min_unit': 1, 'max_unit': 4,
        'step_size': 1, 'allocation_ratio': 16.0}
    assert inv_obj.get_one(ctx, rp, 'VCPU') == (1, vcpu)


def test_create_custom_class(ctx, rp):
    resource_class.create(ctx, 'CUSTOM_GOLD')
    inv_obj.create(ctx, rp, 'CUSTOM_GOLD', _inv(3))
    assert set(inv_obj.get_all(ctx, rp)[1]) == {'CUSTOM_GOLD'}


def test_create_twice_conflicts(ctx, rp):
    inv_obj.create(ctx, rp, 'VCPU', _inv(8))
    with pytest.raises(exception.ConcurrentUpdate) as raised:
        inv_obj.create(ctx, rp, 'VCPU', _inv(8))
    assert 'VCPU' in raised.value.detail
    assert _generation(ctx, rp) == 1


def test_create_unknown_class_is_bad_request(ctx, rp):
    with pytest.raises(exception.BadRequest) as raised:
        inv_obj.create(ctx, rp, 'CUSTOM_NOPE', _inv(8))
    assert 'CUSTOM_NOPE' in raised.value.detail


def test_unknown_provider_has_generic_code(ctx):
    missing = str(uuidlib.uuid4())
    for call in (lambda: inv_obj.get_all(ctx, missing),
                 lambda: inv_obj.create(ctx, missing, 'VCPU', _inv(1)),
                 lambda: inv_obj.delete_all(ctx, missing),
                 lambda: inv_obj.ensure_provider(ctx, missing)):
        with pytest.raises(exception.NotFound) as raised:
            call()
        assert raised.value.code == errors.DEFAULT
        assert missing in raised.value.detail


@pytest.mark.parametrize('fields, zero_allowed, ok', [
    ({'total': 8, 'reserved': 7}, False, True),
    ({'total': 8, 'reserved': 8}, False, False),
    ({'total': 8, 'reserved': 8}, True, True),
    ({'total': 8, 'reserved': 9}, True, False),
    ({'total': 8, 'reserved': 9, 'allocation_ratio': 0.5}, True, False),
    ({'total': 8, 'allocation_ratio': 0.0}, False, False),
    ({'total': 8, 'allocation_ratio': 0.0}, True, True),
    ({'total': 8, 'allocation_ratio': -1.0}, True, False),
    ({'total': 1, 'allocation_ratio': 0.5}, False, False),
])
def test_capacity_rule(ctx, rp, fields, zero_allowed, ok):
    inventory = inv_obj.with_defaults(fields)
    if ok:
        inv_obj.create(ctx, rp, 'DISK_GB', inventory,
                       zero_allowed=zero_allowed)
        return
    with pytest.raises(exception.BadRequest) as raised:
        inv_obj.create(ctx, rp, 'DISK_GB', inventory,
                       zero_allowed=zero_allowed)
    # OpenStack Placement's words: before 1.26 (no zero_allowed) they
    # speak of a reserved amount equal to the total too.
    assert raised.value.detail == (
        "Unable to create inventory for resource provider %s: Invalid "
        "inventory for 'DISK_GB' on resource provider '%s'. The reserved "
        "value is %s." % (rp, rp, 'greater than total' if zero_allowed
                          else 'greater than or equal to total'))
    assert inv_obj.get_all(ctx, rp) == (0, {})


def test_get_one_missing(ctx, rp):
    inv_obj.create(ctx, rp, 'VCPU', _inv(8))
    for name in ('DISK_GB', 'CUSTOM_NOPE', 'lower'):
        with pytest.raises(exception.NotFound) as raised:
            inv_obj.get_one(ctx, rp, name)
        assert name in raised.value.detail


def test_update(ctx, rp):
    inv_obj.create(ctx, rp, 'VCPU', _inv(8))
    assert inv_obj.update(ctx, rp, 'VCPU', 1, _inv(4, reserved=1)) == 2
    generation, vcpu = inv_obj.get_one(ctx, rp, 'VCPU')
    assert (generation, vcpu['total'], vcpu['reserved']) == (2, 4, 1)


def test_update_stale_generation(ctx, rp):
    inv_obj.create(ctx, rp, 'VCPU', _inv(8))
    with pytest.raises(exception.ConcurrentUpdate) as raised:
        inv_obj.update(ctx, rp, 'VCPU', 0, _inv(4))
    assert raised.value.code == errors.CONCURRENT_UPDATE
    assert inv_obj.get_one(ctx, rp, 'VCPU')[1]['total'] == 8


def test_update_generation_checked_before_capacity(ctx, rp):
    inv_obj.create(ctx, rp, 'VCPU', _inv(8))
    with pytest.raises(exception.ConcurrentUpdate):
        inv_obj.update(ctx, rp, 'VCPU', 7, _inv(4, reserved=4))


def test_update_absent_inventory(ctx, rp):
    with pytest.raises(exception.BadRequest) as raised:
        inv_obj.update(ctx, rp, 'VCPU', 0, _inv(4))
    assert 'VCPU' in raised.value.detail
    with pytest.raises(exception.ResourceClassNotFound):
        inv_obj.update(ctx, rp, 'CUSTOM_NOPE', 0, _inv(4))
    assert _generation(ctx, rp) == 0


def test_update_below_usage_is_allowed_with_a_warning(ctx, rp, caplog):
    inv_obj.create(ctx, rp, 'VCPU', _inv(8))
    _allocate(ctx, rp, 'VCPU', 6)
    with caplog.at_level(logging.WARNING):
        inv_obj.update(ctx, rp, 'VCPU', 1, _inv(4))
    assert 'Inventory of VCPU on resource provider' in caplog.text
    assert inv_obj.get_one(ctx, rp, 'VCPU')[1]['total'] == 4


def test_replace_all_adds_updates_and_removes(ctx, rp):
    inv_obj.create(ctx, rp, 'VCPU', _inv(8))
    inv_obj.create(ctx, rp, 'DISK_GB', _inv(100))
    generation = inv_obj.replace_all(ctx, rp, 2, {
        'VCPU': _inv(16), 'MEMORY_MB': _inv(2048, step_size=256)})
    assert generation == 3
    assert _generation(ctx, rp) == 3
    inventories = inv_obj.get_all(ctx, rp)[1]
    assert set(inventories) == {'VCPU', 'MEMORY_MB'}
    assert inventories['VCPU']['total'] == 16
    assert inventories['MEMORY_MB']['step_size'] == 256


def test_replace_all_with_nothing(ctx, rp):
    inv_obj.create(ctx, rp, 'VCPU', _inv(8))
    assert inv_obj.replace_all(ctx, rp, 1, {}) == 2
    assert inv_obj.get_all(ctx, rp) == (2, {})


def test_replace_all_stale_generation(ctx, rp):
    inv_obj.replace_all(ctx, rp, 0, {'VCPU': _inv(8)})
    # A second writer that also saw generation 0 loses.
    with pytest.raises(exception.ConcurrentUpdate):
        inv_obj.replace_all(ctx, rp, 0, {'VCPU': _inv(4)})
    assert inv_obj.get_one(ctx, rp, 'VCPU')[1]['total'] == 8


def test_replace_all_unknown_class(ctx, rp):
    with pytest.raises(exception.BadRequest) as raised:
        inv_obj.replace_all(ctx, rp, 0, {'VCPU': _inv(8),
                                         'CUSTOM_NOPE': _inv(1)})
    assert 'CUSTOM_NOPE' in raised.value.detail
    assert inv_obj.get_all(ctx, rp) == (0, {})


def test_replace_all_bad_capacity_changes_nothing(ctx, rp):
    inv_obj.create(ctx, rp, 'VCPU', _inv(8))
    with pytest.raises(exception.BadRequest):
        inv_obj.replace_all(ctx, rp, 1, {'VCPU': _inv(4),
                                         'DISK_GB': _inv(4, reserved=4)})
    assert inv_obj.replace_all(ctx, rp, 1, {
        'VCPU': _inv(4), 'DISK_GB': _inv(4, reserved=4)},
        zero_allowed=True) == 2


def test_replace_all_refuses_removing_used_classes(ctx, rp):
    inv_obj.replace_all(ctx, rp, 0, {'VCPU': _inv(8), 'DISK_GB': _inv(10),
                                     'MEMORY_MB': _inv(512)})
    _allocate(ctx, rp, 'VCPU', 1)
    _allocate(ctx, rp, 'DISK_GB', 2)
    with pytest.raises(exception.InventoryInUse) as raised:
        inv_obj.replace_all(ctx, rp, 1, {'MEMORY_MB': _inv(512)})
    assert raised.value.code == errors.INVENTORY_INUSE
    # In the order of the classes' ids, as OpenStack Placement names them.
    assert raised.value.detail == (
        "update conflict: Inventory for 'VCPU, DISK_GB' on resource "
        "provider '%s' in use." % rp)
    assert len(inv_obj.get_all(ctx, rp)[1]) == 3
    # Shrinking a used class below its usage is allowed.
    assert inv_obj.replace_all(ctx, rp, 1, {
        'VCPU': _inv(1, reserved=0, allocation_ratio=0.5),
        'DISK_GB': _inv(1)}, zero_allowed=True) == 2


def test_delete_all(ctx, rp):
    inv_obj.replace_all(ctx, rp, 0, {'VCPU': _inv(8), 'DISK_GB': _inv(10)})
    assert inv_obj.delete_all(ctx, rp) == 2
    assert inv_obj.get_all(ctx, rp) == (2, {})
    # Even with nothing to delete, the generation moves on.
    assert inv_obj.delete_all(ctx, rp) == 3


def test_delete_all_in_use(ctx, rp):
    inv_obj.replace_all(ctx, rp, 0, {'VCPU': _inv(8), 'DISK_GB': _inv(10)})
    _allocate(ctx, rp, 'VCPU', 1)
    with pytest.raises(exception.InventoryInUse) as raised:
        inv_obj.delete_all(ctx, rp)
    assert raised.value.code == errors.INVENTORY_INUSE
    assert 'VCPU' in raised.value.detail
    assert 'DISK_GB' not in raised.value.detail
    assert _generation(ctx, rp) == 1


def test_delete_one(ctx, rp):
    inv_obj.replace_all(ctx, rp, 0, {'VCPU': _inv(8), 'DISK_GB': _inv(10)})
    assert inv_obj.delete_one(ctx, rp, 'VCPU') == 2
    assert set(inv_obj.get_all(ctx, rp)[1]) == {'DISK_GB'}


def test_delete_one_missing(ctx, rp):
    for name in ('VCPU', 'CUSTOM_NOPE'):
        with pytest.raises(exception.NotFound) as raised:
            inv_obj.delete_one(ctx, rp, name)
        assert name in raised.value.detail
    assert _generation(ctx, rp) == 0


def test_delete_one_in_use(ctx, rp):
    inv_obj.create(ctx, rp, 'VCPU', _inv(8))
    _allocate(ctx, rp, 'VCPU', 1)
    with pytest.raises(exception.InventoryInUse) as raised:
        inv_obj.delete_one(ctx, rp, 'VCPU')
    # OpenStack Placement's code for this one conflict.
    assert raised.value.code == errors.CONCURRENT_UPDATE
    assert raised.value.status == 409


def test_write_against_bumped_generation_rolls_back(ctx, rp):
    """A writer whose provider moved on under it changes nothing."""
    inv_obj.create(ctx, rp, 'VCPU', _inv(8))
    with ctx.db.writer(ctx) as conn:
        provider = rp_obj.get_row(conn, rp)
        rp_obj.bump_generation(conn, provider.id, provider.generation)
    with pytest.raises(exception.ConcurrentUpdate):
        inv_obj.replace_all(ctx, rp, 1, {})
    assert set(inv_obj.get_all(ctx, rp)[1]) == {'VCPU'}


def test_extreme_values_round_trip(ctx, rp):
    inventory = _inv(2147483647, reserved=2147483646, min_unit=2147483647,
                     max_unit=2147483647, step_size=2147483647,
                     allocation_ratio=3.0e+38)
    inv_obj.create(ctx, rp, 'VCPU', inventory)
    stored = inv_obj.get_one(ctx, rp, 'VCPU')[1]
    assert stored['total'] == 2147483647
    assert stored['step_size'] == 2147483647
    assert stored['allocation_ratio'] == pytest.approx(3.0e+38, rel=1e-6)


def test_queries_do_not_grow_with_classes(ctx, rp, db):
    """One replace of many classes costs the same few statements as one
    of a single class, bar the one UPDATE per kept class."""
    classes = ['CUSTOM_C%d' % index for index in range(12)]
    for name in classes:
        resource_class.create(ctx, name)

    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, 'before_cursor_execute', count)
    try:
        inv_obj.replace_all(ctx, rp, 0, {name: _inv(1) for name in classes})
    finally:
        sa.event.remove(db.engine, 'before_cursor_execute', count)
    inserts = [s for s in statements if s.lstrip().upper().startswith(
        'INSERT INTO INVENTORIES')]
    assert len(inserts) == 1
    assert len(statements) < 12


def test_concurrent_writers_of_one_generation(ctx, rp):
    """Of several writers that all saw generation 0, exactly one wins;
    the others get ConcurrentUpdate and change nothing."""
    outcomes = []

    def write(total):
        try:
            inv_obj.replace_all(ctx, rp, 0, {'VCPU': _inv(total)})
            outcomes.append(total)
        except exception.ConcurrentUpdate:
            outcomes.append('conflict')

    threads = [threading.Thread(target=write, args=(total,))
               for total in range(1, 6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [outcome for outcome in outcomes if outcome != 'conflict']
    assert len(outcomes) == 5 and len(winners) == 1
    assert inv_obj.get_all(ctx, rp)[0] == 1
    assert inv_obj.get_one(ctx, rp, 'VCPU')[1]['total'] == winners[0]


def test_concurrent_creators_of_different_classes(ctx, rp):
    """Writers that name no generation take turns on the provider's row,
    so none of them loses."""
    classes = ['VCPU', 'DISK_GB', 'MEMORY_MB', 'IPV4_ADDRESS', 'PCI_DEVICE']
    errors_seen = []

    def create(name):
        try:
            inv_obj.create(ctx, rp, name, _inv(4))
        except exception.PlacementError as exc:
            errors_seen.append(exc)

    threads = [threading.Thread(target=create, args=(name,))
               for name in classes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors_seen == []
    generation, inventories = inv_obj.get_all(ctx, rp)
    assert (generation, set(inventories)) == (5, set(classes))
