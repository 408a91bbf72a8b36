"""Resource classes: the standard ones from os-resource-classes, whose ids
are their positions in its list, and custom ones (``CUSTOM_*``) with ids
from 10000 up, as OpenStack Placement numbers them."""
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
CUSTOM_NAME = re.compile(r'^CUSTOM_[A-Z0-9_]+$')

_cache = name_cache.NameCache(tables.resource_classes)
_rc = tables.resource_classes


def is_custom(name):
    return name.startswith(orc.CUSTOM_NAMESPACE)


def id_of(ctx, conn, name):
    """The id of the class ``name``; ResourceClassNotFound if none."""
    id_ = _cache.id_of(ctx.db, conn, name)
    if id_ is None:
        raise exception.ResourceClassNotFound(
            'No such resource class %s.' % name)
    return id_


def ids_of(ctx, conn, names):
    """{name: id} for every name; ResourceClassNotFound naming the first
    unknown one."""
    found = _cache.ids_of(ctx.db, conn, names)
    for name in names:
        if name not in found:
            raise exception.ResourceClassNotFound(
                'No such resource class %s.' % name)
    return found


def names_of(ctx, conn, ids):
    return _cache.names_of(ctx.db, conn, ids)


def _row_to_dict(row):
    return {'id': row.id, 'name': row.name,
            'updated_at': row.updated_at or row.created_at}


def get_all(ctx):
    with ctx.db.reader(ctx) as conn:
        rows = conn.execute(sa.select(_rc).order_by(_rc.c.id))
        return [_row_to_dict(row) for row in rows]


def get_by_name(ctx, name):
    with ctx.db.reader(ctx) as conn:
        row = conn.execute(sa.select(_rc).where(_rc.c.name == name)).first()
    if row is None:
        raise exception.ResourceClassNotFound(
            'No such resource class %s.' % name)
    return _row_to_dict(row)


def _next_custom_id(conn):
    highest = conn.execute(sa.select(sa.func.max(_rc.c.id))).scalar()
    return max(MIN_CUSTOM_ID, (highest or 0) + 1)


@db_api.retry_on_deadlock
def _insert_custom(ctx, name):
    with ctx.db.writer(ctx) as conn:
        if conn.execute(sa.select(_rc.c.id).where(
                _rc.c.name == name)).first() is not None:
            raise exception.DuplicateName(
                'Resource class %s already exists.' % name)
        conn.execute(_rc.insert().values(
            id=_next_custom_id(conn), name=name,
            created_at=timeutils.utcnow()))


def create(ctx, name):
    """Create the custom class ``name``. Concurrent creators may pick the
    same next id; the loser tries again with a fresh one."""
    for _attempt in range(10):
        try:
            _insert_custom(ctx, name)
            break
        except db_exc.DBDuplicateEntry as exc:
            if 'name' in (exc.columns or []):
                raise exception.DuplicateName(
                    'Resource class %s already exists.' % name)
    else:
        raise exception.ConcurrentUpdate(
            'Could not create resource class %s: too many concurrent '
            'creators.' % name)
    _cache.clear(ctx.db)


@db_api.retry_on_deadlock
def rename(ctx, old_name, new_name):
    """Rename a custom class (the 1.2 to 1.6 PUT)."""
    try:
        with ctx.db.writer(ctx) as conn:
            result = conn.execute(
                _rc.update().where(_rc.c.name == old_name).values(
                    name=new_name, updated_at=timeutils.utcnow()))
            if result.rowcount == 0:
                raise exception.ResourceClassNotFound(
                    'No such resource class %s.' % old_name)
    except db_exc.DBDuplicateEntry:
        raise exception.DuplicateName(
            'Resource class %s already exists.' % new_name)
    _cache.clear(ctx.db)


@db_api.retry_on_deadlock
def delete(ctx, name):
    """Delete a custom class that no inventory uses."""
    with ctx.db.writer(ctx) as conn:
        row = conn.execute(sa.select(_rc.c.id).where(
            _rc.c.name == name)).first()
        if row is None:
            raise exception.ResourceClassNotFound(
                'No such resource class %s.' % name)
        in_use = conn.execute(
            sa.select(tables.inventories.c.id)
            .where(tables.inventories.c.resource_class_id == row.id)
            .limit(1)).first()
        if in_use is not None:
            raise exception.ResourceClassInUse(
                'Resource class %s is in use in inventory.' % name)
        conn.execute(_rc.delete().where(_rc.c.id == row.id))
    _cache.clear(ctx.db)


@db_api.retry_on_deadlock
def _insert_missing_standard(ctx):
    with ctx.db.writer(ctx) as conn:
        present = set(conn.execute(sa.select(_rc.c.id)).scalars())
        missing = [{'id': index, 'name': name,
                    'created_at': timeutils.utcnow()}
                   for index, name in enumerate(orc.STANDARDS)
                   if index not in present]
        if missing:
            conn.execute(_rc.insert(), missing)


def sync_standard(ctx):
    """Add the standard classes the database lacks. Several processes may
    do this at once: one that loses the race finds nothing left to add."""
    for _attempt in range(5):
        try:
            _insert_missing_standard(ctx)
            break
        except db_exc.DBDuplicateEntry:
            continue
    _cache.clear(ctx.db)
