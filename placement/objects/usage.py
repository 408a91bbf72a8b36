"""Usages: what allocations use, summed per resource class.

Of one provider (every class it has inventory of, zero where nothing is
allocated), or of a project, optionally narrowed to one user, and from
microversion 1.38 grouped by the consumers' types. Each answer takes a
fixed number of queries, whatever the number of providers or consumers.
"""
import sqlalchemy as sa

from placement.db import tables
from placement import exception
from placement.objects import resource_provider

# The group of consumers without a type, and the name a caller uses for
# every consumer at once.
UNKNOWN_TYPE = 'unknown'
ALL_TYPES = 'all'
CONSUMER_COUNT = 'consumer_count'

_alloc = tables.allocations
_inv = tables.inventories
_rc = tables.resource_classes
_rp = tables.resource_providers
_consumers = tables.consumers
_projects = tables.projects
_users = tables.users
_types = tables.consumer_types


def provider_usages(ctx, uuid):
    """(generation, {class name: used}) of the provider, with an entry for
    each class of its inventory."""
    with ctx.db.reader(ctx) as conn:
        try:
            provider = resource_provider.get_row(conn, uuid)
        except exception.ResourceProviderNotFound as exc:
            # OpenStack Placement's words: the uuid, then what the lookup
            # said.
            raise exception.ResourceProviderNotFound(
                'No resource provider with uuid %s found: %s'
                % (uuid, exc.detail))
        joined = _inv.join(
            _rc, _rc.c.id == _inv.c.resource_class_id).outerjoin(
            _alloc, sa.and_(
                _alloc.c.resource_provider_id
                == _inv.c.resource_provider_id,
                _alloc.c.resource_class_id == _inv.c.resource_class_id))
        rows = conn.execute(
            sa.select(_rc.c.name,
                      sa.func.coalesce(sa.func.sum(_alloc.c.used), 0))
            .select_from(joined)
            .where(_inv.c.resource_provider_id == provider.id)
            .group_by(_rc.c.name))
        return provider.generation, {name: int(total)
                                     for name, total in rows}


def _project_allocations(project_id, user_id):
    """The join of allocations to their consumers' project (and user),
    and the condition that picks the project's (and user's)."""
    joined = _alloc.join(
        _rc, _rc.c.id == _alloc.c.resource_class_id).join(
        _consumers, _consumers.c.uuid == _alloc.c.consumer_id).join(
        _projects, _projects.c.id == _consumers.c.project_id)
    condition = _projects.c.external_id == project_id
    if user_id is not None:
        joined = joined.join(_users, _users.c.id == _consumers.c.user_id)
        condition = sa.and_(condition, _users.c.external_id == user_id)
    return joined, condition


def total_usages(ctx, project_id, user_id=None):
    """{class name: used} by the project's consumers (the user's, if
    given), whatever their types."""
    joined, condition = _project_allocations(project_id, user_id)
    query = (sa.select(_rc.c.name, sa.func.sum(_alloc.c.used))
             .select_from(joined).where(condition)
             .group_by(_rc.c.name))
    with ctx.db.reader(ctx) as conn:
        return {name: int(total) for name, total in conn.execute(query)}


def _type_selection(joined, condition, consumer_type):
    """(joined, condition, group column) for a consumer_type filter:
    None groups by type name, ALL_TYPES puts everyone in one group,
    UNKNOWN_TYPE picks the consumers without a type, and any other name
    the consumers of that type."""
    if consumer_type == ALL_TYPES:
        return joined, condition, None
    if consumer_type == UNKNOWN_TYPE:
        return (joined,
                sa.and_(condition, _consumers.c.consumer_type_id.is_(None)),
                None)
    joined = joined.outerjoin(
        _types, _types.c.id == _consumers.c.consumer_type_id)
    if consumer_type is not None:
        condition = sa.and_(condition, _types.c.name == consumer_type)
    return joined, condition, _types.c.name


def _grouped(conn, joined, condition, group):
    """({group: {class name: used}}, {group: distinct consumers}); ``group``
    is a column, or None for a single group keyed None."""
    by = [] if group is None else [group]
    keyed = [] if group is None else [group.label('group_key')]

    def key_of(row):
        return row.group_key if keyed else None

    sums = conn.execute(
        sa.select(*keyed, _rc.c.name.label('class_name'),
                  sa.func.sum(_alloc.c.used).label('used'))
        .select_from(joined).where(condition)
        .group_by(*by, _rc.c.name))
    used = {}
    for row in sums:
        used.setdefault(key_of(row), {})[row.class_name] = int(row.used)
    counts = conn.execute(
        sa.select(*keyed, sa.func.count(sa.distinct(_alloc.c.consumer_id))
                  .label('consumers'))
        .select_from(joined).where(condition).group_by(*by))
    return used, {key_of(row): int(row.consumers) for row in counts}


def usages_by_consumer_type(ctx, project_id, user_id=None,
                            consumer_type=None):
    """{type name: {class name: used, ..., 'consumer_count': n}} for the
    project's (or user's) consumers, as consumer_type selects (see
    _type_selection). Consumers without a type are the UNKNOWN_TYPE
    group; with ALL_TYPES or UNKNOWN_TYPE the one group bears that name.
    """
    joined, condition = _project_allocations(project_id, user_id)
    joined, condition, group = _type_selection(joined, condition,
                                               consumer_type)
    with ctx.db.reader(ctx) as conn:
        used, consumer_counts = _grouped(conn, joined, condition, group)
        result = {}
        for key, usages in used.items():
            usages[CONSUMER_COUNT] = consumer_counts.get(key, 0)
            result[_group_name(key, consumer_type)] = usages
        return result


def _group_name(key, consumer_type):
    if key is not None:
        return key
    if consumer_type == ALL_TYPES:
        return ALL_TYPES
    return UNKNOWN_TYPE
