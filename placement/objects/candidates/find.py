"""The candidate search from request groups to candidates: a fixed
number of queries (a few per group, a few for the request), then Python
over the rows."""
import dataclasses
import itertools
import random

from placement.db import api as db_api
from placement.db import tables
from placement import exception
from placement.objects.candidates import combine
from placement.objects.candidates import groups as groups_mod
from placement.objects.candidates import search
from placement.objects import names as names_obj
from placement.objects import provider_filters


@dataclasses.dataclass
class Wide:
    """The request-wide parameters."""
    limit: int = None
    group_policy: str = None
    root_required: set = dataclasses.field(default_factory=set)
    root_forbidden: set = dataclasses.field(default_factory=set)
    same_subtrees: list = dataclasses.field(default_factory=list)
    nested_aware: bool = True
    # The classes the summaries show: None for all (1.27 and later).
    summarised_classes: set = None


@dataclasses.dataclass
class Found:
    """What the search found: the candidates and what their summaries
    need."""
    candidates: list = dataclasses.field(default_factory=list)
    summary_ids: set = dataclasses.field(default_factory=set)
    providers: dict = dataclasses.field(default_factory=dict)
    traits: dict = dataclasses.field(default_factory=dict)
    inventories: dict = dataclasses.field(default_factory=dict)
    # Instead of inventories where only the summaries need them: {provider
    # id: JSON text of its summary's resources}.
    resources_json: dict = None


@dataclasses.dataclass
class _Known:
    anchor_filter: set = None
    aggregates: dict = dataclasses.field(default_factory=dict)

    def anchor_allowed(self, root_id):
        return self.anchor_filter is None or root_id in self.anchor_filter


def _trait_ids(conn, names):
    """{name: id}; TraitNotFound naming the unknown ones."""
    ids = names_obj.ids_of(conn, tables.traits, names)
    unknown = set(names) - set(ids)
    if unknown:
        raise exception.TraitNotFound(
            'No such trait(s): %s.' % ', '.join(sorted(unknown)))
    return ids


def _check_traits(conn, group):
    """TraitNotFound for a trait of the group the database lacks."""
    _trait_ids(conn, set(group.forbidden_traits).union(
        *group.required_traits))


def _searchable_class_ids(conn, group):
    """{class id: amount} of the group's resources, or None when its
    member_of matches no provider, which ends the search before its
    traits are checked; unknown classes and traits raise, in that order,
    as in OpenStack Placement."""
    class_ids = provider_filters.resource_class_ids(None, conn,
                                                    group.resources)
    if group.member_of and not search.any_in_aggregates(
            conn, group.member_of):
        return None
    _check_traits(conn, group)
    return class_ids


def _providers_satisfying(conn, group, class_ids, root_id):
    """search.providers_satisfying for the group."""
    required, forbidden = provider_filters.trait_ids(
        None, conn, group.required_traits, group.forbidden_traits)
    # A group without resources is not confined by in_tree, as in
    # OpenStack Placement.
    return search.providers_satisfying(
        conn, class_ids, required, forbidden, group.member_of,
        group.forbidden_aggregates, root_id if group.resources else None)


def _group_rows(conn, group, class_ids, single, in_tree_roots):
    """The rows a group's requests are built from: (provider id, root
    id) of providers satisfying it alone (``single``), or {class name:
    rows with room}. None if the group's in_tree names no provider."""
    root_id = None
    if group.in_tree is not None:
        root_id = in_tree_roots.get(group.in_tree)
        if root_id is None:
            return None
    if not (group.resources or group.required_traits or group.member_of):
        # A group that asks for nothing a provider has (at most for what
        # it must lack) finds none, as in OpenStack Placement.
        return set()
    if single:
        return {(provider.id, provider.root_id) for provider in
                _providers_satisfying(conn, group, class_ids,
                                      root_id).values()}
    room = search.providers_with_room(conn, class_ids, root_id)
    # {class id: amount} comes in the order of the group's classes.
    names = dict(zip(class_ids, group.resources))
    return {names[class_id]: rows for class_id, rows in room.items()}


