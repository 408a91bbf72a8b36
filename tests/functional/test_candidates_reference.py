"""GET /allocation_candidates against a brute-force reference.

Seeded random worlds (flat, nested two or three levels deep, with sharing
providers, and mixed; with traits, aggregates, reserved, allocation
ratios, min_unit, max_unit, step_size and existing allocations) are built
through the API of the in-process application on SQLite (one of them on
PostgreSQL and MySQL too), then random queries at random microversions
from 1.10 to 1.39 (every parameter) are answered by the service and by
candidate_reference.search, and the two answers compared: the allocation
requests as a multiset (each as provider -> resources, with its mappings
from 1.34 as a set), and the provider summaries. The reference was
checked against OpenStack Placement 16.0.0 side by side, on these
queries and more.

PLACEMENT_TEST_CANDIDATE_REFERENCE_CASES sets the number of queries in
all (default 400), spread over WORLDS worlds.

Left out, as the side-by-side generator leaves them out: a limit that
cuts (which candidates it keeps is not defined) and randomisation;
granular groups beside an unsuffixed group that a sharing provider alone
could satisfy (the unsuffixed group then always asks for a class that no
sharing provider has); and under group_policy=isolate, a class that the
unsuffixed group and a granular group both ask for. In those two cases
OpenStack Placement's answer changes from run to run (the README's
differences), so it could not settle a disagreement. Also left out: a
resourceless group without a required trait, which finds nothing
(test_resourceless_group_without_required_finds_nothing checks it).

test_generator_exercises_every_rule checks, without the service, that
the queries are worth something: enough of them have candidates, and
every rule of the reference, broken on purpose, changes the answer to
some of them (so the same bug in the service would fail the comparison).
"""
import collections
import contextlib
import os
import random
import urllib.parse
import uuid as uuid_module
from unittest import mock

import pytest
import webob

from placement import deploy
from tests import databases
from tests.functional import candidate_reference as reference
from tests.functional.candidate_reference import at_least

DEFAULT_CASES = 400
CASES = int(os.environ.get('PLACEMENT_TEST_CANDIDATE_REFERENCE_CASES',
                           DEFAULT_CASES))
WORLDS = 8
FIRST_SEED = 7100
# The worlds also run on the database servers (a mixed one: sharing and
# nesting together).
SERVER_WORLDS = (3,)
SHAPES = ('flat', 'nested', 'sharing', 'mixed')
MAX_PROVIDERS = 15

COMPUTE_CLASSES = ('VCPU', 'MEMORY_MB', 'DISK_GB', 'SRIOV_NET_VF')
SHARED_CLASSES = ('DISK_GB', 'IPV4_ADDRESS')
# Classes that no sharing provider has.
UNSHARED_CLASSES = ('VCPU', 'MEMORY_MB', 'SRIOV_NET_VF')
CUSTOM_TRAITS = ('CUSTOM_FOO', 'CUSTOM_BAR')
TRAITS = CUSTOM_TRAITS + ('HW_CPU_X86_AVX2', 'STORAGE_DISK_SSD')
# Every microversion from 1.10, the later ones (more parameters) more
# often.
VERSIONS = ['1.%d' % minor for minor in range(10, 40)
            for _ in range(1 if minor < 25 else 2 if minor < 35 else
                           3 if minor < 39 else 6)]


# Worlds.

def _uuid(rng):
    return str(uuid_module.UUID(int=rng.getrandbits(128), version=4))


def _inventory(rng):
    total = rng.randint(2, 12)
    return reference.Inventory(
        total=total,
        reserved=rng.choice((0, 0, 0, 1)),
        min_unit=rng.choice((1, 1, 1, 1, 2)),
        max_unit=rng.choice((total, total, rng.randint(2, total))),
        step_size=rng.choice((1, 1, 1, 1, 2)),
        allocation_ratio=rng.choice((1.0, 1.0, 1.0, 1.5, 2.0)))


