"""Traits: the standard ones from os-traits, and custom ones (CUSTOM_*)."""
from oslo_utils import timeutils
import os_traits
import sqlalchemy as sa

from placement.db import api as db_api
from placement.db import tables
from placement import exception
from placement.objects import names as names_obj

_traits = tables.traits
_rp_traits = tables.resource_provider_traits


def is_custom(name):
    return name.startswith(os_traits.CUSTOM_NAMESPACE)


def ids_of(ctx, conn, names):
    """{name: id} for every name; TraitNotFound naming the unknown ones."""
    found = names_obj.ids_of(conn, _traits, names)
    missing = sorted(set(names) - set(found))
    if missing:
        raise exception.TraitNotFound(
            'No such trait(s): %s.' % ', '.join(missing))
    return found


def id_of(ctx, conn, name):
    """The id of the trait ``name``; TraitNotFound if none."""
    return ids_of(ctx, conn, [name])[name]


def _last_modified(row):
    return row.updated_at or row.created_at


@db_api.reader
def get_all_records(ctx, conn, name_in=None, name_prefix=None,
                    associated=None):
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


def _select_by_name(conn, name, for_update=False):
    query = sa.select(_traits).where(_traits.c.name == name)
    if for_update:
        query = query.with_for_update()
    return _exactly(conn.execute(query), name)


@db_api.reader
def get_by_name(ctx, conn, name):
    """{'id', 'name', 'updated_at'} of the trait; TraitNotFound if none."""
    row = _select_by_name(conn, name)
    if row is None:
        raise _not_found(name)
    return {'id': row.id, 'name': row.name,
            'updated_at': _last_modified(row)}


@db_api.writer
def ensure(ctx, conn, name):
    """Create the trait unless it exists. Returns (created, updated_at):
    whether this call created it, and when the trait last changed.

    A concurrent creator's insert makes ours a duplicate, and the retry
    policy runs this again, finding the winner's row."""
    row = _select_by_name(conn, name)
    if row is not None:
        return False, _last_modified(row)
    now = timeutils.utcnow()
    conn.execute(_traits.insert().values(name=name, created_at=now))
    return True, now


def _on_a_provider(conn, trait_id):
    # A locking read sees the newest committed rows even where the
    # transaction reads an older snapshot (MySQL's REPEATABLE READ).
    return conn.execute(
        sa.select(_rp_traits.c.trait_id)
        .where(_rp_traits.c.trait_id == trait_id)
        .limit(1).with_for_update(read=True)).first() is not None


@db_api.writer
def delete(ctx, conn, name):
    """Delete a custom trait that no provider has. The row is locked
    first, so that no provider can be given the trait meanwhile (see
    names)."""
    row = _select_by_name(conn, name, for_update=True)
    if row is None:
        raise _not_found(name)
    if not is_custom(name):
        raise exception.BadRequest(
            'Cannot delete standard trait %s.' % name)
    if _on_a_provider(conn, row.id):
        raise exception.TraitInUse(
            'The trait %s is in use by a resource provider.' % name)
    conn.execute(_traits.delete().where(_traits.c.id == row.id))


@db_api.writer
def sync_standard(ctx, conn):
    """Add the standard traits the database lacks. Safe to race: a
    process that collides with another's rows is run again by the retry
    policy and finds nothing left to add."""
    present = set(conn.execute(sa.select(_traits.c.name)).scalars())
    now = timeutils.utcnow()
    missing = [{'name': name, 'created_at': now}
               for name in os_traits.get_traits() if name not in present]
    if missing:
        conn.execute(_traits.insert(), missing)
