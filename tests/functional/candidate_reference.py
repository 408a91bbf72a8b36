"""A brute-force reference for GET /allocation_candidates, for tests.

A plain-Python model of providers (``World``) and a search that, for a
query's parameters, enumerates every way of taking each request group's
resources from providers and keeps those the rules allow. It is slow and
simple on purpose, and shares nothing with placement/objects/candidates:
the two are written apart so that one can check the other.

The rules are those of OpenStack Placement 16.0.0 (checked side by side
on random worlds and queries), with the README's differences: the
unsuffixed group's request that a sharing provider serves alone is kept
in every tree it shares with (OpenStack Placement keeps one), and under
isolate every valid candidate is offered. Sharing providers are taken to
be roots (the tests make no other).

- A provider has room for ``amount`` of a class when it has inventory of
  the class, min_unit <= amount <= max_unit, amount is a multiple of
  step_size, and used + amount <= (total - reserved) * allocation_ratio
  (rounded down).
- A granular (suffixed) group takes all its resources from one provider,
  which alone has its required traits (each ``in:`` set: one of them) and
  none of its forbidden ones. A resourceless group (1.36) is met by one
  provider the same way.
- The unsuffixed group takes each class from one provider of a tree, or
  from a sharing provider (trait MISC_SHARES_VIA_AGGREGATE) that shares an
  aggregate with some provider of that tree; its traits are judged on the
  providers it takes from, together.
- member_of (each repeated parameter one set, ``in:`` a set of several):
  a granular group's provider is in an aggregate of every set, and in no
  forbidden one (``!``). The unsuffixed group takes from a provider that
  is, or whose root is, in an aggregate of every set (the one or the
  other for all the sets, not set by set), when neither is in a
  forbidden aggregate, nor the root of the tree it serves (for a sharing
  provider, the anchor below).
- in_tree keeps a group to the tree of the provider named; the unsuffixed
  group then takes nothing from sharing providers outside that tree.
- A resourceless group ignores in_tree, and finds no provider at all
  unless it has a required trait (or an ``in:`` set) or a member_of
  aggregate: forbidden traits and aggregates alone find nothing.
- Each group's request is anchored in a tree: its provider's, and for a
  request of a sharing provider, every tree it shares an aggregate with.
  root_required judges that tree's root. A candidate takes one request of
  each group, all anchored in one tree; amounts of one class from one
  provider add up and must still fit (capacity and max_unit).
- group_policy=isolate: the granular groups (resourceless ones too) use
  as many providers as there are of them. same_subtree: one provider of
  those the named groups use has all the others below it (or is them).
- Before 1.29, a candidate that takes from two providers of one tree is
  dropped.
- Candidates are told apart by their allocations and mappings together:
  before 1.34, which shows no mappings, two that differ only in mappings
  show as two equal allocation requests.
- Provider summaries: from 1.29 every provider of the trees the
  candidates take from; before, the providers they take from. Before 1.27
  only the classes the query asks for; traits from 1.17; parent and root
  from 1.29.

``search(world, params, version)`` answers a query given as (name, value)
pairs with an ``Answer`` in the same shape as ``normalise(body, version)``
puts the service's JSON.
"""
import collections
import dataclasses
import fractions
import itertools
import math
import re
import typing

SHARING_TRAIT = 'MISC_SHARES_VIA_AGGREGATE'
_GROUP_PARAMETER = re.compile(
    r'^(resources|required|member_of|in_tree)([0-9]+|_[A-Za-z0-9_-]+)?$')


def at_least(version, minimum):
    """Whether microversion ``version`` ('1.29') is ``minimum`` or later."""
    return _number(version) >= _number(minimum)


def _number(version):
    return tuple(int(part) for part in version.split('.'))


# The world: providers, their inventories and what is used of them.

@dataclasses.dataclass
class Inventory:
    total: int
    reserved: int = 0
    min_unit: int = 1
    max_unit: int = 2147483647
    step_size: int = 1
    allocation_ratio: float = 1.0

    @property
    def capacity(self):
        ratio = fractions.Fraction(str(self.allocation_ratio))
        return math.floor((self.total - self.reserved) * ratio)


@dataclasses.dataclass
class Provider:
    uuid: str
    name: str
    parent: typing.Optional[str] = None
    inventories: typing.Dict[str, Inventory] = dataclasses.field(
        default_factory=dict)
    traits: typing.Set[str] = dataclasses.field(default_factory=set)
    aggregates: typing.Set[str] = dataclasses.field(default_factory=set)
    used: typing.Dict[str, int] = dataclasses.field(
        default_factory=collections.Counter)

    @property
    def sharing(self):
        return SHARING_TRAIT in self.traits