class _WorldMaker:
    """Adds providers of random make-up to a World."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.world = reference.World()
        self.aggregates = [_uuid(self.rng) for _ in range(3)]

    def provider(self, classes, parent=None, aggregate_chance=0.3):
        rng = self.rng
        provider = reference.Provider(
            uuid=_uuid(rng), name='rp-%d' % len(self.world.providers),
            parent=parent)
        for name in classes:
            provider.inventories[name] = _inventory(rng)
        provider.traits = set(rng.sample(TRAITS, rng.choice((0, 0, 1, 2))))
        if rng.random() < aggregate_chance:
            provider.aggregates = set(rng.sample(self.aggregates,
                                                 rng.choice((1, 1, 2))))
        return self.world.add(provider)

    def compute_classes(self, most=3):
        return self.rng.sample(COMPUTE_CLASSES, self.rng.randint(1, most))

    def flat(self, count):
        for _ in range(count):
            self.provider(self.compute_classes())

    def tree(self, depth):
        """A root with NUMA-like children, some with device-like
        grandchildren when ``depth`` is 3."""
        rng = self.rng
        root = self.provider(rng.choice(((), ('DISK_GB',), ('VCPU',))),
                             aggregate_chance=0.7)
        for _ in range(rng.randint(1, 3)):
            child = self.provider(
                rng.sample(('VCPU', 'MEMORY_MB', 'SRIOV_NET_VF'),
                           rng.randint(1, 2)), parent=root.uuid)
            if depth == 3:
                for _ in range(rng.randint(0, 2)):
                    self.provider(rng.choice((('SRIOV_NET_VF',), (),
                                              ('VCPU', 'MEMORY_MB'))),
                                  parent=child.uuid)

    def sharing(self, count):
        rng = self.rng
        for _ in range(count):
            provider = self.provider(
                rng.sample(SHARED_CLASSES, rng.randint(1, 2)))
            provider.traits.add(reference.SHARING_TRAIT)
            provider.aggregates = set(rng.sample(self.aggregates,
                                                 rng.choice((1, 1, 2))))

    def allocations(self, count):
        """Existing allocations: ``count`` consumers, each taking some
        of one provider's classes; [(consumer, provider, resources)]."""
        rng, made = self.rng, []
        with_inventory = [provider for provider in
                          self.world.providers.values()
                          if provider.inventories]
        for _ in range(count):
            provider = rng.choice(with_inventory)
            resources = {}
            for name in rng.sample(sorted(provider.inventories),
                                   rng.randint(1, len(provider.inventories))):
                amount = _allowed_amount(rng, provider, name)
                if amount:
                    resources[name] = amount
                    provider.used[name] += amount
            if resources:
                made.append((_uuid(rng), provider.uuid, resources))
        return made


def _allowed_amounts(provider, name, used=None):
    """The amounts of class ``name`` a claim on ``provider`` may take
    now (or if ``used`` were used)."""
    inventory = provider.inventories.get(name)
    if inventory is None:
        return []
    free = inventory.capacity - (
        provider.used[name] if used is None else used)
    return [amount for amount in range(
        inventory.min_unit, min(inventory.max_unit, free) + 1)
        if amount % inventory.step_size == 0]


def _allowed_amount(rng, provider, name):
    """An amount a claim on ``provider`` may take now, or None."""
    amounts = _allowed_amounts(provider, name)
    return rng.choice(amounts) if amounts else None


def random_world(seed):
    """(shape, World, [(consumer, provider, resources)]) of ``seed``: at
    most MAX_PROVIDERS providers, so that brute force stays cheap."""
    shape = SHAPES[seed % len(SHAPES)]
    maker = _WorldMaker(seed)
    rng = maker.rng
    while True:
        maker.world = reference.World()
        if shape == 'flat':
            maker.flat(rng.randint(4, 7))
        elif shape == 'nested':
            for _ in range(rng.randint(2, 3)):
                maker.tree(rng.choice((2, 3)))
        elif shape == 'sharing':
            maker.flat(rng.randint(3, 5))
            maker.sharing(rng.randint(1, 2))
        else:
            maker.tree(3)
            maker.tree(2)
            maker.flat(rng.randint(1, 2))
            maker.sharing(rng.randint(1, 2))
        if len(maker.world.providers) <= MAX_PROVIDERS:
            return shape, maker.world, maker.allocations(rng.randint(2, 5))


