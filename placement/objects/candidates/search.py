"""The SQL of the candidate search: each reader answers for any number of
providers in one query, so a request makes a fixed number of queries
whatever the size of the cloud."""
import collections

import sqlalchemy as sa

from placement.db import functions
from placement.db import id_lists
from placement.db import tables
from placement.objects import capacity
from placement.objects import provider_filters

_rp = tables.resource_providers
_inv = tables.inventories
_alloc = tables.allocations
_agg = tables.placement_aggregates
_rp_agg = tables.resource_provider_aggregates
_rp_trait = tables.resource_provider_traits
_traits = tables.traits
_rc = tables.resource_classes

SHARING_TRAIT = 'MISC_SHARES_VIA_AGGREGATE'

# One provider of a loaded tree.
Provider = collections.namedtuple(
    'Provider', 'id uuid parent_id root_id')


def has_trees(conn):
    """Whether any provider has a parent."""
    query = (sa.select(_rp.c.id)
             .where(_rp.c.parent_provider_id.is_not(None)).limit(1))
    return conn.execute(query).first() is not None


def sharing_provider_ids(conn):
    """Ids of the providers with the sharing trait."""
    query = (sa.select(_rp_trait.c.resource_provider_id)
             .join(_traits, _traits.c.id == _rp_trait.c.trait_id)
             .where(_traits.c.name == SHARING_TRAIT))
    return {row[0] for row in conn.execute(query)}


def tree_roots(conn, uuids):
    """{provider uuid: its root's id} for the uuids that exist."""
    if not uuids:
        return {}
    query = (sa.select(_rp.c.uuid, _rp.c.root_provider_id)
             .where(_rp.c.uuid.in_(sorted(uuids))))
    return {row.uuid: row.root_provider_id for row in conn.execute(query)}


def any_in_aggregates(conn, member_of):
    """Whether some provider is in an aggregate of each set of
    ``member_of``."""
    query = sa.select(_rp.c.id).where(*provider_filters.aggregate_clauses(
        _rp.c.id, member_of, set())).limit(1)
    return conn.execute(query).first() is not None


def roots_with_traits(conn, required_ids, forbidden_ids):
    """Ids of the roots with every trait of ``required_ids`` and none of
    ``forbidden_ids``."""
    query = sa.select(_rp.c.id).where(_rp.c.parent_provider_id.is_(None))
    query = query.where(*provider_filters.trait_clauses(
        _rp.c.id, [{trait} for trait in required_ids], forbidden_ids))
    return {row[0] for row in conn.execute(query)}


def _room_for(class_id, amount, root_id):
    """(provider id, root id, class id) of the providers with room for
    ``amount`` of the class (in the tree of ``root_id`` if given)."""
    usage = provider_filters.usage_of(class_id)
    joined = _rp.join(
        _inv, sa.and_(_inv.c.resource_provider_id == _rp.c.id,
                      _inv.c.resource_class_id == class_id)).outerjoin(
        usage, usage.c.resource_provider_id == _rp.c.id)
    query = (sa.select(_rp.c.id, _rp.c.root_provider_id,
                       sa.literal(class_id).label('class_id'))
             .select_from(joined)
             .where(capacity.fits_clause(_inv, usage.c.used, amount)))
    if root_id is not None:
        query = query.where(_rp.c.root_provider_id == root_id)
    return query


def providers_with_room(conn, amounts, root_id=None):
    """{class id: {(provider id, root id)}} of the providers with room for
    each amount of ``amounts`` ({class id: amount}), in one query."""
    found = {class_id: set() for class_id in amounts}
    if not amounts:
        return found
    selects = [_room_for(class_id, amount, root_id)
               for class_id, amount in sorted(amounts.items())]
    query = selects[0] if len(selects) == 1 else sa.union_all(*selects)
    for provider_id, root, class_id in conn.execute(query):
        found[class_id].add((provider_id, root))
    return found


def providers_satisfying(conn, amounts, required_ids, forbidden_ids,
                         member_of, forbidden_aggregates, root_id=None):
    """{provider id: Provider} of the providers that alone have room for
    every amount and pass the trait and aggregate filters, in one
    query."""
    query = sa.select(_rp.c.id, _rp.c.uuid, _rp.c.parent_provider_id,
                      _rp.c.root_provider_id)
    clauses = provider_filters.trait_clauses(_rp.c.id, required_ids,
                                             forbidden_ids)
    clauses += provider_filters.aggregate_clauses(
        _rp.c.id, member_of, forbidden_aggregates)
    clauses += provider_filters.resource_clauses(conn, _rp.c.id, amounts)
    if root_id is not None:
        clauses.append(_rp.c.root_provider_id == root_id)
    return {row[0]: Provider(*row) for row in conn.execute(
        query.where(*clauses))}


