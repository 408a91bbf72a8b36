"""Inventories: how much of each resource class a provider offers.

An inventory is handed out and taken as a dict of FIELDS (plus
``updated_at`` when read). Every write runs in one transaction that reads
the provider, checks what it must, changes the inventories and bumps the
provider's generation from the one it read, so that of two concurrent
writers to one provider only one succeeds.

Checks come in the order OpenStack Placement makes them: the provider's
generation, then each inventory's capacity, then the resource classes,
then whether allocations stand in the way; several inventories are
checked in the order the request gives them. Error details are OpenStack
Placement's words, which clients may match.
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


def _provider_to_read(conn, uuid):
    """The provider's row; NotFound worded as OpenStack Placement words it
    when inventories are read (the provider's uuid, then what the lookup
    said)."""
    try:
        return resource_provider.get_row(conn, uuid)
    except exception.ResourceProviderNotFound as exc:
        raise exception.ResourceProviderNotFound(
            'No resource provider with uuid %s found : %s'
            % (uuid, exc.detail))


@db_api.reader
def get_all(ctx, conn, uuid):
    """(generation, {class name: inventory}) of the provider."""
    provider = _provider_to_read(conn, uuid)
    rows = conn.execute(
        sa.select(_inv, _rc.c.name.label('class_name'))
        .join(_rc, _rc.c.id == _inv.c.resource_class_id)
        .where(_inv.c.resource_provider_id == provider.id))
    return provider.generation, {row.class_name: _as_dict(row)
                                 for row in rows}


def _no_inventory(uuid, class_name):
    return exception.NotFound(
        'No inventory of class %s for %s' % (class_name, uuid))


@db_api.reader
def get_one(ctx, conn, uuid, class_name):
    """(generation, inventory) of the provider's inventory of one class;
    NotFound if it has none (or there is no such class)."""
    provider = _provider_to_read(conn, uuid)
    try:
        class_id = resource_class.id_of(ctx, conn, class_name)
    except exception.ResourceClassNotFound:
        raise _no_inventory(uuid, class_name)
    row = conn.execute(sa.select(_inv).where(
        _inv.c.resource_provider_id == provider.id,
        _inv.c.resource_class_id == class_id)).first()
    if row is None:
        raise _no_inventory(uuid, class_name)
    return provider.generation, _as_dict(row)


# Checks shared by the writers.

# What a write that cannot be done says first, as OpenStack Placement
# words it.
UNABLE_TO_CREATE = 'Unable to create inventory for resource provider %s: '
UNABLE_TO_UPDATE = 'Unable to update inventory for resource provider %s: '


def check_capacity(uuid, class_name, inventory, zero_allowed,
                   unable=UNABLE_TO_UPDATE):
    """BadRequest unless the inventory's reserved amount is within its
    total and its capacity is positive (or, with ``zero_allowed``, not
    negative); ``unable`` begins the detail."""
    if (inventory['reserved'] <= inventory['total']
            and capacity.is_acceptable_capacity(
                capacity.capacity_of(inventory), zero_allowed)):
        return
    # The words of OpenStack Placement, whatever the cause: before 1.26
    # (no zero_allowed) a capacity of zero is refused too.
    limit = 'greater than total' if zero_allowed else (
        'greater than or equal to total')
    raise exception.BadRequest(
        (unable % uuid) + "Invalid inventory for '%s' on resource provider "
        "'%s'. The reserved value is %s." % (class_name, uuid, limit))


def check_capacities(uuid, inventories, zero_allowed):
    for class_name, inventory in inventories.items():
        check_capacity(uuid, class_name, inventory, zero_allowed)


def _class_ids(ctx, conn, uuid, class_names, unable):
    """{name: id}; BadRequest naming the first unknown class, after
    ``unable`` (a detail's beginning with a %s for the provider)."""
    try:
        return resource_class.ids_of(ctx, conn, list(class_names))
    except exception.ResourceClassNotFound as exc:
        raise exception.BadRequest((unable % uuid) + exc.detail)


# The beginnings of a refusal to remove inventory that allocations use,
# after which _refuse_in_use names the classes and the provider: one per
# way of removing it, as OpenStack Placement words them.
REPLACING = 'update conflict: '
DELETING_ALL = ''
DELETING_ONE = 'Unable to delete inventory of class %s: '


def _refuse_in_use(provider, class_ids, used, names, beginning,
                   code=None):
    # Named in the order of their ids, as OpenStack Placement does.
    busy = [names.get(class_id, str(class_id))
            for class_id in sorted(class_ids) if class_id in used]
    if busy:
        raise exception.InventoryInUse(
            beginning + "Inventory for '%s' on resource provider '%s' in "
            "use." % (', '.join(busy), provider.uuid), code=code)


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
    # OpenStack Placement answers with its database's words for the
    # duplicate key; ours say what clashed.
    return exception.ConcurrentUpdate(
        'Update conflict: resource provider %s already has an inventory '
        'of class %s.' % (uuid, class_name))


@db_api.writer
def create(ctx, conn, uuid, class_name, inventory, zero_allowed=False):
    """Add the provider's inventory of a class it has none of yet.
    Returns the provider's new generation."""
    provider = resource_provider.get_row(conn, uuid, for_update=True)
    check_capacity(uuid, class_name, inventory, zero_allowed,
                   unable=UNABLE_TO_CREATE)
    class_id = _class_ids(ctx, conn, uuid, [class_name],
                          UNABLE_TO_CREATE)[class_name]
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
            'No inventory record with resource class for resource '
            'provider %s: No inventory of class %s found.'
            % (uuid, class_name))
    used = _used_by_class(conn, provider.id).get(class_id, 0)
    _warn_over_capacity(provider, class_name, inventory, used)
    return resource_provider.bump_generation(
        conn, provider.id, provider.generation)