def setup_requests(world, allocations):
    """(method, path, body, version) that build ``world`` through the
    API, generations counted from 0."""
    requests = [('PUT', '/traits/%s' % name, None, '1.6')
                for name in CUSTOM_TRAITS]
    for provider in world.providers.values():
        body = {'name': provider.name, 'uuid': provider.uuid}
        if provider.parent:
            body['parent_provider_uuid'] = provider.parent
        requests.append(('POST', '/resource_providers', body, '1.20'))
        generation = 0
        path = '/resource_providers/%s/' % provider.uuid
        for what, value, version in (
                ('inventories', _inventories_body(provider), '1.26'),
                ('traits', sorted(provider.traits), '1.6'),
                ('aggregates', sorted(provider.aggregates), '1.19')):
            if value:
                requests.append(('PUT', path + what, {
                    what: value, 'resource_provider_generation': generation},
                    version))
                generation += 1
    for consumer, provider, resources in allocations:
        requests.append(('PUT', '/allocations/%s' % consumer, {
            'allocations': {provider: {'resources': resources}},
            'project_id': 'project', 'user_id': 'user',
            'consumer_generation': None}, '1.28'))
    return requests


def _inventories_body(provider):
    return {name: {'total': inventory.total, 'reserved': inventory.reserved,
                   'min_unit': inventory.min_unit,
                   'max_unit': inventory.max_unit,
                   'step_size': inventory.step_size,
                   'allocation_ratio': inventory.allocation_ratio}
            for name, inventory in provider.inventories.items()}


# Queries.

