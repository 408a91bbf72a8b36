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

CUSTOM_NAME = re.compile(r'^CUSTOM_[A-Z0-9_]+$')

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


def get_all(ctx, name_in=None, name_prefix=None, associated=None):
    """Trait names, filtered: among ``name_in``, starting with
    ``name_prefix``, and (when ``associated`` is not None) associated with
    some provider or with none."""
    query = sa.select(_traits.c.name)
    if name_in is not None:
        query = query.where(_traits.c.name.in_(list(name_in)))
    if name_prefix is not None:
        query = query.where(_traits.c.name.startswith(name_prefix,
                                                      autoescape=True))
    if associated is not None:
        used = sa.select(_rp_traits.c.trait_id).distinct()
        if associated:
            query = query.where(_traits.c.id.in_(used))
        else:
            query = query.where(_traits.c.id.not_in(used))
    with ctx.db.reader(ctx) as conn:
        return list(conn.execute(query.order_by(_traits.c.name)).scalars())


def get_by_name(ctx, name):
    """{'id', 'name', 'updated_at'} of the trait; TraitNotFound if none."""
    with ctx.db.reader(ctx) as conn:
        row = conn.execute(sa.select(_traits).where(
            _traits.c.name == name)).first()
    if row is None:
        raise exception.TraitNotFound('No such trait %s.' % name)
    return {'id': row.id, 'name': row.name,
            'updated_at': row.updated_at or row.created_at}


@db_api.retry_on_deadlock
def ensure(ctx, name):
    """Create the trait unless it exists; True if this call created it."""
    try:
        with ctx.db.writer(ctx) as conn:
            exists = conn.execute(sa.select(_traits.c.id).where(
                _traits.c.name == name)).first()
            if exists is not None:
                return False
            conn.execute(_traits.insert().values(
                name=name, created_at=timeutils.utcnow()))
    except db_exc.DBDuplicateEntry:
        return False
    _cache.clear(ctx.db)
    return True


@db_api.retry_on_deadlock
def delete(ctx, name):
    """Delete a custom trait that no provider has."""
    with ctx.db.writer(ctx) as conn:
        row = conn.execute(sa.select(_traits.c.id).where(
            _traits.c.name == name)).first()
        if row is None:
            raise exception.TraitNotFound('No such trait %s.' % name)
        in_use = conn.execute(
            sa.select(_rp_traits.c.trait_id)
            .where(_rp_traits.c.trait_id == row.id).limit(1)).first()
        if in_use is not None:
            raise exception.TraitInUse(
                'Trait %s is in use by a resource provider.' % name)
        conn.execute(_traits.delete().where(_traits.c.id == row.id))
    _cache.clear(ctx.db)


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
    """Add the standard traits the database lacks; safe to race."""
    for _attempt in range(5):
        try:
            _insert_missing_standard(ctx)
            break
        except db_exc.DBDuplicateEntry:
            continue
    _cache.clear(ctx.db)
