"""Resource providers.

``get_row`` and ``bump_generation`` are shared by every object that
changes a provider (inventories, traits, aggregates, allocations): look
the provider up, and bump its generation only if it is still the one the
writer saw. The rest creates, reads, lists, updates and deletes providers.

A provider is handed out as a dict: id, uuid, name, generation,
parent_provider_uuid, root_provider_uuid, created_at, updated_at.

Error details are OpenStack Placement's words, which clients match ("No
resource provider with uuid X found"), quirks included.
"""
import functools
import uuid as uuidlib

from oslo_db import exception as db_exc
from oslo_utils import timeutils
import sqlalchemy as sa

from placement.db import api as db_api
from placement.db import tables
from placement import exception
from placement.objects import provider_filters
from placement.objects import provider_tree

_rp = tables.resource_providers

# Keys of a provider dict, as the columns of _provider_select are labelled.
FIELDS = ('id', 'uuid', 'name', 'generation', 'parent_provider_uuid',
          'root_provider_uuid', 'created_at', 'updated_at')


def normalize_uuid(value):
    """The dashed, lower-case form of a uuid given with or without
    dashes."""
    return str(uuidlib.UUID(value))


def not_found(uuid, doing=''):
    """ResourceProviderNotFound for ``uuid``; ``doing`` ends the detail
    (" for delete")."""
    return exception.ResourceProviderNotFound(
        'No resource provider with uuid %s found%s' % (uuid, doing))


def _exactly(row, uuid):
    """``row`` if it has exactly ``uuid``, else None: MySQL's usual
    collations compare without case and trailing spaces, so "UUID " finds
    the provider "uuid" there."""
    return row if row is not None and row.uuid == uuid else None


_ROW_BY_UUID = sa.select(_rp).where(_rp.c.uuid == sa.bindparam('uuid'))
_ROW_BY_UUID_FOR_UPDATE = _ROW_BY_UUID.with_for_update()


def _find_row(conn, uuid, for_update):
    query = _ROW_BY_UUID_FOR_UPDATE if for_update else _ROW_BY_UUID
    return _exactly(conn.execute(query, {'uuid': uuid}).first(), uuid)


def get_row(conn, uuid, for_update=False):
    """The provider's row; ResourceProviderNotFound if there is none.

    ``for_update`` locks the row until the transaction ends, so that
    writers to one provider take turns instead of racing to a duplicate
    key (a loser still finds a stale generation and gets a 409).
    """
    row = _find_row(conn, uuid, for_update)
    if row is None:
        raise not_found(uuid)
    return row


# What aggregate and trait writes say of a stale generation, as OpenStack
# Placement words it.
GENERATION_CHANGED = ("Resource provider's generation already changed. "
                      "Please update the generation and try again.")


def check_generation(row, seen_generation, detail=None):
    """ConcurrentUpdate unless the provider is still at the generation
    the writer saw; ``detail`` replaces the default detail, which names
    both generations."""
    if row.generation == seen_generation:
        return
    if detail is None:
        detail = ('resource provider generation conflict: provider %s is '
                  'at generation %d, the request names %d; read it again '
                  'and retry.' % (row.uuid, row.generation, seen_generation))
    raise exception.ConcurrentUpdate(detail)


_BUMP_GENERATION = (
    _rp.update()
    .where(_rp.c.id == sa.bindparam('provider_id'))
    .where(_rp.c.generation == sa.bindparam('seen'))
    .values(generation=sa.bindparam('new_generation'),
            updated_at=sa.bindparam('now')))


def bump_generation(conn, provider_id, seen_generation):
    """Move the provider's generation on from ``seen_generation``.

    The UPDATE matches only while the generation is still the one seen, so
    of two writers that saw the same generation exactly one succeeds; the
    other gets ConcurrentUpdate. Returns the new generation.
    """
    result = conn.execute(_BUMP_GENERATION, {
        'provider_id': provider_id, 'seen': seen_generation,
        'new_generation': seen_generation + 1, 'now': timeutils.utcnow()})
    if result.rowcount != 1:
        # Changed since this transaction read it: the retry reads it
        # again, and a writer that named a generation then finds it stale.
        raise db_api.LostRace('provider %d moved on from generation %d'
                              % (provider_id, seen_generation))
    return seen_generation + 1


# Built once: a select holds no data, and building this one cost a
# quarter of a provider's creation.
@functools.cache
def _provider_select():
    """(query, rp): every provider with its parent's and root's uuids;
    ``rp`` is the aliased table to filter on."""
    rp = _rp.alias('rp')
    root = _rp.alias('root_rp')
    parent = _rp.alias('parent_rp')
    joined = rp.join(root, rp.c.root_provider_id == root.c.id).outerjoin(
        parent, rp.c.parent_provider_id == parent.c.id)
    query = sa.select(
        rp.c.id, rp.c.uuid, rp.c.name, rp.c.generation,
        parent.c.uuid.label('parent_provider_uuid'),
        root.c.uuid.label('root_provider_uuid'),
        rp.c.created_at, rp.c.updated_at,
    ).select_from(joined)
    return query, rp