class _QueryMaker:
    """Random parameters of GET /allocation_candidates at one
    microversion, for one world.

    A query is about one tree (its focus): most groups are drawn from a
    provider of it, or from a sharing provider it may use (the group's
    target): classes the target has, traits it has or lacks, aggregates it
    is or is not in, so that many queries have candidates; the rest are
    drawn from the whole world, or from every trait and aggregate. A query
    that will ask for same_subtree draws its granular groups mostly from
    one line of descent of the focus (its chain).
    """

    def __init__(self, rng, world, version):
        self.rng, self.world, self.version = rng, world, version
        self.params = []
        self.focus = rng.choice(world.roots())
        self.chain = None
        self.granular_targets = []
        leaf = rng.choice([uuid for uuid in world.providers
                           if world.root(uuid) == self.focus])
        self.line = [uuid for uuid in world.providers
                     if world.is_below_or_is(leaf, uuid)]
        self.reachable = [
            uuid for uuid, provider in world.providers.items()
            if world.root(uuid) == self.focus or (
                provider.sharing
                and self.focus in world.trees_shared_with(uuid))]
        self.aggregates = sorted({
            aggregate for provider in world.providers.values()
            for aggregate in provider.aggregates})

    def since(self, version, chance):
        return at_least(self.version, version) and self.rng.random() < chance

    def add(self, name, value):
        self.params.append((name, value))

    def amounts(self, classes, targets):
        """Mostly amounts that some target could give now."""
        return ','.join('%s:%d' % (name, self.amount(name, targets))
                        for name in classes)

    def amount(self, name, targets):
        """Mostly an amount that a target could give now; else one that
        it could give if nothing were used (which what is used may
        forbid), or any."""
        rng = self.rng
        providers = [self.world.providers[uuid] for uuid in targets]
        draw = rng.random()
        if draw < 0.75:
            possible = {amount for provider in providers
                        for amount in _allowed_amounts(provider, name)}
        elif draw < 0.9:
            possible = {amount for provider in providers
                        if provider.used[name]
                        for amount in _allowed_amounts(provider, name, 0)}
        else:
            possible = set()
        if possible:
            return rng.choice(sorted(possible)[:3])
        return rng.choice((1, 1, 2, 3))

    def suffix(self, number):
        if self.since('1.33', 0.5):
            return '_%s' % 'abcdef'[number]
        return str(number + 1)

    def _pool(self, granular=False):
        draw = self.rng.random()
        if granular and self.chain and draw < 0.7:
            return self.chain
        if draw < 0.8:
            return self.reachable
        return list(self.world.providers)

    def unsuffixed_group(self, granular):
        """The unsuffixed group, with its classes; beside granular
        groups it asks for a class that no sharing provider has."""
        rng, providers = self.rng, self.world.providers
        pool = self._pool()
        offered = sorted({name for uuid in pool
                          for name in providers[uuid].inventories})
        if not offered:
            offered = list(COMPUTE_CLASSES)
        classes = rng.sample(offered, min(len(offered), rng.choice(
            (1, 1, 1, 2, 2, 3))))
        if granular and not set(classes) & set(UNSHARED_CLASSES):
            classes.append(rng.choice(
                [name for name in offered if name in UNSHARED_CLASSES]
                or UNSHARED_CLASSES))
        targets = [uuid for uuid in pool
                   if set(providers[uuid].inventories) & set(classes)]
        self.group('', classes, targets or pool)
        return classes

    def granular_group(self, suffix, excluded):
        """A granular group asking for classes other than ``excluded``;
        False when no provider of the pool has any."""
        rng, providers = self.rng, self.world.providers
        pool = self._pool(granular=True)
        targets = [uuid for uuid in pool
                   if set(providers[uuid].inventories) - set(excluded)]
        if not targets:
            return False
        target = rng.choice(targets)
        self.granular_targets.append(target)
        offered = sorted(set(providers[target].inventories) - set(excluded))
        self.group(suffix, rng.sample(offered, min(
            len(offered), rng.choice((1, 1, 2)))), [target])
        return True

    def resourceless_group(self, suffix, isolate):
        """A resourceless group, mostly met by an ancestor of a granular
        group's target (another provider, under isolate)."""
        world = self.world
        above = [uuid for target in self.granular_targets
                 for uuid in world.providers
                 if world.is_below_or_is(target, uuid)
                 and not (isolate and uuid in self.granular_targets)]
        pool = above if above and self.rng.random() < 0.8 else self._pool(
            granular=True)
        self.group(suffix, [], [self.rng.choice(pool)])

    def group(self, suffix, classes, targets):
        if classes:
            self.add('resources' + suffix, self.amounts(classes, targets))
        if not classes:
            # A resourceless group needs a required trait: without one
            # or a member_of aggregate it finds nothing (see
            # test_resourceless_group_without_required_finds_nothing).
            self.required(suffix, targets, positive=True)
        elif self.since('1.17', 0.35):
            self.required(suffix, targets)
        if self.since('1.21', 0.35):
            self.member_of(suffix, targets)
        if self.since('1.31', 0.2 if classes else 0.5):
            self.in_tree(suffix, targets, resourceless=not classes)

    def required(self, suffix, targets, positive=False):
        """required (forbidden with ``!`` from 1.22, and from 1.39 an
        ``in:`` set in a parameter of its own), no trait twice; with
        ``positive``, some trait not forbidden."""
        rng = self.rng
        have = sorted(set().union(*(self.world.providers[uuid].traits
                                    for uuid in targets)) - {
            reference.SHARING_TRAIT})
        lack = [name for name in TRAITS if name not in have]
        if rng.random() < (0.1 if positive else 0.25):
            have, lack = list(TRAITS), list(TRAITS)
        required = rng.sample(have, min(len(have), rng.choice((0, 1, 1, 2))))
        forbidden = []
        if at_least(self.version, '1.22'):
            lack = [name for name in lack if name not in required]
            forbidden = rng.sample(lack, min(len(lack), rng.choice(
                (0, 0, 1, 2))))
        any_of = []
        if self.since('1.39', 0.5):
            spare = [name for name in TRAITS
                     if name not in required + forbidden]
            any_of = rng.sample(spare, min(2, len(spare)))
            if len(any_of) == 2:
                self.add('required' + suffix, 'in:' + ','.join(any_of))
        if not required and len(any_of) < 2 and (positive or not forbidden):
            required = [rng.choice([name for name in have
                                    if name not in forbidden]
                                   or [name for name in TRAITS
                                       if name not in forbidden])]
        if required or forbidden:
            self.add('required' + suffix, ','.join(
                required + ['!' + name for name in forbidden]))

    def member_of(self, suffix, targets):
        """One member_of parameter, or from 1.24 two; each of one
        aggregate or ``in:`` two, forbidden (``!``) from 1.32, mostly
        aggregates the targets are (or are not) in; no aggregate
        twice."""
        rng = self.rng
        providers = self.world.providers
        have = set().union(*(providers[uuid].aggregates for uuid in targets))
        if suffix == '' or rng.random() < 0.3:
            # The unsuffixed group lets a root's aggregates count, and
            # granular groups do not.
            have |= set().union(*(providers[self.world.root(uuid)].aggregates
                                  for uuid in targets))
        unused = list(self.aggregates)
        rng.shuffle(unused)
        for _ in range(2 if self.since('1.24', 0.5) else 1):
            forbidden = self.since('1.32', 0.3)
            wanted = [aggregate for aggregate in unused
                      if (aggregate in have) != forbidden]
            if not wanted or rng.random() < 0.2:
                wanted = unused
            if not wanted:
                return
            chosen = [wanted[0]]
            if len(wanted) > 1 and rng.random() < 0.3:
                chosen.append(wanted[1])
            for aggregate in chosen:
                unused.remove(aggregate)
            value = ('in:' + ','.join(chosen)) if len(chosen) > 1 else (
                chosen[0])
            self.add('member_of' + suffix, ('!' if forbidden else '') + value)

    def in_tree(self, suffix, targets, resourceless=False):
        """in_tree: mostly a provider of a target's tree; for a
        resourceless group (which ignores it), mostly any tree."""
        world = self.world
        root = world.root(self.rng.choice(targets))
        if self.rng.random() < (0.7 if resourceless else 0.3):
            root = self.rng.choice(world.roots())
        self.add('in_tree' + suffix, self.rng.choice(
            [uuid for uuid in world.providers if world.root(uuid) == root]))

    def root_required(self):
        rng = self.rng
        traits = self.world.providers[self.focus].traits
        names = rng.sample(TRAITS, rng.randint(1, 2))
        self.add('root_required', ','.join(
            name if (name in traits) == (rng.random() < 0.8) else '!' + name
            for name in names))