class World:
    """Providers by uuid, parents before their children."""

    def __init__(self):
        self.providers = {}

    def add(self, provider):
        assert provider.parent is None or provider.parent in self.providers
        self.providers[provider.uuid] = provider
        return provider

    def root(self, uuid):
        while self.providers[uuid].parent is not None:
            uuid = self.providers[uuid].parent
        return uuid

    def roots(self):
        return [uuid for uuid, provider in self.providers.items()
                if provider.parent is None]

    def is_below_or_is(self, uuid, ancestor):
        while uuid is not None:
            if uuid == ancestor:
                return True
            uuid = self.providers[uuid].parent
        return False

    def trees_shared_with(self, uuid):
        """Roots of the trees with a provider in an aggregate of the
        sharing provider ``uuid`` (its own tree, if it is in one)."""
        aggregates = self.providers[uuid].aggregates
        return {self.root(other.uuid) for other in self.providers.values()
                if other.aggregates & aggregates}

    def anchors(self, uuid):
        """The trees a request of provider ``uuid`` may be anchored in."""
        anchors = {self.root(uuid)}
        if self.providers[uuid].sharing:
            anchors |= self.trees_shared_with(uuid)
        return anchors


# The query.

@dataclasses.dataclass
class Group:
    suffix: str
    resources: typing.Dict[str, int] = dataclasses.field(
        default_factory=dict)
    required: typing.Set[str] = dataclasses.field(default_factory=set)
    forbidden: typing.Set[str] = dataclasses.field(default_factory=set)
    any_of: typing.List[typing.FrozenSet[str]] = dataclasses.field(
        default_factory=list)
    member_of: typing.List[typing.FrozenSet[str]] = dataclasses.field(
        default_factory=list)
    forbidden_aggregates: typing.Set[str] = dataclasses.field(
        default_factory=set)
    in_tree: typing.Optional[str] = None

    @property
    def granular(self):
        return self.suffix != ''


@dataclasses.dataclass
class Query:
    groups: typing.List[Group]
    isolate: bool = False
    root_required: typing.Set[str] = dataclasses.field(default_factory=set)
    root_forbidden: typing.Set[str] = dataclasses.field(default_factory=set)
    same_subtree: typing.List[typing.List[str]] = dataclasses.field(
        default_factory=list)

    @property
    def classes(self):
        return {name for group in self.groups for name in group.resources}


def parse(params):
    """The Query of valid (name, value) pairs."""
    groups = {}
    query = Query([])
    for name, value in params:
        match = _GROUP_PARAMETER.match(name)
        if match:
            kind, suffix = match.group(1), match.group(2) or ''
            group = groups.setdefault(suffix, Group(suffix))
            _read_group_parameter(group, kind, value)
        elif name == 'group_policy':
            query.isolate = value == 'isolate'
        elif name == 'root_required':
            for trait in value.split(','):
                if trait.startswith('!'):
                    query.root_forbidden.add(trait[1:])
                else:
                    query.root_required.add(trait)
        elif name == 'same_subtree':
            query.same_subtree.append(value.split(','))
        else:
            raise ValueError('the reference does not know %r' % name)
    query.groups = list(groups.values())
    return query


def _read_group_parameter(group, kind, value):
    if kind == 'resources':
        for item in value.split(','):
            name, amount = item.split(':')
            group.resources[name] = int(amount)
    elif kind == 'required':
        if value.startswith('in:'):
            group.any_of.append(frozenset(value[3:].split(',')))
            return
        for trait in value.split(','):
            if trait.startswith('!'):
                group.forbidden.add(trait[1:])
            else:
                group.required.add(trait)
    elif kind == 'member_of':
        forbidden = value.startswith('!')
        value = value.lstrip('!')
        aggregates = frozenset(value[3:].split(',') if value.startswith(
            'in:') else [value])
        if forbidden:
            group.forbidden_aggregates |= aggregates
        else:
            group.member_of.append(aggregates)
    else:
        group.in_tree = value


# The rules for one provider.

def has_room(provider, name, amount):
    inventory = provider.inventories.get(name)
    if inventory is None:
        return False
    return (inventory.min_unit <= amount <= inventory.max_unit
            and amount % inventory.step_size == 0
            and provider.used[name] + amount <= inventory.capacity)


def traits_met(world, group, uuids):
    """Whether the providers ``uuids`` together have the group's traits."""
    traits = set()
    for uuid in uuids:
        traits |= world.providers[uuid].traits
    return (group.required <= traits
            and not group.forbidden & traits
            and all(any_of & traits for any_of in group.any_of))