def replace_rows(ctx, conn, provider, inventories, in_use_beginning):
    """Make ``inventories`` ({class name: inventory}) the provider's whole
    inventory; refuse to remove any class that allocations use, with a
    detail that begins with ``in_use_beginning``."""
    class_ids = _class_ids(
        ctx, conn, provider.uuid, inventories,
        'Unknown resource class in inventory for resource provider %s: ')
    wanted = {class_ids[name]: inventory
              for name, inventory in inventories.items()}
    existing = set(_rows_by_class_id(conn, provider.id))
    # Usage matters only to inventory that exists: a first inventory
    # (every provider's, when a cloud is loaded) skips the query.
    used = _used_by_class(conn, provider.id) if existing else {}
    removed = existing - set(wanted)
    if removed:
        names = resource_class.names_of(ctx, conn, list(removed))
        _refuse_in_use(provider, removed, used, names, in_use_beginning)
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
    check_capacities(uuid, inventories, zero_allowed)
    return replace_rows(ctx, conn, provider, inventories, REPLACING)


@db_api.writer
def delete_all(ctx, conn, uuid):
    """Remove every inventory of the provider, none of which allocations
    may use. Returns the provider's new generation."""
    provider = resource_provider.get_row(conn, uuid, for_update=True)
    return replace_rows(ctx, conn, provider, {}, DELETING_ALL)


@db_api.writer
def delete_one(ctx, conn, uuid, class_name):
    """Remove the provider's inventory of one class, if allocations do not
    use it. Returns the provider's new generation."""
    provider = resource_provider.get_row(conn, uuid, for_update=True)
    not_found = 'No inventory of class %s found for delete: ' % class_name
    try:
        class_id = resource_class.id_of(ctx, conn, class_name)
    except exception.ResourceClassNotFound as exc:
        raise exception.NotFound(not_found + exc.detail)
    # OpenStack Placement answers this conflict with the
    # concurrent_update code, not inventory.inuse.
    _refuse_in_use(provider, [class_id], _used_by_class(
        conn, provider.id), {class_id: class_name},
        DELETING_ONE % class_name, code=errors.CONCURRENT_UPDATE)
    if not _delete(conn, provider.id, [class_id]):
        # Its words, the reason repeating the beginning.
        raise exception.NotFound(not_found + not_found[:-2])
    return resource_provider.bump_generation(
        conn, provider.id, provider.generation)
