"""Consumers of resources, and the projects, users and consumer types they
belong to.

Every function here works inside a transaction the caller opened
(allocation writes), so that a consumer is created, changed or removed
together with its allocations or not at all. Rows are created on first
use; a concurrent creator of the same project, user, consumer type or
consumer makes the INSERT fail with DBDuplicateEntry, and the caller starts
again in a fresh transaction, which then finds the row.
"""
import dataclasses
import functools

from oslo_utils import timeutils
import sqlalchemy as sa

from placement.db import tables

_consumers = tables.consumers
_projects = tables.projects
_users = tables.users
_types = tables.consumer_types

# What GET shows for a consumer written before consumer types (1.38).
UNKNOWN_TYPE = 'unknown'


class GenerationMoved(Exception):
    """Another writer changed or removed the consumer since it was read."""


@dataclasses.dataclass
class Consumer:
    id: int
    uuid: str
    generation: int
    project_id: int
    user_id: int
    consumer_type_id: int | None
    project_external_id: str
    user_external_id: str


_BY_UUIDS = (
    sa.select(_consumers.c.id, _consumers.c.uuid, _consumers.c.generation,
              _consumers.c.project_id, _consumers.c.user_id,
              _consumers.c.consumer_type_id,
              _projects.c.external_id.label('project_external_id'),
              _users.c.external_id.label('user_external_id'))
    .select_from(
        _consumers
        .join(_projects, _projects.c.id == _consumers.c.project_id)
        .join(_users, _users.c.id == _consumers.c.user_id))
    .where(_consumers.c.uuid.in_(sa.bindparam('uuids', expanding=True))))


def get_by_uuids(conn, uuids):
    """{uuid: Consumer} for those of ``uuids`` that exist."""
    if not uuids:
        return {}
    rows = conn.execute(_BY_UUIDS, {'uuids': sorted(uuids)})
    return {row.uuid: Consumer(**row._mapping) for row in rows}


@functools.cache
def _ids_of_values(column):
    return sa.select(column, column.table.c.id).where(
        column.in_(sa.bindparam('values', expanding=True)))


def _ensure(conn, column, values):
    """{value: id} of the rows of ``column``'s table holding ``values``,
    inserting the missing rows."""
    table = column.table
    wanted = sorted(set(values))
    if not wanted:
        return {}
    found = dict(conn.execute(_ids_of_values(column),
                              {'values': wanted}).all())
    now = timeutils.utcnow()
    for value in wanted:
        if value not in found:
            result = conn.execute(table.insert(),
                                  {column.name: value, 'created_at': now})
            found[value] = result.inserted_primary_key[0]
    return found


def ensure_projects(conn, external_ids):
    """{project external id: projects.id}, creating missing projects."""
    return _ensure(conn, _projects.c.external_id, external_ids)


def ensure_users(conn, external_ids):
    """{user external id: users.id}, creating missing users."""
    return _ensure(conn, _users.c.external_id, external_ids)


def ensure_consumer_types(conn, names):
    """{name: consumer_types.id}, creating missing consumer types.

    Read straight from the table rather than through a cache: a type
    created in a transaction that then rolls back must not be remembered.
    """
    return _ensure(conn, _types.c.name, names)


def create(conn, uuid, project_id, user_id, consumer_type_id,
           generation=1):
    """Insert a consumer. One whose first allocations are written with it
    is at generation 1, as if created at 0 and then bumped by that write;
    one created without allocations (as OpenStack Placement creates a
    consumer it is given none for) stays at 0."""
    conn.execute(_consumers.insert(), {
        'uuid': uuid, 'project_id': project_id, 'user_id': user_id,
        'consumer_type_id': consumer_type_id, 'generation': generation,
        'created_at': timeutils.utcnow()})


# Compare-and-swap: matches only while the generation is the one read.
_UPDATE = (_consumers.update()
           .where(_consumers.c.id == sa.bindparam('consumer_id'))
           .where(_consumers.c.generation == sa.bindparam('seen'))
           .values(generation=sa.bindparam('new_generation'),
                   project_id=sa.bindparam('new_project_id'),
                   user_id=sa.bindparam('new_user_id'),
                   consumer_type_id=sa.bindparam('new_type_id'),
                   updated_at=sa.bindparam('now')))

_DELETE = (_consumers.delete()
           .where(_consumers.c.id == sa.bindparam('consumer_id'))
           .where(_consumers.c.generation == sa.bindparam('seen')))


def update(conn, consumer, project_id, user_id, consumer_type_id):
    """Move the consumer's generation on, with its new owner and type.

    A write that raced another writer of the same consumer fails with
    GenerationMoved instead of overwriting it.
    """
    result = conn.execute(_UPDATE, {
        'consumer_id': consumer.id, 'seen': consumer.generation,
        'new_generation': consumer.generation + 1,
        'new_project_id': project_id, 'new_user_id': user_id,
        'new_type_id': consumer_type_id, 'now': timeutils.utcnow()})
    if result.rowcount != 1:
        raise GenerationMoved(consumer.uuid)


def delete(conn, consumer):
    """Remove a consumer left without allocations; GenerationMoved if
    another writer changed it since it was read."""
    result = conn.execute(_DELETE, {'consumer_id': consumer.id,
                                    'seen': consumer.generation})
    if result.rowcount != 1:
        raise GenerationMoved(consumer.uuid)


def delete_by_uuid(conn, uuid):
    conn.execute(_consumers.delete().where(_consumers.c.uuid == uuid))


def type_name(name):
    """The consumer type as GET shows it: 'unknown' for none."""
    return UNKNOWN_TYPE if name is None else name
