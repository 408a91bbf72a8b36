"""The traits of a resource provider."""
from oslo_utils import timeutils
import sqlalchemy as sa

from placement.db import api as db_api
from placement.db import tables
from placement import exception
from placement.objects import names as names_obj
from placement.objects import resource_provider as rp_obj

_traits = tables.traits
_rp_traits = tables.resource_provider_traits


_OF_PROVIDER = _rp_traits.c.resource_provider_id == sa.bindparam(
    'provider_id')

_CURRENT = (sa.select(_traits.c.name, _traits.c.created_at,
                      _traits.c.updated_at)
            .join(_rp_traits, _rp_traits.c.trait_id == _traits.c.id)
            .where(_OF_PROVIDER).order_by(_traits.c.name))

_PRESENT_IDS = sa.select(_rp_traits.c.trait_id).where(_OF_PROVIDER)


def _current(conn, provider_id):
    """(names, last modified) of the provider's traits; the time is that
    of the newest trait, None for none."""
    rows = conn.execute(_CURRENT, {'provider_id': provider_id})
    names, times = [], []
    for row in rows:
        names.append(row.name)
        times.append(row.updated_at or row.created_at)
    times = [time for time in times if time is not None]
    return names, max(times) if times else None


@db_api.reader
def get_for_provider(ctx, conn, provider_uuid):
    """(provider generation, sorted trait names, last modified)."""
    row = rp_obj.get_row(conn, provider_uuid)
    return (row.generation,) + _current(conn, row.id)


def _replace_ids(conn, provider_id, wanted_ids):
    """Make ``wanted_ids`` the provider's traits; whether that changed
    anything."""
    present = set(conn.execute(
        _PRESENT_IDS, {'provider_id': provider_id}).scalars())
    stale = present - wanted_ids
    new = wanted_ids - present
    if stale:
        conn.execute(_rp_traits.delete()
                     .where(_rp_traits.c.resource_provider_id == provider_id)
                     .where(_rp_traits.c.trait_id.in_(sorted(stale))))
    if new:
        now = timeutils.utcnow()
        conn.execute(_rp_traits.insert(), [
            {'resource_provider_id': provider_id, 'trait_id': trait_id,
             'created_at': now} for trait_id in sorted(new)])
    return bool(stale or new)


def _trait_ids(conn, names):
    """{name: id} of ``names``; TraitNotFound naming the unknown ones in
    the order given, as OpenStack Placement does."""
    ids = names_obj.ids_of(conn, _traits, names)
    missing = [name for name in dict.fromkeys(names) if name not in ids]
    if missing:
        raise exception.TraitNotFound('No such trait %s'
                                      % ', '.join(missing))
    return ids


@db_api.writer
def set_for_provider(ctx, conn, provider_uuid, names, seen_generation=None):
    """Make ``names`` the provider's traits; (generation, sorted names,
    last modified).

    ConcurrentUpdate unless the provider is at ``seen_generation`` (when
    given); TraitNotFound naming unknown traits. A concurrent writer that
    adds the same trait first makes our insert a duplicate; the retry
    then finds the generation it moved on.
    """
    row = rp_obj.get_row(conn, provider_uuid)
    if seen_generation is None:
        seen_generation = row.generation
    else:
        rp_obj.check_generation(row, seen_generation,
                                detail=rp_obj.GENERATION_CHANGED)
    ids = _trait_ids(conn, names)
    generation = row.generation
    # As in OpenStack Placement, a write that changes nothing leaves the
    # generation alone.
    if _replace_ids(conn, row.id, set(ids.values())):
        generation = rp_obj.bump_generation(conn, row.id, seen_generation)
    return (generation,) + _current(conn, row.id)


def delete_for_provider(ctx, provider_uuid):
    """Remove all of the provider's traits."""
    set_for_provider(ctx, provider_uuid, ())