def _root_ids(rows_by_group, sharing):
    roots = set()
    for rows in rows_by_group.values():
        for row_set in (rows.values() if isinstance(rows, dict)
                        else [rows]):
            roots |= {root for _, root in row_set}
    for anchors in sharing.values():
        roots |= anchors
    return roots


def _provider_ids_in(rows_by_group):
    ids = set()
    for rows in rows_by_group.values():
        if isinstance(rows, dict):
            for row_set in rows.values():
                ids |= {provider_id for provider_id, _ in row_set}
        else:
            ids |= {provider_id for provider_id, _ in rows}
    return ids


def _requests(group, rows, sharing, known, traits):
    if isinstance(rows, dict):
        by_class = groups_mod.anchored_rows(group, rows, sharing, known)
        if by_class is None:
            return []
        return list(groups_mod.multi_provider_requests(group, by_class,
                                                       traits))
    return list(groups_mod.single_provider_requests(
        group, rows, sharing, known.anchor_allowed))


@db_api.reader
def find(ctx, conn, request_groups, wide):
    """Found for the RequestGroups (in the order they are searched) and
    the Wide parameters.

    As in OpenStack Placement, the groups are searched one after the
    other, and the first that finds nothing ends the search with no
    candidates, before the names of the groups after it are checked; a
    group whose member_of no provider matches finds nothing before its
    traits are checked."""
    known = _Known()
    if wide.root_required or wide.root_forbidden:
        ids = _trait_ids(conn, wide.root_required | wide.root_forbidden)
        known.anchor_filter = search.roots_with_traits(
            conn, {ids[name] for name in wide.root_required},
            {ids[name] for name in wide.root_forbidden})
        if not known.anchor_filter:
            return Found()
    nested = search.has_trees(conn)
    sharing_ids = search.sharing_provider_ids(conn)
    in_tree_roots = search.tree_roots(
        conn, {group.in_tree for group in request_groups if group.in_tree})
    if _all_lone(request_groups, nested, sharing_ids):
        return _lone_providers(ctx, conn, request_groups[0], wide, known,
                               in_tree_roots)
    rows_by_group = {}
    for group in request_groups:
        class_ids = _searchable_class_ids(conn, group)
        if class_ids is None:
            return Found()
        single = bool(group.suffix) or not (nested or sharing_ids)
        rows = _group_rows(conn, group, class_ids, single, in_tree_roots)
        if not rows or (isinstance(rows, dict)
                        and not all(rows.values())):
            return Found()
        rows_by_group[group.suffix] = rows
    sharing = search.sharing_anchors(
        conn, sharing_ids & _provider_ids_in(rows_by_group))
    roots = _root_ids(rows_by_group, sharing)
    found = Found(providers=search.providers_of_trees(conn, roots))
    found.traits = search.traits_of(conn, found.providers)
    # Only a group met by several providers together filters by
    # aggregates in Python; the others were filtered in SQL.
    if any(isinstance(rows_by_group[group.suffix], dict)
           and (group.member_of or group.forbidden_aggregates)
           for group in request_groups):
        known.aggregates = search.aggregates_of(conn, found.providers)
    requests = {}
    for group in request_groups:
        requests[group.suffix] = _requests(
            group, rows_by_group[group.suffix], sharing, known, found.traits)
        if not requests[group.suffix]:
            return Found()
    found.inventories = search.inventories_of(conn, found.providers)
    _combine(ctx, found, requests, wide, nested)
    return found


def _all_lone(request_groups, nested, sharing_ids):
    """Whether the request is one group with resources, in a cloud where
    no provider has a parent or shares: then each candidate is one
    provider that the SQL finds satisfying the group by itself."""
    return (len(request_groups) == 1 and bool(request_groups[0].resources)
            and not (nested or sharing_ids))