def aggregates_met(world, group, uuid):
    """Whether provider ``uuid`` meets the group's member_of and
    forbidden aggregates: for a granular group, by its own aggregates;
    for the unsuffixed group, its root's must not be forbidden either,
    and member_of may be met by its root instead (every set by the one
    or every set by the other)."""
    own = world.providers[uuid].aggregates
    if group.granular or not group.resources:
        return not_forbidden(group, own) and member_of_met(group, own)
    root = world.providers[world.root(uuid)].aggregates
    return (not_forbidden(group, own) and not_forbidden(group, root)
            and (member_of_met(group, own) or member_of_met(group, root)))


def member_of_met(group, aggregates):
    return all(wanted & aggregates for wanted in group.member_of)


def not_forbidden(group, aggregates):
    return not group.forbidden_aggregates & aggregates


def finds_any(group):
    """Whether a resourceless group can find a provider at all: only with
    a required trait (or an ``in:`` set) or a member_of aggregate, as
    OpenStack Placement looks for its providers among those."""
    return bool(group.required or group.any_of or group.member_of)


def in_tree_met(world, group, uuid):
    """Whether provider ``uuid`` is in the group's in_tree (which a
    resourceless group ignores)."""
    if group.in_tree is None or not group.resources:
        return True
    return world.root(uuid) == world.root(group.in_tree)


def root_allowed(world, query, root):
    traits = world.providers[root].traits
    return query.root_required <= traits and not (
        query.root_forbidden & traits)


# Each group's requests.

@dataclasses.dataclass(frozen=True)
class GroupRequest:
    """What one group takes, anchored in the tree of root ``anchor``:
    ``amounts`` ((provider, class), amount) pairs and the providers it
    uses (for a resourceless group, the one that meets it)."""
    group: Group
    anchor: str
    amounts: typing.Tuple
    providers: typing.FrozenSet[str]


def group_requests(world, query, group):
    if group.granular or not group.resources:
        return list(_one_provider_requests(world, query, group))
    return list(_unsuffixed_requests(world, query, group))


def _one_provider_requests(world, query, group):
    if not group.resources and not finds_any(group):
        return
    for uuid, provider in world.providers.items():
        if not (all(has_room(provider, name, amount)
                    for name, amount in group.resources.items())
                and traits_met(world, group, [uuid])
                and aggregates_met(world, group, uuid)
                and in_tree_met(world, group, uuid)):
            continue
        amounts = tuple(sorted(((uuid, name), amount)
                               for name, amount in group.resources.items()))
        for anchor in sorted(world.anchors(uuid)):
            if root_allowed(world, query, anchor):
                yield GroupRequest(group, anchor, amounts,
                                   frozenset([uuid]))


def _unsuffixed_requests(world, query, group):
    names = sorted(group.resources)
    for anchor in world.roots():
        if not root_allowed(world, query, anchor):
            continue
        if group.in_tree is not None and anchor != world.root(
                group.in_tree):
            continue
        choices = [[uuid for uuid in world.providers
                    if _may_give(world, group, uuid, name, anchor)]
                   for name in names]
        for chosen in itertools.product(*choices):
            if not traits_met(world, group, chosen):
                continue
            amounts = tuple(sorted(
                ((uuid, name), group.resources[name])
                for uuid, name in zip(chosen, names)))
            yield GroupRequest(group, anchor, amounts, frozenset(chosen))


def _may_give(world, group, uuid, name, anchor):
    """Whether the unsuffixed group may take class ``name`` from
    provider ``uuid`` for a candidate in the tree of ``anchor``."""
    provider = world.providers[uuid]
    if not has_room(provider, name, group.resources[name]):
        return False
    if world.root(uuid) != anchor and not (
            group.in_tree is None and provider.sharing
            and anchor in world.trees_shared_with(uuid)):
        return False
    return aggregates_met(world, group, uuid) and not_forbidden(
        group, world.providers[anchor].aggregates)


# Candidates.

@dataclasses.dataclass(frozen=True)
class Candidate:
    """An allocation request: frozensets of (provider, class, amount) and
    of (suffix, provider)."""
    allocations: typing.FrozenSet
    mappings: typing.FrozenSet

    def sort_key(self):
        return sorted(self.allocations), sorted(self.mappings)


@dataclasses.dataclass
class Answer:
    """``requests``: a sorted list of Candidate (mappings empty before
    1.34); ``summaries``: {provider: (frozenset of (class, capacity,
    used), frozenset of traits or None, parent, root)}."""
    requests: list
    summaries: dict


