"""Resource classes: the standard ones from os-resource-classes, whose ids
are their positions in its list, and custom ones (``CUSTOM_*``) with ids
from 10000 up, as OpenStack Placement numbers them."""
import contextlib
import re

from oslo_db import exception as db_exc
from oslo_utils import timeutils
import os_resource_classes as orc
import sqlalchemy as sa

from placement.db import api as db_api
from placement.db import tables
from placement import exception
from placement.objects import name_cache

MIN_CUSTOM_ID = 10000
CUSTOM_NAME = re.compile(r'^CUSTOM_[A-Z0-9_]+\Z')
# Concurrent creators may pick the same next id; the loser tries again.
_CREATE_ATTEMPTS = 10

_cache = name_cache.NameCache(tables.resource_classes)
_rc = tables.resource_classes


def is_custom(name):
    return name.startswith(orc.CUSTOM_NAMESPACE)


def _not_found(name):
    return exception.ResourceClassNotFound(
        'No such resource class %s.' % name)


def id_of(ctx, conn, name):
    """The id of the class ``name``; ResourceClassNotFound if none."""
    id_ = _cache.id_of(ctx.db, conn, name)
    if id_ is None:
        raise _not_found(name)
    return id_


def ids_of(ctx, conn, names):
    """{name: id} for every name; ResourceClassNotFound naming the first
    unknown one."""
    found = _cache.ids_of(ctx.db, conn, names)
    for name in names:
        if name not in found:
            raise _not_found(name)
    return found


def names_of(ctx, conn, ids):
    return _cache.names_of(ctx.db, conn, ids)


def _row_to_dict(row):
    return {'id': row.id, 'name': row.name,
            'updated_at': row.updated_at or row.created_at}


def _select_by_name(conn, name):
    rows = conn.execute(sa.select(_rc).where(_rc.c.name == name))
    # MySQL's usual collations ignore case and trailing spaces; only the
    # exact name counts.
    return next((row for row in rows if row.name == name), None)


def get_all(ctx):
    """Every class, standard ones first, as {'id', 'name', 'updated_at'}
    (``updated_at`` falls back to the creation time)."""
    with ctx.db.reader(ctx) as conn:
        rows = conn.execute(sa.select(_rc).order_by(_rc.c.id))
        return [_row_to_dict(row) for row in rows]


def get_by_name(ctx, name):
    with ctx.db.reader(ctx) as conn:
        row = _select_by_name(conn, name)
    if row is None:
        raise _not_found(name)
    return _row_to_dict(row)


def _next_custom_id(conn):
    highest = conn.execute(sa.select(sa.func.max(_rc.c.id))).scalar()
    return max(MIN_CUSTOM_ID, (highest or 0) + 1)


def _duplicate(name):
    return exception.DuplicateName(
        'Resource class %s already exists.' % name)


@db_api.retry_on_deadlock
def _insert_custom(ctx, name):
    with ctx.db.writer(ctx) as conn:
        if _select_by_name(conn, name) is not None:
            raise _duplicate(name)
        conn.execute(_rc.insert().values(
            id=_next_custom_id(conn), name=name,
            created_at=timeutils.utcnow()))


def create(ctx, name):
    """Create the custom class ``name``; DuplicateName if it exists."""
    for _attempt in range(_CREATE_ATTEMPTS):
        try:
            _insert_custom(ctx, name)
            break
        except db_exc.DBDuplicateEntry as exc:
            if 'name' in (exc.columns or []):
                raise _duplicate(name)
    else:
        raise exception.ConcurrentUpdate(
            'Could not create resource class %s: too many concurrent '
            'creators.' % name)
    _cache.clear(ctx.db)


def ensure(ctx, name):
    """Create the custom class ``name`` unless it exists; True if this
    call created it."""
    try:
        get_by_name(ctx, name)
        return False
    except exception.ResourceClassNotFound:
        pass
    try:
        create(ctx, name)
    except exception.DuplicateName:
        # Another request created it between the look-up and the insert.
        return False
    return True


def _refuse_standard(row, action):
    if row.id < MIN_CUSTOM_ID:
        raise exception.BadRequest(
            'Cannot %s standard resource class %s.' % (action, row.name))


@db_api.retry_on_deadlock
def _rename_row(ctx, old_name, new_name):
    with ctx.db.writer(ctx) as conn:
        row = _select_by_name(conn, old_name)
        if row is None:
            raise _not_found(old_name)
        _refuse_standard(row, 'update')
        if old_name == new_name:
            return _row_to_dict(row)
        if _select_by_name(conn, new_name) is not None:
            raise _duplicate(new_name)
        now = timeutils.utcnow()
        conn.execute(_rc.update().where(_rc.c.id == row.id).values(
            name=new_name, updated_at=now))
        return {'id': row.id, 'name': new_name, 'updated_at': now}


def rename(ctx, old_name, new_name):
    """Rename a custom class (the PUT of microversions 1.2 to 1.6) and
    return it as get_by_name does."""
    try:
        renamed = _rename_row(ctx, old_name, new_name)
    except db_exc.DBDuplicateEntry:
        raise _duplicate(new_name)
    _cache.clear(ctx.db)
    return renamed


@db_api.retry_on_deadlock
def delete(ctx, name):
    """Delete a custom class that no inventory uses."""
    with ctx.db.writer(ctx) as conn:
        row = _select_by_name(conn, name)
        if row is None:
            raise _not_found(name)
        _refuse_standard(row, 'delete')
        in_use = conn.execute(
            sa.select(tables.inventories.c.id)
            .where(tables.inventories.c.resource_class_id == row.id)
            .limit(1)).first()
        if in_use is not None:
            raise exception.ResourceClassInUse(
                'Cannot delete resource class %s: it is in use in '
                'inventory.' % name)
        conn.execute(_rc.delete().where(_rc.c.id == row.id))
    _cache.clear(ctx.db)


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


@db_api.retry_on_duplicate
@db_api.retry_on_deadlock
def _insert_missing_standard(ctx):
    with ctx.db.writer(ctx) as conn:
        present = set(conn.execute(sa.select(_rc.c.name)).scalars())
        now = timeutils.utcnow()
        missing = [{'id': index, 'name': name, 'created_at': now}
                   for index, name in enumerate(orc.STANDARDS)
                   if name not in present]
        if missing:
            with _explicit_zero_ids(conn):
                conn.execute(_rc.insert(), missing)


def sync_standard(ctx):
    """Add the standard classes the database lacks, each with its
    position in os_resource_classes.STANDARDS as id. Several processes
    may do this at once: one that loses the race and collides with the
    winner's rows tries again and finds nothing left to add."""
    _insert_missing_standard(ctx)
    _cache.clear(ctx.db)