def _as_dict(row):
    """The provider dict of a row of _provider_select, whose columns are
    FIELDS."""
    return row._asdict()


def _exists(conn, query):
    return conn.execute(query.limit(1)).first() is not None


def _read(conn, uuid):
    query, rp = _provider_select()
    row = _exactly(conn.execute(query.where(rp.c.uuid == uuid)).first(),
                   uuid)
    if row is None:
        raise not_found(uuid)
    return _as_dict(row)


@db_api.reader
def get_by_uuid(ctx, conn, uuid):
    """The provider dict; ResourceProviderNotFound if there is none."""
    return _read(conn, uuid)


@db_api.reader
def get_all(ctx, conn, filters):
    """The providers matching a provider_filters.Filters, in id order,
    fetched in one query however many there are."""
    query, rp = _provider_select()
    query = provider_filters.apply(ctx, conn, query, rp, filters)
    result = conn.execute(query.order_by(rp.c.id))
    # zip with the keys read once: Row._asdict per row cost as much as
    # the query on a long list.
    keys = tuple(result.keys())
    return [dict(zip(keys, row)) for row in result]


def last_modified(providers):
    """When the newest of ``providers`` last changed; None for none."""
    times = [provider['updated_at'] or provider['created_at']
             for provider in providers]
    times = [time for time in times if time is not None]
    return max(times) if times else None


# Creating

def _unable_to_create(name, uuid, reason):
    return exception.BadRequest(
        'Unable to create resource provider "%s", %s: Object action create '
        'failed because: %s' % (name, uuid, reason))


_NAME_OR_UUID = sa.select(_rp.c.name, _rp.c.uuid).where(sa.or_(
    _rp.c.name == sa.bindparam('name'), _rp.c.uuid == sa.bindparam('uuid')))

_BE_OWN_ROOT = (_rp.update()
                .where(_rp.c.id == sa.bindparam('provider_id'))
                .values(root_provider_id=sa.bindparam('provider_id')))


def _refuse_existing(conn, name, uuid):
    """Name the clash, if any, before the unique constraints would: the
    uuid first, as OpenStack Placement does."""
    row = conn.execute(_NAME_OR_UUID, {'name': name, 'uuid': uuid}).first()
    if row is None:
        return
    field, value = ('uuid', uuid) if row.uuid == uuid else ('name', name)
    raise exception.DuplicateName(
        'Conflicting resource provider %s: %s already exists.'
        % (field, value))


def _find_parent(conn, parent_uuid):
    return conn.execute(_ROW_BY_UUID, {'uuid': parent_uuid}).first()


def _parent_missing():
    return 'parent provider UUID does not exist.'


@db_api.writer
def _insert(ctx, conn, name, uuid, parent_uuid):
    parent_id = root_id = None
    if parent_uuid is not None:
        parent = _find_parent(conn, parent_uuid)
        if parent is None:
            raise _unable_to_create(name, uuid, _parent_missing())
        parent_id, root_id = parent.id, parent.root_provider_id
    # A concurrent creator of the same name or uuid makes the insert a
    # duplicate; the retry policy runs this again, which names the clash.
    _refuse_existing(conn, name, uuid)
    now = timeutils.utcnow()
    provider_id = conn.execute(_rp.insert(), {
        'uuid': uuid, 'name': name, 'generation': 0, 'created_at': now,
        'parent_provider_id': parent_id,
        'root_provider_id': root_id}).inserted_primary_key[0]
    if root_id is None:
        # A root is its own root; its id is known only now.
        conn.execute(_BE_OWN_ROOT, {'provider_id': provider_id})
    return _read(conn, uuid)


def create(ctx, name, uuid=None, parent_uuid=None):
    """Create a provider (a root unless ``parent_uuid`` names one) and
    return its dict. DuplicateName if the name or uuid is taken;
    BadRequest for an empty name, or a parent that does not exist or is
    the provider itself."""
    uuid = normalize_uuid(uuid) if uuid else str(uuidlib.uuid4())
    if not name:
        raise _unable_to_create(name, uuid, 'name is required')
    if parent_uuid is not None:
        parent_uuid = normalize_uuid(parent_uuid)
        if parent_uuid == uuid:
            raise _unable_to_create(
                name, uuid, 'parent provider UUID cannot be same as UUID. '
                'Please set parent provider UUID to None if there is no '
                'parent.')
    try:
        return _insert(ctx, name, uuid, parent_uuid)
    except db_exc.DBReferenceError:
        # The parent went between the look-up and the insert.
        raise _unable_to_create(name, uuid, _parent_missing())


# Updating

_KEEP = object()


def _unable_to_save(uuid, reason, action='update'):
    # OpenStack Placement calls a missing parent a failed "create".
    return exception.BadRequest(
        'Unable to save resource provider %s: Object action %s failed '
        'because: %s' % (uuid, action, reason))


def _subtree_ids(conn, row):
    """The ids of the provider and all of its descendants."""
    root_id = row.root_provider_id
    edges = provider_tree.tree_edges(conn, [root_id])[root_id]
    return provider_tree.subtree_ids(edges, row.id)


