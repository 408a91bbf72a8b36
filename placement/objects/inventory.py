"""Inventories: how much of each resource class a provider offers.

An inventory is handed out and taken as a dict of FIELDS (plus
``updated_at`` when read). Every write runs in one transaction that reads
the provider, checks what it must, changes the inventories and bumps the
provider's generation from the one it read, so that of two concurrent
writers to one provider only one succeeds.

Checks come in the order OpenStack Placement makes them: the provider's
generation, then each inventory's capacity, then the resource classes,
then whether allocations stand in the way.
"""
from oslo_log import log as logging
from oslo_utils import timeutils
import sqlalchemy as sa

from placement.db import api as db_api
from placement.db import tables
from placement import errors
from placement import exception
from placement.objects import capacity
from placement.objects import inventory_usage
from placement.objects import resource_class
from placement.objects import resource_provider

LOG = logging.getLogger(__name__)

FIELDS = ('total', 'reserved', 'min_unit', 'max_unit', 'step_size',
          'allocation_ratio')
DEFAULTS = {
    'reserved': 0,
    'min_unit': 1,
    'max_unit': 2147483647,
    'step_size': 1,
    'allocation_ratio': 1.0,
}

_inv = tables.inventories
_rc = tables.resource_classes


def with_defaults(given):
    """The inventory FIELDS of ``given``, defaults filling the gaps."""
    inventory = dict(DEFAULTS)
    inventory.update((field, given[field]) for field in FIELDS
                     if field in given)
    return inventory


@db_api.reader
def ensure_provider(ctx, conn, uuid):
    """NotFound unless the provider exists."""
    resource_provider.get_row(conn, uuid)


def _as_dict(row):
    inventory = {field: getattr(row, field) for field in FIELDS}
    inventory['allocation_ratio'] = float(inventory['allocation_ratio'])
    inventory['updated_at'] = row.updated_at or row.created_at
    return inventory


def _rows_by_class_id(conn, provider_id):
    rows = conn.execute(sa.select(_inv).where(
        _inv.c.resource_provider_id == provider_id))
    return {row.resource_class_id: row for row in rows}


@db_api.reader
def get_all(ctx, conn, uuid):
    """(generation, {class name: inventory}) of the provider."""
    provider = resource_provider.get_row(conn, uuid)
    rows = conn.execute(
        sa.select(_inv, _rc.c.name.label('class_name'))
        .join(_rc, _rc.c.id == _inv.c.resource_class_id)
        .where(_inv.c.resource_provider_id == provider.id))
    return provider.generation, {row.class_name: _as_dict(row)
                                 for row in rows}


def _no_inventory(uuid, class_name):
    return exception.NotFound(
        'Resource provider %s has no inventory of class %s.'
        % (uuid, class_name))


def _inventory_class_id(ctx, conn, uuid, class_name):
    """The id of the class of an inventory asked for by name; a class
    that does not exist is an inventory that does not exist."""
    try:
        return resource_class.id_of(ctx, conn, class_name)
    except exception.ResourceClassNotFound:
        raise _no_inventory(uuid, class_name)


@db_api.reader
def get_one(ctx, conn, uuid, class_name):
    """(generation, inventory) of the provider's inventory of one class;
    NotFound if it has none (or there is no such class)."""
    provider = resource_provider.get_row(conn, uuid)
    class_id = _inventory_class_id(ctx, conn, uuid, class_name)
    row = conn.execute(sa.select(_inv).where(
        _inv.c.resource_provider_id == provider.id,
        _inv.c.resource_class_id == class_id)).first()
    if row is None:
        raise _no_inventory(uuid, class_name)
    return provider.generation, _as_dict(row)


# Checks shared by the writers.

def check_capacity(uuid, class_name, inventory, zero_allowed):
    """BadRequest unless the inventory's reserved amount is within its
    total and its capacity is positive (or, with ``zero_allowed``, not
    negative)."""
    if inventory['reserved'] > inventory['total']:
        problem = 'reserved (%d) is greater than total (%d)' % (
            inventory['reserved'], inventory['total'])
    elif not capacity.is_acceptable_capacity(
            capacity.capacity_of(inventory), zero_allowed):
        problem = ('its capacity, (total - reserved) * allocation_ratio, '
                   'must not be negative' if zero_allowed else
                   'its capacity, (total - reserved) * allocation_ratio, '
                   'must be at least 1 (reserved must be less than total '
                   'before microversion 1.26)')
    else:
        return
    raise exception.BadRequest(
        'Invalid inventory of class %s for resource provider %s: %s.'
        % (class_name, uuid, problem))


def _check_capacities(uuid, inventories, zero_allowed):
    for class_name in sorted(inventories):
        check_capacity(uuid, class_name, inventories[class_name],
                       zero_allowed)


def _class_ids(ctx, conn, uuid, class_names):
    """{name: id}; BadRequest naming an unknown class."""
    try:
        return resource_class.ids_of(ctx, conn, sorted(class_names))
    except exception.ResourceClassNotFound as exc:
        raise exception.BadRequest(
            'Unknown resource class in the inventory of resource provider '
            '%s: %s' % (uuid, exc.detail))


def _refuse_in_use(provider, class_ids, used, names, code=None):
    busy = sorted(names.get(class_id, str(class_id))
                  for class_id in class_ids if class_id in used)
    if busy:
        raise exception.InventoryInUse(
            'Inventory of %s on resource provider %s is in use by '
            'allocations and cannot be removed.'
            % (', '.join(busy), provider.uuid), code=code)


def _warn_over_capacity(provider, class_name, inventory, used):
    # Shrinking below what is allocated is allowed: existing consumers
    # keep their allocations, but nothing more fits until some are freed.
    if used > capacity.capacity_of(inventory):
        LOG.warning('Inventory of %s on resource provider %s now holds '
                    'more allocations (%d) than its capacity (%d).',
                    class_name, provider.uuid,
                    used, capacity.capacity_of(inventory))


