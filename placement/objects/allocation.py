"""Reading allocations, by consumer and by provider.

Writing them (claims, moves, releases) is in allocation_write. Each read
here is a fixed number of queries, whatever the number of providers or
consumers it spans.
"""
import dataclasses
import datetime

import sqlalchemy as sa

from placement.db import tables
from placement import exception
from placement.objects import consumer as consumer_obj
from placement.objects import resource_provider

_alloc = tables.allocations
_rp = tables.resource_providers
_rc = tables.resource_classes
_consumers = tables.consumers
_projects = tables.projects
_users = tables.users
_types = tables.consumer_types


@dataclasses.dataclass
class ConsumerAllocations:
    """A consumer's allocations, as GET /allocations/{uuid} shows them."""
    # {provider uuid: {'generation': n, 'resources': {class: amount}}}
    allocations: dict
    project_id: str
    user_id: str
    consumer_generation: int
    consumer_type: str
    last_modified: datetime.datetime


@dataclasses.dataclass
class ProviderAllocations:
    """The allocations against one provider."""
    # {consumer uuid: {'resources': {class: amount},
    #                  'consumer_generation': n}}
    allocations: dict
    resource_provider_generation: int
    last_modified: datetime.datetime | None


def _latest(last_modified, row):
    changed = row.updated_at or row.created_at
    if changed is None:
        return last_modified
    if last_modified is None:
        return changed
    return max(last_modified, changed)


def _grouped(rows, key_of, new_entry):
    """({key: entry}, last modified) of allocation rows: each entry made
    by ``new_entry(row)`` for the first row of its key, and given the
    ``resources`` of every row of that key."""
    grouped = {}
    last_modified = None
    for row in rows:
        entry = grouped.setdefault(key_of(row), new_entry(row))
        entry['resources'][row.class_name] = row.used
        last_modified = _latest(last_modified, row)
    return grouped, last_modified


def get_for_consumer(ctx, consumer_uuid):
    """The consumer's ConsumerAllocations; None if it has none."""
    query = (
        sa.select(_rp.c.uuid.label('provider_uuid'),
                  _rp.c.generation.label('provider_generation'),
                  _rc.c.name.label('class_name'), _alloc.c.used,
                  _alloc.c.created_at, _alloc.c.updated_at,
                  _consumers.c.generation.label('consumer_generation'),
                  _projects.c.external_id.label('project_id'),
                  _users.c.external_id.label('user_id'),
                  _types.c.name.label('consumer_type'))
        .select_from(
            _alloc
            .join(_rp, _rp.c.id == _alloc.c.resource_provider_id)
            .join(_rc, _rc.c.id == _alloc.c.resource_class_id)
            .join(_consumers, _consumers.c.uuid == _alloc.c.consumer_id)
            .join(_projects, _projects.c.id == _consumers.c.project_id)
            .join(_users, _users.c.id == _consumers.c.user_id)
            .outerjoin(_types,
                       _types.c.id == _consumers.c.consumer_type_id))
        .where(_alloc.c.consumer_id == consumer_uuid))
    with ctx.db.reader(ctx) as conn:
        rows = conn.execute(query).all()
        if not rows:
            return None
        by_provider, last_modified = _grouped(
            rows, lambda row: row.provider_uuid,
            lambda row: {'generation': row.provider_generation,
                         'resources': {}})
    first = rows[0]
    return ConsumerAllocations(
        allocations=by_provider, project_id=first.project_id,
        user_id=first.user_id,
        consumer_generation=first.consumer_generation,
        consumer_type=consumer_obj.type_name(first.consumer_type),
        last_modified=last_modified)


def get_for_provider(ctx, provider_uuid):
    """The ProviderAllocations of a provider; NotFound if there is no
    such provider."""
    with ctx.db.reader(ctx) as conn:
        try:
            provider = resource_provider.get_row(conn, provider_uuid)
        except exception.ResourceProviderNotFound as exc:
            # OpenStack Placement's words, then what the look-up said.
            raise exception.ResourceProviderNotFound(
                "Resource provider '%s' not found: %s"
                % (provider_uuid, exc.detail))
        rows = conn.execute(
            sa.select(_alloc.c.consumer_id, _rc.c.name.label('class_name'),
                      _alloc.c.used, _alloc.c.created_at,
                      _alloc.c.updated_at,
                      _consumers.c.generation.label('consumer_generation'))
            .select_from(_alloc.join(
                _rc, _rc.c.id == _alloc.c.resource_class_id).outerjoin(
                _consumers, _consumers.c.uuid == _alloc.c.consumer_id))
            .where(_alloc.c.resource_provider_id == provider.id)).all()
        by_consumer, last_modified = _grouped(
            rows, lambda row: row.consumer_id,
            lambda row: {'resources': {},
                         'consumer_generation': row.consumer_generation})
    return ProviderAllocations(
        allocations=by_consumer,
        resource_provider_generation=provider.generation,
        last_modified=last_modified)
