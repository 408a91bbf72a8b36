"""Filters on resource providers, as SQLAlchemy Core selects of provider
ids.

Each builder returns a select of ``resource_provider_id`` (or ``id``)
values that a caller puts in ``WHERE rp.id IN (...)`` or ``NOT IN``, so
that any number of filters make one query however many providers there
are. The provider list uses them through ``apply``; the allocation
candidates search composes the same builders with its own queries.
"""
import dataclasses
import functools

import sqlalchemy as sa

from placement.db import id_lists
from placement.db import tables
from placement import exception
from placement.objects import capacity
from placement.objects import names as names_obj

_rp = tables.resource_providers
_inv = tables.inventories
_alloc = tables.allocations
_agg = tables.placement_aggregates
_rp_agg = tables.resource_provider_aggregates
_rp_trait = tables.resource_provider_traits
_traits = tables.traits
_rc = tables.resource_classes


@dataclasses.dataclass
class Filters:
    """What a provider must be or have to be listed.

    ``member_of`` and ``required_traits`` are lists of sets: the provider
    must match at least one member of every set. ``resources`` maps
    resource class names to amounts the provider must have room for.
    """
    name: str = None
    uuid: str = None
    in_tree: str = None
    member_of: list = dataclasses.field(default_factory=list)
    forbidden_aggregates: set = dataclasses.field(default_factory=set)
    required_traits: list = dataclasses.field(default_factory=list)
    forbidden_traits: set = dataclasses.field(default_factory=set)
    resources: dict = dataclasses.field(default_factory=dict)


def in_any_aggregate(aggregate_uuids):
    """Providers associated with at least one of the aggregates."""
    return (sa.select(_rp_agg.c.resource_provider_id)
            .join(_agg, _agg.c.id == _rp_agg.c.aggregate_id)
            .where(_agg.c.uuid.in_(sorted(aggregate_uuids))))


def having_any_trait(trait_ids):
    """Providers with at least one of the traits."""
    return (sa.select(_rp_trait.c.resource_provider_id)
            .where(_rp_trait.c.trait_id.in_(sorted(trait_ids))))


def usage_of(resource_class_id):
    """Subquery: (resource_provider_id, used) summed over the allocations
    of one resource class.

    Grouped and joined rather than correlated to each inventory row: a
    correlated sum is planned as a scan of the allocations per inventory
    row when the planner's statistics say the table is empty (as they do
    until autovacuum catches up with a new cloud), while this join is
    hashed whatever the statistics say, as long as the query it is in has
    no other filters (see ids_with_room)."""
    return (sa.select(_alloc.c.resource_provider_id,
                      sa.func.sum(_alloc.c.used).label('used'))
            .where(_alloc.c.resource_class_id == resource_class_id)
            .group_by(_alloc.c.resource_provider_id)
            .subquery())


# A select is immutable and holds no data, only the shape of a query: the
# same one serves every request that asks for the same amount of a class,
# and building it anew cost more than running it.
@functools.lru_cache(maxsize=1024)
def with_capacity(resource_class_id, amount):
    """Providers with inventory of the class that can take ``amount``
    more: within capacity ((total - reserved) * allocation_ratio - used),
    min_unit, max_unit and step_size."""
    usage = usage_of(resource_class_id)
    return (sa.select(_inv.c.resource_provider_id)
            .select_from(_inv.outerjoin(
                usage,
                usage.c.resource_provider_id == _inv.c.resource_provider_id))
            .where(_inv.c.resource_class_id == resource_class_id)
            .where(capacity.fits_clause(_inv, usage.c.used, amount)))


def in_tree_of(provider_uuid):
    """Providers in the same tree as the provider ``provider_uuid`` (none
    if there is no such provider)."""
    root_id = (sa.select(_rp.c.root_provider_id)
               .where(_rp.c.uuid == provider_uuid)
               .scalar_subquery())
    return sa.select(_rp.c.id).where(_rp.c.root_provider_id == root_id)