def random_query(rng, world, version):
    """[(name, value)] of a random valid query at ``version``."""
    maker = _QueryMaker(rng, world, version)
    granular = maker.since('1.25', 0.55)
    if granular and maker.since('1.36', 0.6):
        maker.chain = maker.line
    isolate = granular and rng.random() < 0.5
    unsuffixed = []
    if not granular or rng.random() < 0.5:
        unsuffixed = maker.unsuffixed_group(granular)
    suffixes, resourceless = [], []
    numbers = range(rng.choice((1, 2, 2, 3)) if granular else 0)
    kinds = [maker.since('1.36', 0.35) for _ in numbers]
    # Groups with resources first: a resourceless group is drawn from
    # their targets.
    for number in sorted(numbers, key=lambda number: kinds[number]):
        suffix = maker.suffix(number)
        if kinds[number]:
            maker.resourceless_group(suffix, isolate)
            resourceless.append(suffix)
        elif not maker.granular_group(suffix, unsuffixed if isolate else ()):
            continue
        suffixes.append(suffix)
    if not unsuffixed and len(suffixes) == len(resourceless):
        # Nothing asks for resources.
        return random_query(rng, world, version)
    if resourceless and len(suffixes) < 2:
        # A resourceless group must be named in same_subtree, with
        # another.
        return random_query(rng, world, version)
    if suffixes:
        maker.add('group_policy', 'isolate' if isolate else 'none')
    if maker.since('1.35', 0.35):
        maker.root_required()
    if len(suffixes) > 1 and (resourceless or maker.chain):
        named = rng.sample(suffixes, rng.randint(2, len(suffixes)))
        maker.add('same_subtree', ','.join(
            named + [suffix for suffix in resourceless
                     if suffix not in named]))
    return maker.params


def queries(seed, world, count):
    """[(version, params)]: ``count`` random queries for ``world``."""
    rng = random.Random(seed * 7919)
    made = []
    for _ in range(count):
        version = rng.choice(VERSIONS)
        made.append((version, random_query(rng, world, version)))
    return made


def query_string(params):
    return urllib.parse.urlencode(params, safe=':,!')