def _used_by_class(conn, provider_id):
    """{class id: units allocated} on the provider."""
    return inventory_usage.usages_by_provider(
        conn, [provider_id]).get(provider_id, {})


# Writing rows.

def _values(inventory):
    return {field: inventory[field] for field in FIELDS}


def _insert(conn, provider_id, inventories_by_class_id):
    now = timeutils.utcnow()
    conn.execute(_inv.insert(), [
        dict(_values(inventory), resource_provider_id=provider_id,
             resource_class_id=class_id, created_at=now)
        for class_id, inventory in inventories_by_class_id.items()])


def _update(conn, provider_id, class_id, inventory):
    """Whether there was a row to update."""
    result = conn.execute(
        _inv.update()
        .where(_inv.c.resource_provider_id == provider_id,
               _inv.c.resource_class_id == class_id)
        .values(updated_at=timeutils.utcnow(), **_values(inventory)))
    return result.rowcount == 1


def _delete(conn, provider_id, class_ids):
    result = conn.execute(_inv.delete().where(
        _inv.c.resource_provider_id == provider_id,
        _inv.c.resource_class_id.in_(list(class_ids))))
    return result.rowcount


# The writers.

def _already_exists(uuid, class_name):
    return exception.ConcurrentUpdate(
        'Resource provider %s already has an inventory of class %s.'
        % (uuid, class_name))


@db_api.writer
def create(ctx, conn, uuid, class_name, inventory, zero_allowed=False):
    """Add the provider's inventory of a class it has none of yet.
    Returns the provider's new generation."""
    provider = resource_provider.get_row(conn, uuid, for_update=True)
    check_capacity(uuid, class_name, inventory, zero_allowed)
    class_id = _class_ids(ctx, conn, uuid, [class_name])[class_name]
    if class_id in _rows_by_class_id(conn, provider.id):
        raise _already_exists(uuid, class_name)
    _insert(conn, provider.id, {class_id: inventory})
    return resource_provider.bump_generation(
        conn, provider.id, provider.generation)


@db_api.writer
def update(ctx, conn, uuid, class_name, seen_generation, inventory,
           zero_allowed=False):
    """Replace the provider's inventory of one class, which it must have.
    Returns the provider's new generation."""
    provider = resource_provider.get_row(conn, uuid, for_update=True)
    resource_provider.check_generation(provider, seen_generation)
    check_capacity(uuid, class_name, inventory, zero_allowed)
    class_id = resource_class.id_of(ctx, conn, class_name)
    if not _update(conn, provider.id, class_id, inventory):
        raise exception.BadRequest(
            'Resource provider %s has no inventory of class %s to '
            'update.' % (uuid, class_name))
    used = _used_by_class(conn, provider.id).get(class_id, 0)
    _warn_over_capacity(provider, class_name, inventory, used)
    return resource_provider.bump_generation(
        conn, provider.id, provider.generation)


def _replace(ctx, conn, provider, inventories):
    """Make ``inventories`` ({class name: inventory}) the provider's whole
    inventory; refuse to remove any class that allocations use."""
    class_ids = _class_ids(ctx, conn, provider.uuid, inventories)
    wanted = {class_ids[name]: inventory
              for name, inventory in inventories.items()}
    existing = set(_rows_by_class_id(conn, provider.id))
    used = _used_by_class(conn, provider.id)
    removed = existing - set(wanted)
    if removed:
        names = resource_class.names_of(ctx, conn, list(removed))
        _refuse_in_use(provider, removed, used, names)
        _delete(conn, provider.id, removed)
    added = {class_id: inventory for class_id, inventory in wanted.items()
             if class_id not in existing}
    if added:
        _insert(conn, provider.id, added)
    for name, class_id in sorted(class_ids.items()):
        if class_id in existing:
            _update(conn, provider.id, class_id, wanted[class_id])
            _warn_over_capacity(provider, name, wanted[class_id],
                                used.get(class_id, 0))
    return resource_provider.bump_generation(conn, provider.id,
                                             provider.generation)


@db_api.writer
def replace_all(ctx, conn, uuid, seen_generation, inventories,
                zero_allowed=False):
    """Set the provider's inventories to ``inventories`` ({class name:
    inventory}): add, update and remove as needed. Returns the provider's
    new generation."""
    provider = resource_provider.get_row(conn, uuid, for_update=True)
    resource_provider.check_generation(provider, seen_generation)
    _check_capacities(uuid, inventories, zero_allowed)
    return _replace(ctx, conn, provider, inventories)


@db_api.writer
def delete_all(ctx, conn, uuid):
    """Remove every inventory of the provider, none of which allocations
    may use. Returns the provider's new generation."""
    provider = resource_provider.get_row(conn, uuid, for_update=True)
    return _replace(ctx, conn, provider, {})


@db_api.writer
def delete_one(ctx, conn, uuid, class_name):
    """Remove the provider's inventory of one class, if allocations do not
    use it. Returns the provider's new generation."""
    provider = resource_provider.get_row(conn, uuid, for_update=True)
    class_id = _inventory_class_id(ctx, conn, uuid, class_name)
    # OpenStack Placement answers this conflict with the
    # concurrent_update code, not inventory.inuse.
    _refuse_in_use(provider, [class_id], _used_by_class(
        conn, provider.id), {class_id: class_name},
        code=errors.CONCURRENT_UPDATE)
    if not _delete(conn, provider.id, [class_id]):
        raise _no_inventory(uuid, class_name)
    return resource_provider.bump_generation(
        conn, provider.id, provider.generation)