def aggregate_clauses(id_column, member_of, forbidden):
    """WHERE clauses on ``id_column``: in some aggregate of every set of
    ``member_of``, and in none of ``forbidden``."""
    clauses = [id_column.in_(in_any_aggregate(any_of))
               for any_of in member_of]
    if forbidden:
        clauses.append(id_column.not_in(in_any_aggregate(forbidden)))
    return clauses


def trait_clauses(id_column, required_ids, forbidden_ids):
    """WHERE clauses on ``id_column``: some trait of every set of
    ``required_ids``, none of ``forbidden_ids``."""
    clauses = [id_column.in_(having_any_trait(any_of))
               for any_of in required_ids]
    if forbidden_ids:
        clauses.append(id_column.not_in(having_any_trait(forbidden_ids)))
    return clauses


def ids_with_room(conn, amounts_by_class_id):
    """Ids of the providers with room for each amount, one query per
    class, intersected here.

    The capacity test is an expression no planner can estimate: in one
    query with the other filters, PostgreSQL with fresh statistics
    guesses that one provider passes it and plans nested loops that scan
    whole tables once per provider (a hundred times slower at a thousand
    providers). Alone, each is a scan of one class's inventories; the
    other filters then join a list of ids, which plans well."""
    ids = None
    for class_id, amount in sorted(amounts_by_class_id.items()):
        found = {row[0] for row in conn.execute(
            with_capacity(class_id, amount))}
        ids = found if ids is None else ids & found
        if not ids:
            break
    return ids


def resource_clauses(conn, id_column, amounts_by_class_id):
    """WHERE clauses on ``id_column``: room for each amount."""
    if not amounts_by_class_id:
        return []
    return [id_lists.column_in(
        id_column, ids_with_room(conn, amounts_by_class_id))]


class UnknownTraits(exception.TraitNotFound):
    """Traits a filter names that do not exist, all of them in ``names``:
    the caller, which knows the order they were asked for in, may name
    the first."""

    def __init__(self, names):
        self.names = frozenset(names)
        super().__init__('No such trait(s): %s.'
                         % ', '.join(sorted(self.names)))


def trait_ids(ctx, conn, required, forbidden):
    """(required as a list of sets of ids, forbidden as a set of ids) for
    trait names; UnknownTraits if any is unknown."""
    names = set(forbidden).union(*required)
    ids = names_obj.ids_of(conn, _traits, names)
    if len(ids) != len(names):
        raise UnknownTraits(names - set(ids))
    return ([{ids[name] for name in any_of} for any_of in required],
            {ids[name] for name in forbidden})


def resource_class_ids(ctx, conn, amounts):
    """{class id: amount} for {class name: amount};
    ResourceClassNotFound naming the first unknown class in the order of
    ``amounts``, as OpenStack Placement does."""
    ids = names_obj.ids_of(conn, _rc, amounts)
    for name in amounts:
        if name not in ids:
            raise exception.ResourceClassNotFound(
                'No such resource class %s.' % name)
    return {ids[name]: amount for name, amount in amounts.items()}


def apply(ctx, conn, query, rp, filters):
    """``query`` restricted to the providers (``rp`` being the providers
    table or an alias of it in the query) that pass ``filters``."""
    if filters.name is not None:
        query = query.where(rp.c.name == filters.name)
    if filters.uuid is not None:
        query = query.where(rp.c.uuid == filters.uuid)
    if filters.in_tree is not None:
        query = query.where(rp.c.id.in_(in_tree_of(filters.in_tree)))
    clauses = aggregate_clauses(rp.c.id, filters.member_of,
                                filters.forbidden_aggregates)
    if filters.required_traits or filters.forbidden_traits:
        required, forbidden = trait_ids(ctx, conn, filters.required_traits,
                                        filters.forbidden_traits)
        clauses += trait_clauses(rp.c.id, required, forbidden)
    if filters.resources:
        clauses += resource_clauses(
            conn, rp.c.id, resource_class_ids(ctx, conn, filters.resources))
    return query.where(*clauses) if clauses else query