def _count_for(world_number, cases=None):
    """How many of ``cases`` (CASES) queries world ``world_number``
    gets."""
    cases = CASES if cases is None else cases
    return cases // WORLDS + (1 if world_number < cases % WORLDS else 0)


def _seed(world_number):
    return FIRST_SEED + world_number


# The service, in process.

def _call(app, method, path, body=None, version='1.39'):
    request = webob.Request.blank(path, method=method, headers={
        'X-Auth-Token': 'admin', 'Accept': 'application/json',
        'OpenStack-API-Version': 'placement %s' % version})
    if body is not None:
        request.content_type = 'application/json'
        request.json_body = body
    return request.get_response(app)


@pytest.fixture(scope='module')
def sqlite_url(tmp_path_factory):
    url, cleanup = databases.create_database(
        'sqlite', tmp_path_factory.mktemp('candidates-reference'))
    yield url
    cleanup()


def _service(url, world, allocations):
    db = databases.fresh_database(url)
    app = deploy.make_app(databases.make_conf(url), db=db)
    for method, path, body, version in setup_requests(world, allocations):
        response = _call(app, method, path, body, version)
        assert response.status_int < 300, (
            'setting up: %s %s %s: %s' % (method, path, body, response.text))
    return app, db


def _difference(ours, expected):
    """Lines saying how the service's Answer differs from the
    reference's."""
    lines = []
    missing = collections.Counter(expected.requests)
    missing.subtract(ours.requests)
    for candidate, count in sorted(
            missing.items(), key=lambda item: item[0].sort_key()):
        if count:
            lines.append('    %s%s: %s' % (
                'missing' if count > 0 else 'extra',
                '' if abs(count) == 1 else ' %d times' % abs(count),
                _shown(candidate)))
    for uuid in sorted(set(ours.summaries) | set(expected.summaries)):
        if ours.summaries.get(uuid) != expected.summaries.get(uuid):
            lines.append('    summary of %s: service %s, reference %s' % (
                uuid, ours.summaries.get(uuid), expected.summaries.get(uuid)))
    return lines


def _shown(candidate):
    allocations = collections.defaultdict(dict)
    for uuid, name, amount in candidate.allocations:
        allocations[uuid][name] = amount
    mappings = collections.defaultdict(set)
    for suffix, uuid in candidate.mappings:
        mappings[suffix].add(uuid)
    text = repr(dict(sorted(allocations.items())))
    if mappings:
        text += ' mappings %r' % {
            suffix: sorted(uuids) for suffix, uuids in sorted(
                mappings.items())}
    return text


def describe_world(shape, world):
    lines = ['world (%s):' % shape]
    for provider in world.providers.values():
        lines.append('  %s %s parent=%s inventories=%s used=%s traits=%s '
                     'aggregates=%s' % (
                         provider.name, provider.uuid, provider.parent,
                         provider.inventories, dict(provider.used),
                         sorted(provider.traits),
                         sorted(provider.aggregates)))
    return '\n'.join(lines)


def _check_world(world_number, url):
    """Build world ``world_number`` on the database at ``url`` and
    compare the service's answers to its queries with the reference's."""
    seed = _seed(world_number)
    shape, world, allocations = random_world(seed)
    app, db = _service(url, world, allocations)
    try:
        failures = _compare_all(
            app, world, queries(seed, world, _count_for(world_number)),
            'seed %d on %s' % (seed, url.split(':', 1)[0]))
    finally:
        db.dispose()
    assert not failures, '%d of the queries differ from the reference\n' \
        '%s\n%s' % (len(failures), describe_world(shape, world),
                    '\n'.join(failures[:10]))


@pytest.mark.parametrize('world_number', range(WORLDS))
def test_candidates_match_reference(world_number, sqlite_url):
    _check_world(world_number, sqlite_url)


@pytest.mark.parametrize('world_number', SERVER_WORLDS)
def test_candidates_match_reference_on_servers(world_number, database_url,
                                               backend):
    """A world on PostgreSQL and MySQL too, whose SQL differs."""
    if backend == 'sqlite':
        pytest.skip('every world runs on SQLite above')
    _check_world(world_number, database_url)