def _refuse_reparenting(uuid, verb):
    # Before 1.37: what the API allows, not what the service cannot do.
    raise _unable_to_save(
        uuid, '%s a provider is not currently allowed.' % verb)


def _new_parentage(conn, row, parent_uuid, allow_reparenting):
    """{'parent_provider_id', 'root_provider_id'} for the provider in
    ``row`` once ``parent_uuid`` (None: none) is its parent; {} if that
    changes nothing."""
    if parent_uuid is None:
        if row.parent_provider_id is None:
            return {}
        if not allow_reparenting:
            _refuse_reparenting(row.uuid, 'un-parenting')
        return {'parent_provider_id': None, 'root_provider_id': row.id}
    parent = _find_parent(conn, parent_uuid)
    if parent is None:
        raise _unable_to_save(row.uuid, _parent_missing(), action='create')
    if parent.id == row.parent_provider_id:
        return {}
    if row.parent_provider_id is not None and not allow_reparenting:
        _refuse_reparenting(row.uuid, 're-parenting')
    if parent.id in _subtree_ids(conn, row):
        raise _unable_to_save(
            row.uuid, 'creating loop in the provider tree is not allowed.')
    return {'parent_provider_id': parent.id,
            'root_provider_id': parent.root_provider_id}


def _move_subtree(conn, row, new_root_id):
    """Give the provider and its descendants their new root."""
    if new_root_id == row.root_provider_id:
        return
    conn.execute(_rp.update()
                 .where(_rp.c.id.in_(sorted(_subtree_ids(conn, row))))
                 .values(root_provider_id=new_root_id))


@db_api.writer
def _save(ctx, conn, uuid, name, parent_uuid, allow_reparenting):
    row = get_row(conn, uuid)
    values = {'name': name, 'updated_at': timeutils.utcnow()}
    if parent_uuid is not _KEEP:
        parentage = _new_parentage(conn, row, parent_uuid,
                                   allow_reparenting)
        if parentage:
            _move_subtree(conn, row, parentage['root_provider_id'])
            values.update(parentage)
    # Another row's name only: MySQL compares names without case.
    if _exists(conn, sa.select(_rp.c.id).where(_rp.c.name == name)
               .where(_rp.c.id != row.id)):
        raise exception.DuplicateName(
            'Conflicting resource provider %s already exists.' % name)
    conn.execute(_rp.update().where(_rp.c.id == row.id).values(**values))
    return _read(conn, uuid)


def update(ctx, uuid, name, parent_uuid=_KEEP, allow_reparenting=False):
    """Rename the provider and, when ``parent_uuid`` is given (None for
    none), set its parent. Before 1.37 (``allow_reparenting`` False) a
    parent, once set, may not change. Returns the provider dict."""
    if parent_uuid not in (_KEEP, None):
        parent_uuid = normalize_uuid(parent_uuid)
    try:
        return _save(ctx, uuid, name, parent_uuid, allow_reparenting)
    except db_exc.DBReferenceError:
        # The parent went between the look-up and the update.
        raise _unable_to_save(uuid, _parent_missing(), action='create')


# Deleting

def _has_children(uuid):
    return exception.CannotDeleteParentProvider(
        'Unable to delete parent resource provider %s: It has child '
        'resource providers.' % uuid)


def _refuse_delete_if_used(conn, row):
    # Locking reads: they see what writers that held the provider's row
    # just committed, even on a snapshot older than that (MySQL).
    if _exists(conn, sa.select(_rp.c.id).where(
            _rp.c.parent_provider_id == row.id).with_for_update(read=True)):
        raise _has_children(row.uuid)
    allocations = tables.allocations
    if _exists(conn, sa.select(allocations.c.id).where(
            allocations.c.resource_provider_id == row.id)
            .with_for_update(read=True)):
        raise exception.ProviderInUse(
            'Unable to delete resource provider %s: Resource provider has '
            'allocations.' % row.uuid)


@db_api.writer
def _delete(ctx, conn, uuid):
    # Locked, so that a concurrent claim on the provider (which moves its
    # generation) either commits first and is seen, or finds it gone.
    row = _find_row(conn, uuid, for_update=True)
    if row is None:
        raise not_found(uuid, doing=' for delete')
    _refuse_delete_if_used(conn, row)
    for table in (tables.inventories, tables.resource_provider_traits,
                  tables.resource_provider_aggregates):
        conn.execute(table.delete().where(
            table.c.resource_provider_id == row.id))
    # The row refers to itself as root; clear that so it may go.
    conn.execute(_rp.update().where(_rp.c.id == row.id)
                 .values(root_provider_id=None))
    conn.execute(_rp.delete().where(_rp.c.id == row.id))


def delete(ctx, uuid):
    """Delete a provider with no children and no allocations, and its
    inventories and trait and aggregate associations."""
    try:
        _delete(ctx, uuid)
    except db_exc.DBReferenceError:
        # A child was added after the check above.
        raise _has_children(uuid)
