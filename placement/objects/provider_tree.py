"""Provider trees, read for many providers at once.

The candidate search works on whole trees: it finds providers that match,
then needs their roots, the trees around them, and the uuids of every
provider it will summarise. The readers here take the caller's connection
(they open no transaction of their own) and answer for any number of
providers in one query each.

The trees come back as edges, {provider id: parent id}, None being a
root's parent. ``tree_edges`` and ``trees_containing`` give them per
root; the pure helpers below take one flat mapping of one or several trees
(``merged`` builds it: provider ids are unique across trees).
"""
import collections

import sqlalchemy as sa

from placement.db import id_lists
from placement.db import tables

_rp = tables.resource_providers

# What a provider summary says of the provider's place in its tree, with
# the ids that the rest of the search works with.
TreeFields = collections.namedtuple('TreeFields', (
    'uuid', 'parent_provider_uuid', 'root_provider_uuid',
    'parent_provider_id', 'root_provider_id'))


# Readers: one query each, whatever the number of ids.

def _edges_by_root(rows):
    trees = {}
    for row in rows:
        trees.setdefault(row.root_provider_id, {})[row.id] = (
            row.parent_provider_id)
    return trees


def _edges_where(condition):
    return sa.select(_rp.c.id, _rp.c.parent_provider_id,
                     _rp.c.root_provider_id).where(condition)


def tree_edges(conn, root_ids):
    """{root id: {provider id: parent id}} of the trees of ``root_ids``.

    An id that is no root's (unknown, or a child's) gets no entry.
    """
    root_ids = set(root_ids)
    if not root_ids:
        return {}
    return _edges_by_root(conn.execute(_edges_where(
        id_lists.column_in(_rp.c.root_provider_id, root_ids))))


def trees_containing(conn, provider_ids):
    """``tree_edges`` of every tree that holds one of ``provider_ids``;
    the roots are found inside the same query."""
    provider_ids = set(provider_ids)
    if not provider_ids:
        return {}
    roots = sa.select(_rp.c.root_provider_id).where(
        id_lists.column_in(_rp.c.id, provider_ids))
    return _edges_by_root(conn.execute(_edges_where(
        _rp.c.root_provider_id.in_(roots.scalar_subquery()))))


def roots_of(conn, provider_ids):
    """{provider id: its root's id}; unknown ids get no entry."""
    provider_ids = set(provider_ids)
    if not provider_ids:
        return {}
    rows = conn.execute(
        sa.select(_rp.c.id, _rp.c.root_provider_id)
        .where(id_lists.column_in(_rp.c.id, provider_ids)))
    return {row.id: row.root_provider_id for row in rows}


def tree_fields(conn, provider_ids):
    """{provider id: TreeFields}; unknown ids get no entry."""
    provider_ids = set(provider_ids)
    if not provider_ids:
        return {}
    parent = _rp.alias('parent_rp')
    root = _rp.alias('root_rp')
    # Outer joins both: a provider is never dropped, even from a table
    # whose root_provider_id an old release left empty.
    joined = _rp.outerjoin(
        parent, parent.c.id == _rp.c.parent_provider_id).outerjoin(
        root, root.c.id == _rp.c.root_provider_id)
    rows = conn.execute(
        sa.select(_rp.c.id, _rp.c.uuid,
                  parent.c.uuid.label('parent_provider_uuid'),
                  root.c.uuid.label('root_provider_uuid'),
                  _rp.c.parent_provider_id, _rp.c.root_provider_id)
        .select_from(joined)
        .where(id_lists.column_in(_rp.c.id, provider_ids)))
    return {row.id: TreeFields(*row[1:]) for row in rows}


# Pure helpers over edges, {provider id: parent id}.

def merged(trees):
    """One {provider id: parent id} of the trees of ``tree_edges``."""
    return {provider_id: parent_id
            for edges in trees.values()
            for provider_id, parent_id in edges.items()}


def ancestors(edges, provider_id):
    """The provider's ancestors, its parent first and its root last; []
    for a root. KeyError for a provider that ``edges`` does not hold."""
    chain = []
    parent_id = edges[provider_id]
    while parent_id is not None:
        chain.append(parent_id)
        if len(chain) > len(edges):
            # Only a corrupt table has a loop; fail rather than spin.
            raise ValueError('provider %s is in a parent loop'
                             % provider_id)
        parent_id = edges[parent_id]
    return chain


def root_of(edges, provider_id):
    """The id of the root of the provider's tree (itself for a root)."""
    chain = ancestors(edges, provider_id)
    return chain[-1] if chain else provider_id


def subtree_ids(edges, provider_id):
    """The provider's id and those of all its descendants."""
    children = {}
    for child_id, parent_id in edges.items():
        children.setdefault(parent_id, []).append(child_id)
    subtree, pending = set(), [provider_id]
    while pending:
        current = pending.pop()
        subtree.add(current)
        pending.extend(children.get(current, ()))
    return subtree


def shared_subtree_root(edges, provider_ids, lines=None):
    """The one of ``provider_ids`` whose subtree holds all of them (each
    is it or one of its descendants), or None if there is none.

    Only the shallowest of them can be above all the others, so it is the
    one candidate: it must be on every other's line up to the root.
    ``lines``, a dict kept by the caller across calls on the same edges,
    holds each provider's line once worked out.
    """
    if lines is None:
        lines = {}
    found = []
    for provider_id in set(provider_ids):
        line = lines.get(provider_id)
        if line is None:
            line = lines[provider_id] = (
                provider_id, *ancestors(edges, provider_id))
        found.append(line)
    if not found:
        return None
    candidate = min(found, key=len)[0]
    if all(candidate in line for line in found):
        return candidate
    return None
    shortest = min(found, key=len)
    # The shallowest provider is the one whose line is shortest; of its
    # line, it is the one member below all the others.
    candidate = next(provider_id for provider_id in set(provider_ids)
                     if lines[provider_id] is shortest)
    if all(candidate in line for line in found):
        return candidate
    return None
    candidate = min(lines, key=len)[0]
    if all(candidate in line for line in lines):
        return candidate
    return None