def _compare_all(app, world, cases, label):
    """Failure lines for the (version, params) ``cases`` on which the
    service's answer differs from the reference's."""
    failures = []
    for number, (version, params) in enumerate(cases):
        path = '/allocation_candidates?' + query_string(params)
        response = _call(app, 'GET', path, version=version)
        where = '%s query %d at %s: GET %s' % (label, number, version, path)
        if response.status_int != 200:
            failures.append('%s\n    status %d: %s' % (
                where, response.status_int, response.text[:500]))
            continue
        lines = _difference(
            reference.normalise(response.json_body, version),
            reference.search(world, params, version))
        if lines:
            failures.append('\n'.join([where] + lines))
    return failures


# Resourceless groups without a required trait, left out of the random
# queries and checked here.

def _small_tree():
    """A root in aggregate AGG with trait CUSTOM_BAR, and a child with
    VCPU."""
    world = reference.World()
    root = world.add(reference.Provider(
        uuid=RESOURCELESS_ROOT, name='root', traits={'CUSTOM_BAR'},
        aggregates={RESOURCELESS_AGGREGATE}))
    world.add(reference.Provider(
        uuid=RESOURCELESS_CHILD, name='child', parent=root.uuid,
        inventories={'VCPU': reference.Inventory(4)}))
    return world


RESOURCELESS_ROOT = '0b000000-0000-4000-8000-000000000001'
RESOURCELESS_CHILD = '0b000000-0000-4000-8000-000000000002'
RESOURCELESS_AGGREGATE = '0b000000-0000-4000-8000-0000000000a1'
# A resourceless group with neither a required trait nor a member_of
# aggregate finds no provider in OpenStack Placement 16.0.0 (checked side
# by side), so none of these has candidates; the service finds the
# providers that pass the forbidden traits or aggregates (or every
# provider, for in_tree alone).
RESOURCELESS_QUERIES = [
    ('1.36', [('resources_a', 'VCPU:1'), ('required_b', '!CUSTOM_BAR'),
              ('group_policy', 'none'), ('same_subtree', '_a,_b')]),
    ('1.36', [('resources_a', 'VCPU:1'),
              ('member_of_b', '!' + RESOURCELESS_AGGREGATE),
              ('group_policy', 'none'), ('same_subtree', '_a,_b')]),
    ('1.36', [('resources_a', 'VCPU:1'), ('in_tree_b', RESOURCELESS_ROOT),
              ('group_policy', 'none'), ('same_subtree', '_a,_b')]),
]


def test_resourceless_group_without_required_finds_nothing(sqlite_url):
    """A resourceless group with only forbidden traits or aggregates (or
    in_tree) finds no provider, as in OpenStack Placement."""
    world = _small_tree()
    app, db = _service(sqlite_url, world, [])
    try:
        failures = _compare_all(app, world, RESOURCELESS_QUERIES,
                                'resourceless')
    finally:
        db.dispose()
    assert not failures, '\n'.join(failures)


# The generator's worth, without the service.

def _ignoring_used(provider, name, amount):
    inventory = provider.inventories.get(name)
    return inventory is not None and (
        inventory.min_unit <= amount <= inventory.max_unit
        and amount % inventory.step_size == 0
        and amount <= inventory.capacity)


def _fits_ignoring_used(provider, name, amount):
    inventory = provider.inventories[name]
    return amount <= min(inventory.max_unit, inventory.capacity)


def _ignoring_units(provider, name, amount):
    inventory = provider.inventories.get(name)
    return inventory is not None and (
        provider.used[name] + amount <= inventory.capacity)


def _ignoring_forbidden_traits(world, group, uuids):
    traits = set().union(*(world.providers[uuid].traits for uuid in uuids))
    return group.required <= traits and all(
        any_of & traits for any_of in group.any_of)


def _ignoring_any_of(world, group, uuids):
    traits = set().union(*(world.providers[uuid].traits for uuid in uuids))
    return group.required <= traits and not group.forbidden & traits


def _own_aggregates(world, group, uuid):
    own = world.providers[uuid].aggregates
    return reference.member_of_met(group, own) and reference.not_forbidden(
        group, own)


def _with_root_aggregates(world, uuid):
    return (world.providers[uuid].aggregates
            | world.providers[world.root(uuid)].aggregates)


