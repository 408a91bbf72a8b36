"""The aggregates a resource provider is in.

Aggregates are only uuids: one named for the first time gets a row in
placement_aggregates, and rows are never removed, since another provider
may name the same aggregate later.
"""
from oslo_utils import timeutils
import sqlalchemy as sa

from placement.db import api as db_api
from placement.db import tables
from placement.objects import resource_provider as rp_obj

_agg = tables.placement_aggregates
_rp_agg = tables.resource_provider_aggregates


_CURRENT = (sa.select(_agg.c.uuid, _agg.c.id)
            .join(_rp_agg, _rp_agg.c.aggregate_id == _agg.c.id)
            .where(_rp_agg.c.resource_provider_id
                   == sa.bindparam('provider_id')))

_IDS_OF_UUIDS = sa.select(_agg.c.uuid, _agg.c.id).where(
    _agg.c.uuid.in_(sa.bindparam('uuids', expanding=True)))


def _current(conn, provider_id):
    """{aggregate uuid: aggregate id} of the provider's aggregates."""
    rows = conn.execute(_CURRENT, {'provider_id': provider_id})
    return {row.uuid: row.id for row in rows}


def _ensure(conn, uuids):
    """{uuid: id} for every aggregate uuid, creating the missing ones."""
    if not uuids:
        return {}

    def ids():
        rows = conn.execute(_IDS_OF_UUIDS, {'uuids': sorted(uuids)})
        return {row.uuid: row.id for row in rows}

    found = ids()
    missing = sorted(set(uuids) - set(found))
    if missing:
        now = timeutils.utcnow()
        conn.execute(_agg.insert(),
                     [{'uuid': uuid, 'created_at': now} for uuid in missing])
        found = ids()
    return found


@db_api.reader
def get_for_provider(ctx, conn, provider_uuid):
    """(provider generation, sorted aggregate uuids)."""
    row = rp_obj.get_row(conn, provider_uuid)
    return row.generation, sorted(_current(conn, row.id))


@db_api.writer
def _replace(ctx, conn, provider_uuid, uuids, seen_generation):
    row = rp_obj.get_row(conn, provider_uuid)
    if seen_generation is not None:
        rp_obj.check_generation(row, seen_generation,
                                detail=rp_obj.GENERATION_CHANGED)
    current = _current(conn, row.id)
    wanted = set(uuids)
    stale = [agg_id for uuid, agg_id in current.items()
             if uuid not in wanted]
    if stale:
        conn.execute(_rp_agg.delete()
                     .where(_rp_agg.c.resource_provider_id == row.id)
                     .where(_rp_agg.c.aggregate_id.in_(stale)))
    new = _ensure(conn, wanted - set(current))
    if new:
        now = timeutils.utcnow()
        conn.execute(_rp_agg.insert(), [
            {'resource_provider_id': row.id, 'aggregate_id': agg_id,
             'created_at': now} for agg_id in sorted(new.values())])
    generation = row.generation
    if seen_generation is not None:
        generation = rp_obj.bump_generation(conn, row.id, seen_generation)
    return generation, uuids


def set_for_provider(ctx, provider_uuid, uuids, seen_generation=None):
    """Make ``uuids`` the provider's aggregates; (generation, the uuids in
    the order given, each once, in canonical form), as OpenStack
    Placement echoes the list it was sent.

    With ``seen_generation`` (from 1.19) the write happens only if the
    provider is still at that generation, and moves it on; ConcurrentUpdate
    otherwise. Without it (before 1.19) the generation is left alone. Two
    writers may both create the same new aggregate, or associate the same
    one with a provider: the loser's duplicate insert is retried and finds
    the winner's rows.
    """
    uuids = list(dict.fromkeys(rp_obj.normalize_uuid(uuid)
                               for uuid in uuids))
    return _replace(ctx, provider_uuid, uuids, seen_generation)