def _lone_providers(ctx, conn, group, wide, known, in_tree_roots):
    """Found for a request of one group with resources where every
    provider stands alone (no trees, no sharing): each provider that
    satisfies the group in SQL is a candidate by itself, in the order of
    their ids, as the general search orders them; only the providers
    chosen are read further."""
    class_ids = _searchable_class_ids(conn, group)
    if class_ids is None:
        return Found()
    root_id = None
    if group.in_tree is not None:
        root_id = in_tree_roots.get(group.in_tree)
        if root_id is None:
            return Found()
    satisfying = _providers_satisfying(conn, group, class_ids, root_id)
    ids = [provider_id for provider_id in sorted(satisfying)
           if known.anchor_allowed(provider_id)]
    conf = ctx.config.placement
    if conf.max_allocation_candidates >= 0:
        del ids[conf.max_allocation_candidates:]
    ids = _chosen(ids, wide.limit, conf.randomize_allocation_candidates)
    found = Found(providers={provider_id: satisfying[provider_id]
                             for provider_id in ids},
                  summary_ids=set(ids))
    found.traits = search.traits_of(conn, ids)
    # The SQL checked that the amounts fit: inventories are needed only
    # for the summaries, which the database writes out.
    found.resources_json = search.resources_json_of(
        conn, ids, wide.summarised_classes)
    amounts = dict(group.resources)
    found.candidates = [
        combine.Candidate(provider_id, {provider_id: amounts},
                          {group.suffix: frozenset([provider_id])})
        for provider_id in ids]
    return found


def _chosen(every, limit, randomize):
    """The candidates returned of ``every``: at most ``limit``, picked at
    random or the first ones, and shuffled when ``randomize``."""
    if limit and limit < len(every):
        return random.sample(every, limit) if randomize else every[:limit]
    if randomize:
        every = list(every)
        random.shuffle(every)
    return every


def _combine(ctx, found, requests, wide, nested):
    conf = ctx.config.placement
    by_key = {(provider_id, inventory.class_name): inventory
              for provider_id, inventories in found.inventories.items()
              for inventory in inventories}
    edges = {provider_id: provider.parent_id
             for provider_id, provider in found.providers.items()}
    generated = combine.candidates(
        requests, by_key, edges, group_policy=wide.group_policy,
        same_subtrees=wide.same_subtrees,
        max_count=conf.max_allocation_candidates,
        breadth_first=(conf.allocation_candidates_generation_strategy
                       == 'breadth-first'))
    whole_trees = wide.nested_aware or not nested
    if not whole_trees:
        roots = {provider_id: provider.root_id
                 for provider_id, provider in found.providers.items()}
        generated = (candidate for candidate in generated
                     if combine.one_provider_per_tree(candidate, roots))
    if conf.randomize_allocation_candidates or not whole_trees:
        # Every candidate is needed: to pick at random, or (before 1.29)
        # to summarise the providers of all of them in the trees that
        # those kept use, as OpenStack Placement does.
        every = list(generated)
        chosen = _chosen(every, wide.limit,
                         conf.randomize_allocation_candidates)
    else:
        # Stop as soon as limit candidates are found.
        every = chosen = list(itertools.islice(generated, wide.limit))
    found.candidates = chosen
    found.summary_ids = _summary_ids(every, chosen, found.providers,
                                     whole_trees)


def _summary_ids(every, chosen, providers, whole_trees):
    """The providers to summarise: from 1.29 every provider of the trees
    the chosen candidates use; before, the providers that any candidate
    uses, in those trees."""
    def used(candidates):
        return {provider_id for candidate in candidates
                for provider_id in candidate.resources}

    roots = {providers[provider_id].root_id for provider_id in used(chosen)}
    if whole_trees:
        return {provider_id for provider_id, provider in providers.items()
                if provider.root_id in roots}
    return {provider_id for provider_id in used(every)
            if providers[provider_id].root_id in roots}
