"""Traits: the standard ones from os-traits, and custom ones (CUSTOM_*)."""
import re

from oslo_db import exception as db_exc
from oslo_utils import timeutils
import os_traits
import sqlalchemy as sa

from placement.db import api as db_api
from placement.db import tables
from placement import exception
from placement.objects import name_cache

CUSTOM_NAME = re.compile(r'^CUSTOM_[A-Z0-9_]+\Z')

_cache = name_cache.NameCache(tables.traits)
_traits = tables.traits
_rp_traits = tables.resource_provider_traits


def is_custom(name):
    return name.startswith(os_traits.CUSTOM_NAMESPACE)


def ids_of(ctx, conn, names):
    """{name: id} for every name; TraitNotFound naming the unknown ones."""
    found = _cache.ids_of(ctx.db, conn, names)
    missing = sorted(set(names) - set(found))
    if missing:
        raise exception.TraitNotFound(
            'No such trait(s): %s.' % ', '.join(missing))
    return found


def names_of(ctx, conn, ids):
    return _cache.names_of(ctx.db, conn, ids)


def id_of(ctx, conn, name):
    """The id of the trait ``name``; TraitNotFound if none."""
    return ids_of(ctx, conn, [name])[name]


def _last_modified(row):
    return row.updated_at or row.created_at


def get_all_records(ctx, name_in=None, name_prefix=None, associated=None):
    """[{'name', 'updated_at'}] of the traits, sorted by name, filtered:
    among ``name_in``, starting with ``name_prefix``, and (when
    ``associated`` is not None) associated with some provider or with
    none. ``updated_at`` falls back to the creation time."""
    query = sa.select(_traits.c.name, _traits.c.created_at,
                      _traits.c.updated_at)
    if name_in is not None:
        query = query.where(_traits.c.name.in_(list(name_in)))
    if name_prefix is not None:
        query = query.where(_traits.c.name.startswith(name_prefix,
                                                      autoescape=True))
    if associated is not None:
        used = sa.select(_rp_traits.c.trait_id)
        if associated:
            query = query.where(_traits.c.id.in_(used))
        else:
            query = query.where(_traits.c.id.not_in(used))
    with ctx.db.reader(ctx) as conn:
        rows = conn.execute(query).all()
    # Matched and sorted again here so that the answer is the same
    # whatever collation the backend compares names with.
    if name_in is not None:
        wanted = set(name_in)
        rows = [row for row in rows if row.name in wanted]
    if name_prefix is not None:
        rows = [row for row in rows if row.name.startswith(name_prefix)]
    return [{'name': row.name, 'updated_at': _last_modified(row)}
            for row in sorted(rows, key=lambda row: row.name)]


def get_all(ctx, name_in=None, name_prefix=None, associated=None):
    """The names of the traits get_all_records finds."""
    return [record['name'] for record in get_all_records(
        ctx, name_in=name_in, name_prefix=name_prefix,
        associated=associated)]


def _not_found(name):
    return exception.TraitNotFound('No such trait(s): %s.' % name)


def _exactly(rows, name):
    """The row named exactly ``name``: MySQL's usual collations compare
    without case and trailing spaces, so the database may have matched
    others too."""
    return next((row for row in rows if row.name == name), None)


def _select_by_name(conn, name):
    return _exactly(conn.execute(sa.select(_traits).where(
        _traits.c.name == name)), name)


def get_by_name(ctx, name):
    """{'id', 'name', 'updated_at'} of the trait; TraitNotFound if none."""
    with ctx.db.reader(ctx) as conn:
        row = _select_by_name(conn, name)
    if row is None:
        raise _not_found(name)
    return {'id': row.id, 'name': row.name,
            'updated_at': _last_modified(row)}


@db_api.retry_on_deadlock
def _insert(ctx, name):
    """The new trait's creation time, or None if it exists already."""
    with ctx.db.writer(ctx) as conn:
        if _select_by_name(conn, name) is not None:
            return None
        now = timeutils.utcnow()
        conn.execute(_traits.insert().values(name=name, created_at=now))
        return now


def ensure(ctx, name):
    """Create the trait unless it exists. Returns (created, updated_at):
    whether this call created it, and when the trait last changed."""
    try:
        created_at = _insert(ctx, name)
    except db_exc.DBDuplicateEntry:
        # A concurrent request inserted it after our look-up.
        created_at = None
    if created_at is not None:
        _cache.clear(ctx.db)
        return True, created_at
    return False, get_by_name(ctx, name)['updated_at']


@db_api.retry_on_deadlock
def delete(ctx, name):
    """Delete a custom trait that no provider has."""
    with ctx.db.writer(ctx) as conn:
        row = _select_by_name(conn, name)
        if row is None:
            raise _not_found(name)
        if not is_custom(name):
            raise exception.BadRequest(
                'Cannot delete standard trait %s.' % name)
        in_use = conn.execute(
            sa.select(_rp_traits.c.trait_id)
            .where(_rp_traits.c.trait_id == row.id).limit(1)).first()
        if in_use is not None:
            raise exception.TraitInUse(
                'Trait %s cannot be deleted while resource providers have '
                'it.' % name)
        conn.execute(_traits.delete().where(_traits.c.id == row.id))
    _cache.clear(ctx.db)


@db_api.retry_on_duplicate
@db_api.retry_on_deadlock
def _insert_missing_standard(ctx):
    with ctx.db.writer(ctx) as conn:
        present = set(conn.execute(sa.select(_traits.c.name)).scalars())
        now = timeutils.utcnow()
        missing = [{'name': name, 'created_at': now}
                   for name in os_traits.get_traits() if name not in present]
        if missing:
            conn.execute(_traits.insert(), missing)


def sync_standard(ctx):
    """Add the standard traits the database lacks. Safe to race: a
    process that collides with another's rows tries again and finds
    nothing left to add."""
    _insert_missing_standard(ctx)
    _cache.clear(ctx.db)
