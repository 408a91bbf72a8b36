"""Resource classes: the standard ones from os-resource-classes, whose ids
are their positions in its list, and custom ones (``CUSTOM_*``) with ids
from 10000 up, as OpenStack Placement numbers them."""
import contextlib

from oslo_utils import timeutils
import os_resource_classes as orc
import sqlalchemy as sa

from placement.db import api as db_api
from placement.db import tables
from placement import exception
from placement.objects import names as names_obj

MIN_CUSTOM_ID = 10000

_rc = tables.resource_classes
_inv = tables.inventories


def is_custom(name):
    return name.startswith(orc.CUSTOM_NAMESPACE)


def _not_found(name):
    return exception.ResourceClassNotFound(
        'No such resource class %s.' % name)


def id_of(ctx, conn, name):
    """The id of the class ``name``; ResourceClassNotFound if none."""
    return ids_of(ctx, conn, [name])[name]


def ids_of(ctx, conn, names):
    """{name: id} for every name; ResourceClassNotFound naming the first
    unknown one."""
    found = names_obj.ids_of(conn, _rc, names)
    for name in names:
        if name not in found:
            raise _not_found(name)
    return found


def names_of(ctx, conn, ids):
    """{id: name} for those of ``ids`` that exist."""
    return names_obj.names_of(conn, _rc, ids)


def _row_to_dict(row):
    return {'id': row.id, 'name': row.name,
            'updated_at': row.updated_at or row.created_at}


def _select_by_name(conn, name, for_update=False):
    query = sa.select(_rc).where(_rc.c.name == name)
    if for_update:
        query = query.with_for_update()
    # MySQL's usual collations ignore case and trailing spaces; only the
    # exact name counts.
    return next((row for row in conn.execute(query) if row.name == name),
                None)


@db_api.reader
def get_all(ctx, conn):
    """Every class, standard ones first, as {'id', 'name', 'updated_at'}
    (``updated_at`` falls back to the creation time)."""
    rows = conn.execute(sa.select(_rc).order_by(_rc.c.id))
    return [_row_to_dict(row) for row in rows]


@db_api.reader
def get_by_name(ctx, conn, name):
    row = _select_by_name(conn, name)
    if row is None:
        raise _not_found(name)
    return _row_to_dict(row)


def _next_custom_id(conn):
    highest = conn.execute(sa.select(sa.func.max(_rc.c.id))).scalar()
    return max(MIN_CUSTOM_ID, (highest or 0) + 1)


def _insert_custom(conn, name):
    # Two creators may pick the same next id: the loser's insert fails as
    # a duplicate and the retry policy runs it again.
    conn.execute(_rc.insert().values(
        id=_next_custom_id(conn), name=name, created_at=timeutils.utcnow()))


@db_api.writer
def create(ctx, conn, name):
    """Create the custom class ``name``; DuplicateName if it exists."""
    if _select_by_name(conn, name) is not None:
        raise exception.ResourceClassExists(
            'Conflicting resource class already exists: %s' % name)
    _insert_custom(conn, name)


@db_api.writer
def ensure(ctx, conn, name):
    """Create the custom class ``name`` unless it exists; True if this
    call created it."""
    if _select_by_name(conn, name) is not None:
        return False
    _insert_custom(conn, name)
    return True


def _locked_row(conn, name):
    """The class's row, locked until the transaction ends, so that no
    inventory can start using it meanwhile (see names)."""
    row = _select_by_name(conn, name, for_update=True)
    if row is None:
        raise _not_found(name)
    return row


def _is_standard(row):
    return row.id < MIN_CUSTOM_ID


@db_api.writer
def rename(ctx, conn, old_name, new_name):
    """Rename a custom class (the PUT of microversions 1.2 to 1.6) and
    return it as get_by_name does."""
    row = _locked_row(conn, old_name)
    if _is_standard(row):
        raise exception.BadRequest(
            'Cannot update standard resource class %s' % old_name)
    if old_name == new_name:
        return _row_to_dict(row)
    if _select_by_name(conn, new_name) is not None:
        raise exception.ResourceClassExists(
            'Resource class already exists: %s' % new_name)
    now = timeutils.utcnow()
    conn.execute(_rc.update().where(_rc.c.id == row.id).values(
        name=new_name, updated_at=now))
    return {'id': row.id, 'name': new_name, 'updated_at': now}


def _in_inventory(conn, class_id):
    # A locking read: it sees the newest committed rows even where the
    # transaction reads an older snapshot (MySQL's REPEATABLE READ).
    return conn.execute(
        sa.select(_inv.c.id).where(_inv.c.resource_class_id == class_id)
        .limit(1).with_for_update(read=True)).first() is not None


@db_api.writer
def delete(ctx, conn, name):
    """Delete a custom class that no inventory uses."""
    row = _locked_row(conn, name)
    if _is_standard(row):
        raise exception.BadRequest(
            'Error in delete resource class: Cannot delete standard '
            'resource class %s.' % name)
    if _in_inventory(conn, row.id):
        raise exception.ResourceClassInUse(
            'Error in delete resource class: Cannot delete resource class '
            '%s. Class is in use in inventory.' % name)
    conn.execute(_rc.delete().where(_rc.c.id == row.id))


@contextlib.contextmanager
def _explicit_zero_ids(conn):
    """Let an INSERT give id 0 (VCPU's) on MySQL, where an AUTO_INCREMENT
    column otherwise takes 0 as "pick the next id"."""
    if conn.dialect.name != 'mysql':
        yield
        return
    mode = conn.exec_driver_sql('SELECT @@SESSION.sql_mode').scalar() or ''
    modes = [part for part in mode.split(',') if part]
    conn.exec_driver_sql("SET SESSION sql_mode = '%s'" % ','.join(
        modes + ['NO_AUTO_VALUE_ON_ZERO']))
    try:
        yield
    finally:
        # The connection goes back to the pool: leave it as it was.
        conn.exec_driver_sql("SET SESSION sql_mode = '%s'" % mode)


@db_api.writer
def sync_standard(ctx, conn):
    """Add the standard classes the database lacks, each with its
    position in os_resource_classes.STANDARDS as id. Several processes
    may do this at once: one that collides with the winner's rows is run
    again by the retry policy and finds nothing left to add."""
    present = set(conn.execute(sa.select(_rc.c.name)).scalars())
    now = timeutils.utcnow()
    missing = [{'id': index, 'name': name, 'created_at': now}
               for index, name in enumerate(orc.STANDARDS)
               if name not in present]
    if missing:
        with _explicit_zero_ids(conn):
            conn.execute(_rc.insert(), missing)