def sharing_anchors(conn, sharing_ids):
    """{sharing provider id: ids of the roots of every tree one of whose
    providers shares an aggregate with it}."""
    anchors = collections.defaultdict(set)
    if not sharing_ids:
        return anchors
    mine = _rp_agg.alias('mine')
    theirs = _rp_agg.alias('theirs')
    query = (sa.select(mine.c.resource_provider_id, _rp.c.root_provider_id)
             .select_from(mine.join(
                 theirs, theirs.c.aggregate_id == mine.c.aggregate_id)
                 .join(_rp, _rp.c.id == theirs.c.resource_provider_id))
             .where(id_lists.column_in(mine.c.resource_provider_id,
                                       sharing_ids)))
    for sharing_id, root_id in conn.execute(query):
        anchors[sharing_id].add(root_id)
    return anchors


def providers_of_trees(conn, root_ids):
    """{provider id: Provider} of every provider in the trees."""
    if not root_ids:
        return {}
    query = (sa.select(_rp.c.id, _rp.c.uuid, _rp.c.parent_provider_id,
                       _rp.c.root_provider_id)
             .where(id_lists.column_in(_rp.c.root_provider_id, root_ids)))
    return {row.id: Provider(*row) for row in conn.execute(query)}


def traits_of(conn, provider_ids):
    """{provider id: {trait name: trait id}}."""
    traits = collections.defaultdict(dict)
    if not provider_ids:
        return traits
    query = (sa.select(_rp_trait.c.resource_provider_id, _traits.c.name,
                       _traits.c.id)
             .join(_traits, _traits.c.id == _rp_trait.c.trait_id)
             .where(id_lists.column_in(_rp_trait.c.resource_provider_id,
                                       provider_ids)))
    for provider_id, name, trait_id in conn.execute(query):
        traits[provider_id][name] = trait_id
    return traits


def aggregates_of(conn, provider_ids):
    """{provider id: {aggregate uuid}}."""
    aggregates = collections.defaultdict(set)
    if not provider_ids:
        return aggregates
    query = (sa.select(_rp_agg.c.resource_provider_id, _agg.c.uuid)
             .join(_agg, _agg.c.id == _rp_agg.c.aggregate_id)
             .where(id_lists.column_in(_rp_agg.c.resource_provider_id,
                                       provider_ids)))
    for provider_id, uuid in conn.execute(query):
        aggregates[provider_id].add(uuid)
    return aggregates


# What a provider summary says of one inventory.
Inventory = collections.namedtuple(
    'Inventory', 'class_name capacity used max_unit')


def _inventories_with_usage(provider_ids):
    """The providers' inventories joined with what is used of each: the
    allocations of these providers only, summed and hashed in, which
    plans well whatever the statistics say."""
    usage = (sa.select(_alloc.c.resource_provider_id,
                       _alloc.c.resource_class_id,
                       sa.func.sum(_alloc.c.used).label('used'))
             .where(id_lists.column_in(_alloc.c.resource_provider_id,
                                       provider_ids))
             .group_by(_alloc.c.resource_provider_id,
                       _alloc.c.resource_class_id).subquery())
    joined = (_inv.join(_rc, _rc.c.id == _inv.c.resource_class_id)
              .outerjoin(usage, sa.and_(
                  usage.c.resource_provider_id
                  == _inv.c.resource_provider_id,
                  usage.c.resource_class_id == _inv.c.resource_class_id)))
    where = id_lists.column_in(_inv.c.resource_provider_id, provider_ids)
    return joined, where, usage.c.used


def inventories_of(conn, provider_ids):
    """{provider id: [Inventory]} of the providers, with what is used of
    each."""
    inventories = {}
    if not provider_ids:
        return inventories
    joined, where, used = _inventories_with_usage(provider_ids)
    query = (sa.select(_inv.c.resource_provider_id, _rc.c.name, used,
                       _inv.c.total, _inv.c.reserved, _inv.c.max_unit,
                       capacity.scaled_ratio_column(_inv))
             .select_from(joined).where(where))
    capacity_from = capacity.capacity_from
    for (provider_id, name, used_units, total, reserved, max_unit,
         scaled) in conn.execute(query):
        inventory = Inventory(name, capacity_from(total, reserved, scaled),
                              int(used_units or 0), max_unit)
        listed = inventories.get(provider_id)
        if listed is None:
            inventories[provider_id] = [inventory]
        else:
            listed.append(inventory)
    return inventories


def resources_json_of(conn, provider_ids, class_names=None):
    """{provider id: the JSON text of its summary's resources, {class
    name: {"capacity": c, "used": u}}}, built by the database: of the
    classes ``class_names`` only, unless None. A provider without such
    inventory is left out."""
    if not provider_ids:
        return {}
    joined, where, used = _inventories_with_usage(provider_ids)
    resources = functions.json_object_agg(_rc.c.name, functions.json_object(
        sa.literal('capacity'), capacity.capacity_column(_inv),
        sa.literal('used'), sa.func.coalesce(used, 0)))
    query = (sa.select(_inv.c.resource_provider_id, resources)
             .select_from(joined).where(where)
             .group_by(_inv.c.resource_provider_id))
    if class_names is not None:
        query = query.where(_rc.c.name.in_(sorted(class_names)))
    return dict(conn.execute(query).all())