def search(world, params, version):
    query = parse(params)
    per_group = [group_requests(world, query, group)
                 for group in query.groups]
    found = set()
    for requests in _combinations(per_group):
        candidate = _candidate(world, query, requests, version)
        if candidate is not None:
            found.add(candidate)
    return Answer(_shown_requests(found, version),
                  _summaries(world, query, found, version))


def _combinations(per_group):
    """Each choice of one request per group, all in one tree."""
    anchors = None
    for requests in per_group:
        here = {request.anchor for request in requests}
        anchors = here if anchors is None else anchors & here
    for anchor in sorted(anchors or ()):
        yield from itertools.product(*[
            [request for request in requests if request.anchor == anchor]
            for requests in per_group])


def _candidate(world, query, requests, version):
    """The Candidate of one request per group, or None if the rules
    refuse it."""
    if query.isolate and not _isolated(requests):
        return None
    if not all(_in_one_subtree(world, requests, suffixes)
               for suffixes in query.same_subtree):
        return None
    amounts = collections.Counter()
    for request in requests:
        for key, amount in request.amounts:
            amounts[key] += amount
    if not all(_fits(world.providers[uuid], name, amount)
               for (uuid, name), amount in amounts.items()):
        return None
    if not at_least(version, '1.29') and not _one_provider_per_tree(
            world, amounts):
        return None
    return Candidate(
        frozenset((uuid, name, amount)
                  for (uuid, name), amount in amounts.items()),
        frozenset((request.group.suffix, uuid) for request in requests
                  for uuid in request.providers))


def _isolated(requests):
    granular = [request for request in requests if request.group.granular]
    used = set()
    for request in granular:
        used |= request.providers
    return len(used) == len(granular)


def _in_one_subtree(world, requests, suffixes):
    uuids = set()
    for request in requests:
        if request.group.suffix in suffixes:
            uuids |= request.providers
    return any(all(world.is_below_or_is(uuid, top) for uuid in uuids)
               for top in uuids)


def _fits(provider, name, amount):
    inventory = provider.inventories[name]
    return (amount <= inventory.max_unit
            and provider.used[name] + amount <= inventory.capacity)


def _one_provider_per_tree(world, amounts):
    uuids = {uuid for uuid, _ in amounts}
    return len({world.root(uuid) for uuid in uuids}) == len(uuids)


def _shown_requests(found, version):
    if at_least(version, '1.34'):
        return sorted(found, key=Candidate.sort_key)
    return sorted((Candidate(candidate.allocations, frozenset())
                   for candidate in found), key=Candidate.sort_key)


def _summaries(world, query, found, version):
    used = {uuid for candidate in found
            for uuid, _, _ in candidate.allocations}
    if at_least(version, '1.29'):
        roots = {world.root(uuid) for uuid in used}
        shown = [uuid for uuid in world.providers
                 if world.root(uuid) in roots]
    else:
        shown = sorted(used)
    return {uuid: summary(world, uuid, query.classes, version)
            for uuid in shown}


def summary(world, uuid, classes, version):
    provider = world.providers[uuid]
    resources = frozenset(
        (name, inventory.capacity, provider.used[name])
        for name, inventory in provider.inventories.items()
        if at_least(version, '1.27') or name in classes)
    traits = (frozenset(provider.traits) if at_least(version, '1.17')
              else None)
    if at_least(version, '1.29'):
        return resources, traits, provider.parent, world.root(uuid)
    return resources, traits, None, None


# The service's JSON in the same shape.

def normalise(body, version):
    """The Answer that the JSON ``body`` of the service says."""
    requests = []
    for request in body['allocation_requests']:
        allocations = request['allocations']
        if isinstance(allocations, list):
            # Before 1.12, a list of {resource_provider: {uuid},
            # resources}.
            allocations = {item['resource_provider']['uuid']: item
                           for item in allocations}
        mappings = request.get('mappings', {})
        requests.append(Candidate(
            frozenset((uuid, name, amount)
                      for uuid, item in allocations.items()
                      for name, amount in item['resources'].items()),
            frozenset((suffix, uuid) for suffix, uuids in mappings.items()
                      for uuid in uuids)))
    summaries = {}
    for uuid, item in body['provider_summaries'].items():
        traits = item.get('traits')
        summaries[uuid] = (
            frozenset((name, value['capacity'], value['used'])
                      for name, value in item['resources'].items()),
            None if traits is None else frozenset(traits),
            item.get('parent_provider_uuid'),
            item.get('root_provider_uuid'))
    return Answer(sorted(requests, key=Candidate.sort_key), summaries)