def _aggregates_set_by_set(world, group, uuid):
    aggregates = _with_root_aggregates(world, uuid)
    return reference.member_of_met(
        group, aggregates) and reference.not_forbidden(group, aggregates)


def _root_aggregates_for_all(world, group, uuid):
    root = world.providers[world.root(uuid)].aggregates
    own = world.providers[uuid].aggregates
    return (reference.not_forbidden(group, own | root)
            and (reference.member_of_met(group, own)
                 or reference.member_of_met(group, root)))


def _in_tree_always(world, group, uuid):
    return group.in_tree is None or world.root(uuid) == world.root(
        group.in_tree)


def _unsuffixed_from_one_provider(world, query, group):
    return list(reference._one_provider_requests(world, query, group))


def _summaries_of_used_only(world, query, found, version):
    used = {uuid for candidate in found
            for uuid, _, _ in candidate.allocations}
    return {uuid: reference.summary(world, uuid, query.classes, version)
            for uuid in used}


def _true(*args):
    return True


# A rule of the reference broken on purpose: (function, replacement).
# Rules of the reference broken on purpose: {function: replacement}.
PLANTED_BUGS = {
    'used ignored': {'has_room': _ignoring_used,
                     '_fits': _fits_ignoring_used},
    'min_unit, max_unit and step_size ignored': {
        'has_room': _ignoring_units},
    'summed amounts not checked': {'_fits': _true},
    'forbidden traits ignored': {'traits_met': _ignoring_forbidden_traits},
    'any-of traits ignored': {'traits_met': _ignoring_any_of},
    'member_of ignored': {'member_of_met': _true},
    'forbidden aggregates ignored': {'not_forbidden': _true},
    'root aggregates ignored': {'aggregates_met': _own_aggregates},
    'root aggregates counted set by set': {
        'aggregates_met': _aggregates_set_by_set},
    'root aggregates counted for granular groups': {
        'aggregates_met': _root_aggregates_for_all},
    'in_tree ignored': {'in_tree_met': _true},
    'in_tree kept by resourceless groups': {
        'in_tree_met': _in_tree_always},
    'root_required ignored': {'root_allowed': _true},
    'group_policy=isolate ignored': {'_isolated': _true},
    'same_subtree ignored': {'_in_one_subtree': _true},
    'trees combined before 1.29': {'_one_provider_per_tree': _true},
    'no sharing across trees': {
        'World.trees_shared_with': lambda world, uuid: set()},
    'unsuffixed group from one provider': {
        'group_requests': _unsuffixed_from_one_provider},
    'summaries without the rest of the trees': {
        '_summaries': _summaries_of_used_only},
}


@contextlib.contextmanager
def _planted(replacements):
    with contextlib.ExitStack() as stack:
        for name, replacement in replacements.items():
            owner = reference
            if '.' in name:
                owner_name, name = name.split('.')
                owner = getattr(reference, owner_name)
            stack.enter_context(mock.patch.object(owner, name, replacement))
        yield


def _all_queries(cases):
    for world_number in range(WORLDS):
        seed = _seed(world_number)
        _, world, _ = random_world(seed)
        for version, params in queries(
                seed, world, _count_for(world_number, cases)):
            yield world, version, params


def test_generator_exercises_every_rule():
    cases = [(world, version, params,
              reference.search(world, params, version))
             for world, version, params in _all_queries(
                 max(CASES, DEFAULT_CASES))]
    sizes = [len(answer.requests) for _, _, _, answer in cases]
    non_empty = sum(1 for size in sizes if size)
    assert non_empty >= 0.3 * len(cases), (
        'only %d of %d queries have candidates' % (non_empty, len(cases)))
    assert sum(1 for size in sizes if size >= 3) >= 0.1 * len(cases), sizes
    uncaught = []
    for bug, replacements in PLANTED_BUGS.items():
        with _planted(replacements):
            if not any(reference.search(world, params, version) != answer
                       for world, version, params, answer in cases):
                uncaught.append(bug)
    assert not uncaught, (
        'no query tells these planted bugs from the rules: %s'
        % ', '.join(uncaught))
