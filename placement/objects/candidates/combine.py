"""Combining the groups' requests into allocation candidates, lazily.

Within each tree (anchor), every choice of one request per group is a
candidate if it keeps group_policy and same_subtree and the amounts it
asks of each provider fit. The choices are generated one at a time, so
that max_allocation_candidates and limit stop the work as soon as enough
candidates are found; the cross product is never built.
"""
import collections
import itertools

from placement.objects import provider_tree

# A candidate: its anchor root id, {provider id: {class name: amount}}
# (the shape of an allocation request) and {suffix: frozenset of provider
# ids}.
Candidate = collections.namedtuple(
    'Candidate', 'anchor resources mappings')


def _round_robin(generators):
    """One item of each generator in turn until all are exhausted."""
    pending = collections.deque(generators)
    while pending:
        generator = pending.popleft()
        for item in generator:
            yield item
            pending.append(generator)
            break


def _choices(requests_by_group, breadth_first):
    """Each choice of one request per group within one tree."""
    suffixes = list(requests_by_group)
    by_anchor = {}
    for suffix in suffixes:
        for request in requests_by_group[suffix]:
            by_anchor.setdefault(request.anchor, {}).setdefault(
                suffix, []).append(request)
    generators = [
        itertools.product(*(lists[suffix] for suffix in suffixes))
        for anchor, lists in sorted(by_anchor.items())
        if len(lists) == len(suffixes)]
    if breadth_first:
        return _round_robin(generators)
    return itertools.chain.from_iterable(generators)


def isolated(choice, granular_count):
    """group_policy=isolate: the granular groups all use other
    providers."""
    providers = set()
    for request in choice:
        if request.same_provider:
            providers |= request.mappings[0][1]
    return len(providers) == granular_count


def in_same_subtree(provider_ids, edges, lines=None):
    """Whether one of the providers has all the others below it (or is
    them); ``lines`` as provider_tree.shared_subtree_root keeps them."""
    if len(provider_ids) <= 1:
        return True
    return provider_tree.shared_subtree_root(edges, provider_ids,
                                             lines) is not None


def keeps_same_subtree(choice, same_subtrees, edges, lines=None):
    for suffixes in same_subtrees:
        providers = set()
        for request in choice:
            suffix, mapped = request.mappings[0]
            if suffix in suffixes:
                providers |= mapped
        if not in_same_subtree(providers, edges, lines):
            return False
    return True


def consolidate(choice):
    """One candidate of the requests of a choice: amounts of one class
    from one provider added up, mappings joined."""
    resources = {}
    for request in choice:
        for provider_id, name, amount in request.resources:
            amounts = resources.get(provider_id)
            if amounts is None:
                resources[provider_id] = {name: amount}
            else:
                amounts[name] = amounts.get(name, 0) + amount
    if len(choice) == 1:
        return Candidate(choice[0].anchor, resources,
                         dict(choice[0].mappings))
    mappings = {}
    for request in choice:
        for suffix, providers in request.mappings:
            mappings[suffix] = mappings.get(suffix, frozenset()) | providers
    return Candidate(choice[0].anchor, resources, mappings)


def fits(candidate, inventories):
    """Whether what the candidate asks of each provider stays within its
    capacity (with what is used) and max_unit. ``inventories``:
    {(provider id, class name): search.Inventory}."""
    for provider_id, amounts in candidate.resources.items():
        for name, amount in amounts.items():
            inventory = inventories[provider_id, name]
            if (inventory.used + amount > inventory.capacity
                    or amount > inventory.max_unit):
                return False
    return True


def resource_key(candidate):
    """What the candidate asks, hashable: two candidates that ask the
    same of the same providers are one."""
    return frozenset((provider_id, name, amount)
                     for provider_id, amounts in candidate.resources.items()
                     for name, amount in amounts.items())


def _one_group_candidates(requests, inventories, max_count,
                          breadth_first):
    """candidates() of a single group: each of its requests, in the same
    order, with no policy to keep."""
    seen = set()
    for (request,) in _choices({None: requests}, breadth_first):
        # A request that a sharing provider anchors in several trees is
        # the same candidate in each.
        key = (frozenset(request.resources), request.mappings)
        if key in seen:
            continue
        candidate = consolidate((request,))
        if not fits(candidate, inventories):
            continue
        seen.add(key)
        yield candidate
        if 0 <= max_count <= len(seen):
            return


def candidates(requests_by_group, inventories, edges, group_policy=None,
               same_subtrees=(), max_count=-1, breadth_first=False):
    """The distinct candidates, generated lazily; at most ``max_count``
    (-1: no bound)."""
    if len(requests_by_group) == 1:
        (requests,) = requests_by_group.values()
        yield from _one_group_candidates(requests, inventories, max_count,
                                         breadth_first)
        return
    granular = sum(1 for suffix in requests_by_group if suffix)
    seen = set()
    # The same providers come up in many choices: each one's line up its
    # tree is worked out once.
    lines = {}
    for choice in _choices(requests_by_group, breadth_first):
        if group_policy == 'isolate' and not isolated(choice, granular):
            continue
        if not keeps_same_subtree(choice, same_subtrees, edges, lines):
            continue
        candidate = consolidate(choice)
        if not fits(candidate, inventories):
            continue
        key = (resource_key(candidate),
               frozenset(candidate.mappings.items()))
        if key in seen:
            continue
        seen.add(key)
        yield candidate
        if 0 <= max_count <= len(seen):
            return


def one_provider_per_tree(candidate, roots):
    """Before 1.29: whether no two providers of the candidate are in one
    tree (``roots``: {provider id: root id})."""
    return len(candidate.resources) == len(
        {roots[provider_id] for provider_id in candidate.resources})
