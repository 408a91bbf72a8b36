"""Resource providers.

The two functions below are shared by every object that changes a
provider (inventories, traits, aggregates, allocations): look the provider
up, and bump its generation only if it is still the one the writer saw.
"""
from oslo_utils import timeutils
import sqlalchemy as sa

from placement.db import tables
from placement import exception

_rp = tables.resource_providers


def get_row(conn, uuid):
    """The provider's row; ResourceProviderNotFound if there is none."""
    row = conn.execute(sa.select(_rp).where(_rp.c.uuid == uuid)).first()
    if row is None:
        raise exception.ResourceProviderNotFound(
            'No resource provider with uuid %s found.' % uuid)
    return row


def bump_generation(conn, provider_id, seen_generation):
    """Move the provider's generation on from ``seen_generation``.

    The UPDATE matches only while the generation is still the one seen, so
    of two writers that saw the same generation exactly one succeeds; the
    other gets ConcurrentUpdate. Returns the new generation.
    """
    result = conn.execute(
        _rp.update()
        .where(_rp.c.id == provider_id)
        .where(_rp.c.generation == seen_generation)
        .values(generation=seen_generation + 1,
                updated_at=timeutils.utcnow()))
    if result.rowcount != 1:
        raise exception.ConcurrentUpdate(
            'resource provider generation conflict: another process '
            'changed the provider since generation %d.' % seen_generation)
    return seen_generation + 1
