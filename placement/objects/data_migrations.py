"""Online data migrations: rows that older releases left incomplete, put
right in batches while the service runs (``placement-manage db
online_data_migrations``).

The schema migrations refuse to upgrade a database holding such rows, so
at the current schema these find nothing unless the schema was stamped
rather than migrated. Each migration looks at no more than ``count`` rows
and returns ``(found, done)``: how many rows needing work it found and how
many of them it put right. Once nothing is left it returns ``(0, 0)``.
"""
from oslo_utils import timeutils
import sqlalchemy as sa

from placement.db import api as db_api
from placement.db import tables
from placement.objects import consumer as consumer_obj

_providers = tables.resource_providers
_allocations = tables.allocations
_consumers = tables.consumers


class MigrationContext(db_api.AdminContext):
    """What a migration runs with: the database and the configuration."""

    def __init__(self, db, config):
        self.db = db
        self.config = config


@db_api.writer
def set_root_provider_ids(ctx, conn, count):
    """Give each provider written before nested providers its root.

    A provider without a parent is its own root. One with a parent takes
    its parent's root once the parent has one: when the parent is put
    right in the same batch, the child waits for the next batch.
    """
    parent = _providers.alias('parent')
    rows = conn.execute(
        sa.select(_providers.c.id, _providers.c.parent_provider_id,
                  parent.c.root_provider_id.label('parent_root_id'))
        .select_from(_providers.outerjoin(
            parent, parent.c.id == _providers.c.parent_provider_id))
        .where(_providers.c.root_provider_id.is_(None))
        .order_by(_providers.c.id)
        .limit(count)).all()
    now = timeutils.utcnow()
    done = 0
    for row in rows:
        root_id = (row.id if row.parent_provider_id is None
                   else row.parent_root_id)
        if root_id is None:
            continue
        conn.execute(_providers.update()
                     .where(_providers.c.id == row.id)
                     .values(root_provider_id=root_id, updated_at=now))
        done += 1
    return len(rows), done


@db_api.writer
def create_incomplete_consumers(ctx, conn, count):
    """Add a consumers record, owned by the configured incomplete-consumer
    project and user, for each consumer of allocations that has none
    (allocations written before consumers were recorded)."""
    missing = conn.execute(
        sa.select(_allocations.c.consumer_id).distinct()
        .select_from(_allocations.outerjoin(
            _consumers, _consumers.c.uuid == _allocations.c.consumer_id))
        .where(_consumers.c.id.is_(None))
        .order_by(_allocations.c.consumer_id)
        .limit(count)).scalars().all()
    if not missing:
        return 0, 0
    options = ctx.config.placement
    project = options.incomplete_consumer_project_id
    user = options.incomplete_consumer_user_id
    project_id = consumer_obj.ensure_projects(conn, [project])[project]
    user_id = consumer_obj.ensure_users(conn, [user])[user]
    now = timeutils.utcnow()
    # Generation 0: created, with no write through the API yet.
    conn.execute(_consumers.insert(), [
        {'uuid': uuid, 'project_id': project_id, 'user_id': user_id,
         'generation': 0, 'created_at': now}
        for uuid in missing])
    return len(missing), len(missing)


# In the order they run, under the names placement-manage reports.
ONLINE_MIGRATIONS = (
    set_root_provider_ids,
    create_incomplete_consumers,
)
