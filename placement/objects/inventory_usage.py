"""Inventories and what allocations use of them, for many providers at
once.

Each reader takes the caller's connection (it opens no transaction of its
own) and answers in one query, whatever the number of providers. They
hand out the raw columns; capacity is computed from them in one place
only, placement.objects.capacity.
"""
import functools

import sqlalchemy as sa

from placement.db import id_lists
from placement.db import tables
from placement.objects import capacity

_inv = tables.inventories
_alloc = tables.allocations

INVENTORY_FIELDS = ('total', 'reserved', 'min_unit', 'max_unit',
                    'step_size', 'allocation_ratio', capacity.SCALED_RATIO)


def _narrowed(query, table, provider_ids, class_ids):
    query = query.where(id_lists.column_in(
        table.c.resource_provider_id, provider_ids))
    if class_ids is not None:
        query = query.where(id_lists.column_in(
            table.c.resource_class_id, class_ids))
    return query


def _usage(provider_ids, class_ids):
    """The allocations of the providers (and classes), summed per provider
    and class."""
    query = sa.select(_alloc.c.resource_provider_id,
                      _alloc.c.resource_class_id,
                      sa.func.sum(_alloc.c.used).label('used'))
    return _narrowed(query, _alloc, provider_ids, class_ids).group_by(
        _alloc.c.resource_provider_id, _alloc.c.resource_class_id)


def _nothing_asked(provider_ids, class_ids):
    return not provider_ids or (class_ids is not None and not class_ids)


def _in_lists(table, by_class):
    """Rows of the providers given as the parameter ``providers`` (and
    the classes given as ``classes``)."""
    where = [table.c.resource_provider_id.in_(id_lists.param('providers'))]
    if by_class:
        where.append(
            table.c.resource_class_id.in_(id_lists.param('classes')))
    return where


# Built once: building it took a fifth of a claim's time. Each list
# parameter appears twice in it, which SQLAlchemy renders right only from
# 2.0.23 (before, the second list took the first's place): hence that
# lower bound in setup.cfg.
@functools.cache
def _inventories_with_usage_query(by_class):
    usage = (sa.select(_alloc.c.resource_provider_id,
                       _alloc.c.resource_class_id,
                       sa.func.sum(_alloc.c.used).label('used'))
             .where(*_in_lists(_alloc, by_class))
             .group_by(_alloc.c.resource_provider_id,
                       _alloc.c.resource_class_id)
             .subquery())
    joined = _inv.outerjoin(usage, sa.and_(
        usage.c.resource_provider_id == _inv.c.resource_provider_id,
        usage.c.resource_class_id == _inv.c.resource_class_id))
    return (sa.select(_inv.c.resource_provider_id,
                      _inv.c.resource_class_id,
                      *capacity.inventory_columns(_inv), usage.c.used)
            .select_from(joined).where(*_in_lists(_inv, by_class)))


def inventories_with_usage(conn, provider_ids, class_ids=None):
    """{(provider id, class id): inventory} of the providers' inventories
    (of ``class_ids`` only, unless None).

    An inventory is a dict of INVENTORY_FIELDS, allocation_ratio as the
    database gives it, scaled_ratio for placement.objects.capacity, and
    ``used``: the units allocated, 0 if none.
    """
    provider_ids = set(provider_ids)
    class_ids = None if class_ids is None else set(class_ids)
    if _nothing_asked(provider_ids, class_ids):
        return {}
    by_class = class_ids is not None
    parameters = {'providers': id_lists.checked(provider_ids)}
    if by_class:
        parameters['classes'] = id_lists.checked(class_ids)
    rows = conn.execute(_inventories_with_usage_query(by_class), parameters)
    return {(row.resource_provider_id, row.resource_class_id):
            _inventory(row) for row in rows}


def _inventory(row):
    mapping = row._mapping
    inventory = {field: mapping[field] for field in INVENTORY_FIELDS}
    # SUM is a Decimal on MySQL, and NULL where nothing is allocated.
    inventory['used'] = int(row.used or 0)
    return inventory


def usages_by_provider(conn, provider_ids, class_ids=None):
    """{provider id: {class id: units allocated}} (of ``class_ids`` only,
    unless None). Only classes with allocations appear, and only
    providers with some."""
    provider_ids = set(provider_ids)
    class_ids = None if class_ids is None else set(class_ids)
    if _nothing_asked(provider_ids, class_ids):
        return {}
    usages = {}
    for row in conn.execute(_usage(provider_ids, class_ids)):
        usages.setdefault(row.resource_provider_id, {})[
            row.resource_class_id] = int(row.used)
    return usages
