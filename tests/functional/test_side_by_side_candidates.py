"""Side by side with OpenStack Placement 16.0.0: GET
/allocation_candidates on flat providers, then with a sharing provider,
then with nested trees, at the microversions where the answer changes,
and its errors. See side_by_side.py for how the comparison works.

Candidates come in no defined order: allocation requests, the providers
of a request before 1.12, mappings and traits are compared as sets.
Randomisation stays off. A limit below the number of candidates picks
some in no defined order, so limits here are compared where they cut
nothing or make an error; the gabbi tests count what a cut leaves.

The set-up: CN1 (VCPU 8, MEMORY_MB 2048, DISK_GB 100, trait
HW_CPU_X86_AVX2, aggregate AGG_1), CN2 (VCPU 4, MEMORY_MB 1024, trait
CUSTOM_FOO, aggregates AGG_1 and AGG_2), CN3 (VCPU 2, all of it
allocated); then SS, sharing DISK_GB 1000 through AGG_1; then a tree
ROOT > NUMA0, NUMA1 (VCPU 4, MEMORY_MB 1024 each, NUMA1 with
CUSTOM_FOO), NUMA0 > FPGA (CUSTOM_FPGA 1), ROOT with DISK_GB 50 and
HW_CPU_X86_AVX2.
"""
import dataclasses
import os
import random

from tests.functional.side_by_side import Catalogue
from tests.functional.side_by_side import Request

CN1 = 'c1000000-0000-4000-8000-000000000001'
CN2 = 'c2000000-0000-4000-8000-000000000002'
CN3 = 'c3000000-0000-4000-8000-000000000003'
SS = '55000000-0000-4000-8000-000000000005'
ROOT = 'e0000000-0000-4000-8000-00000000000e'
NUMA0 = 'e1000000-0000-4000-8000-00000000000e'
NUMA1 = 'e2000000-0000-4000-8000-00000000000e'
FPGA = 'e3000000-0000-4000-8000-00000000000e'
MISSING = 'f0000000-0000-4000-8000-00000000000f'
AGG_1 = 'a1000000-0000-4000-8000-000000000001'
AGG_2 = 'a2000000-0000-4000-8000-000000000002'
CONSUMER = 'c0000000-0000-4000-8000-00000000000c'
LATEST = '1.39'

UNORDERED = ['allocation_requests/*/mappings/*',
             'allocation_requests/*/allocations',
             'provider_summaries/*/traits',
             'allocation_requests']


def _inventory(total, **more):
    return dict({'total': total}, **more)


class _Provider:
    """Set-up requests for one provider, keeping its generation."""

    def __init__(self, key, uuid, parent=None):
        self.key, self.uuid, self.generation = key, uuid, 0
        body = {'name': key, 'uuid': uuid}
        if parent:
            body['parent_provider_uuid'] = parent
        self.requests = [Request('create-%s' % key, 'POST',
                                 '/resource_providers', version='1.20',
                                 body=body)]

    def _put(self, what, body, version='1.19'):
        body = dict(body, resource_provider_generation=self.generation)
        self.generation += 1
        self.requests.append(Request(
            '%s-%s-%d' % (what, self.key, self.generation), 'PUT',
            '/resource_providers/%s/%s' % (self.uuid, what),
            version=version, body=body))
        return self

    def inventories(self, **inventories):
        return self._put('inventories', {'inventories': inventories})

    def traits(self, *names):
        return self._put('traits', {'traits': list(names)})

    def aggregates(self, *uuids):
        return self._put('aggregates', {'aggregates': list(uuids)})


def _candidates(request_id, query, version=LATEST):
    return Request(request_id, 'GET', '/allocation_candidates?' + query,
                   version=version, unordered=UNORDERED)


def _each_version(request_id, query, versions):
    return [_candidates('%s-%s' % (request_id, version), query, version)
            for version in versions]


TRAITS = [Request('trait-%s' % name, 'PUT', '/traits/%s' % name,
                  version='1.6')
          for name in ('CUSTOM_FOO', 'CUSTOM_FPGA_KIND', 'CUSTOM_BAR')]
CLASSES = [Request('class-fpga', 'PUT', '/resource_classes/CUSTOM_FPGA',
                   version='1.7')]

_cn1 = (_Provider('cn1', CN1)
        .inventories(VCPU=_inventory(8), MEMORY_MB=_inventory(2048),
                     DISK_GB=_inventory(100))
        .traits('HW_CPU_X86_AVX2').aggregates(AGG_1))
_cn2 = (_Provider('cn2', CN2)
        .inventories(VCPU=_inventory(4), MEMORY_MB=_inventory(
            1024, max_unit=512))
        .traits('CUSTOM_FOO').aggregates(AGG_1, AGG_2))
_cn3 = _Provider('cn3', CN3).inventories(VCPU=_inventory(2))
FLAT = TRAITS + CLASSES + _cn1.requests + _cn2.requests + _cn3.requests + [
    Request('fill-cn3', 'PUT', '/allocations/%s' % CONSUMER, version='1.28',
            body={'allocations': {CN3: {'resources': {'VCPU': 2}}},
                  'project_id': 'p', 'user_id': 'u',
                  'consumer_generation': None}),
]

FLAT_VERSIONS = ('1.10', '1.12', '1.17', '1.27', '1.29', '1.34')
FLAT_QUERIES = [
    *_each_version('flat-vcpu', 'resources=VCPU:1', FLAT_VERSIONS),
    *_each_version('flat-three', 'resources=VCPU:1,MEMORY_MB:512,'
                   'DISK_GB:10', FLAT_VERSIONS),
    _candidates('flat-max-unit', 'resources=MEMORY_MB:1000'),
    _candidates('flat-none-fits', 'resources=VCPU:100'),
    _candidates('flat-step', 'resources=VCPU:3&limit=5', '1.16'),
    _candidates('flat-required', 'resources=VCPU:1&required='
                'HW_CPU_X86_AVX2', '1.17'),
    _candidates('flat-forbidden', 'resources=VCPU:1&required='
                '!HW_CPU_X86_AVX2', '1.22'),
    _candidates('flat-member-of', 'resources=VCPU:1&member_of=' + AGG_2,
                '1.21'),
    _candidates('flat-member-of-in', 'resources=VCPU:1&member_of=in:%s,%s'
                % (AGG_1, AGG_2), '1.21'),
    _candidates('flat-member-of-repeated', 'resources=VCPU:1&member_of=%s'
                '&member_of=%s' % (AGG_1, AGG_2), '1.24'),
    _candidates('flat-member-of-forbidden', 'resources=VCPU:1&member_of=!'
                + AGG_2, '1.32'),
    _candidates('flat-member-of-unknown', 'resources=VCPU:1&member_of='
                + MISSING, '1.21'),
    _candidates('flat-any-of', 'resources=VCPU:1&required=in:CUSTOM_FOO,'
                'HW_CPU_X86_AVX2', LATEST),
    _candidates('flat-granular-isolate', 'resources1=VCPU:1&resources2='
                'VCPU:1&group_policy=isolate', '1.25'),
    _candidates('flat-granular-none', 'resources1=VCPU:1&resources2='
                'VCPU:1&group_policy=none', '1.25'),
    _candidates('flat-granular-and-unsuffixed', 'resources=MEMORY_MB:256'
                '&resources1=VCPU:1&required1=CUSTOM_FOO&group_policy=none',
                '1.25'),
    _candidates('flat-in-tree', 'resources=VCPU:1&in_tree=' + CN2, '1.31'),
    _candidates('flat-in-tree-missing', 'resources=VCPU:1&in_tree='
                + MISSING, '1.31'),
    _candidates('flat-string-suffix', 'resources_a=VCPU:1&'
                'resources_b=MEMORY_MB:256&group_policy=none', '1.33'),
    _candidates('flat-repeated-resources', 'resources=VCPU:1&'
                'resources=MEMORY_MB:512', '1.17'),
    _candidates('flat-repeated-bad-resources', 'resources=VCPU&'
                'resources=MEMORY_MB:512', '1.17'),
    _candidates('flat-repeated-limit', 'resources=VCPU:1&limit=5&limit=1',
                '1.17'),
    _candidates('flat-root-required', 'resources=VCPU:1&root_required='
                '!CUSTOM_FOO', '1.35'),
]

_ss = (_Provider('ss', SS).inventories(DISK_GB=_inventory(1000))
       .traits('MISC_SHARES_VIA_AGGREGATE').aggregates(AGG_1))
SHARING = _ss.requests
SHARING_QUERIES = [
    *_each_version('share-disk', 'resources=VCPU:1,DISK_GB:10',
                   FLAT_VERSIONS),
    *_each_version('share-only-ss', 'resources=DISK_GB:500',
                   ('1.10', '1.17', '1.29')),
    _candidates('share-required', 'resources=VCPU:1,DISK_GB:10&required='
                'CUSTOM_FOO', '1.17'),
    _candidates('share-forbidden', 'resources=VCPU:1,DISK_GB:10&required='
                '!MISC_SHARES_VIA_AGGREGATE', '1.22'),
    _candidates('share-member-of', 'resources=VCPU:1,DISK_GB:10&member_of='
                + AGG_2, '1.21'),
    _candidates('share-granular', 'resources1=VCPU:1&resources2=DISK_GB:10'
                '&group_policy=isolate', '1.25'),
]

_root = (_Provider('root', ROOT).inventories(DISK_GB=_inventory(50))
         .traits('HW_CPU_X86_AVX2'))
_numa0 = _Provider('numa0', NUMA0, parent=ROOT).inventories(
    VCPU=_inventory(4), MEMORY_MB=_inventory(1024))
_numa1 = (_Provider('numa1', NUMA1, parent=ROOT)
          .inventories(VCPU=_inventory(4), MEMORY_MB=_inventory(1024))
          .traits('CUSTOM_FOO'))
_fpga = _Provider('fpga', FPGA, parent=NUMA0).inventories(
    CUSTOM_FPGA=_inventory(1))
NESTED = _root.requests + _numa0.requests + _numa1.requests + _fpga.requests
NESTED_QUERIES = [
    *_each_version('nested-vcpu-disk', 'resources=VCPU:1,DISK_GB:10',
                   ('1.10', '1.28', '1.29', LATEST)),
    *_each_version('nested-vcpu', 'resources=VCPU:2',
                   ('1.12', '1.28', '1.29', LATEST)),
    _candidates('nested-traits-tree', 'resources=VCPU:1&required='
                'CUSTOM_FOO,HW_CPU_X86_AVX2'),
    _candidates('nested-traits-forbidden', 'resources=VCPU:1&required='
                '!CUSTOM_FOO'),
    _candidates('nested-granular', 'resources1=VCPU:1&resources2=VCPU:1'
                '&group_policy=isolate&in_tree1=%s&in_tree2=%s'
                % (ROOT, ROOT)),
    _candidates('nested-in-tree-alone', 'resources1=VCPU:1&in_tree=' + ROOT),
    _candidates('nested-granular-none', 'resources1=VCPU:2&resources2='
                'VCPU:2&group_policy=none&in_tree1=' + ROOT),
    _candidates('nested-fpga-same-subtree', 'resources_c=VCPU:1&'
                'resources_f=CUSTOM_FPGA:1&group_policy=none&'
                'same_subtree=_c,_f'),
    _candidates('nested-resourceless', 'resources_n=VCPU:1&'
                'required_r=HW_CPU_X86_AVX2&resources_f=CUSTOM_FPGA:1&'
                'group_policy=none&same_subtree=_n,_f,_r'),
    _candidates('nested-root-required', 'resources=VCPU:1&'
                'root_required=HW_CPU_X86_AVX2'),
    _candidates('nested-in-tree', 'resources=VCPU:1,MEMORY_MB:256&'
                'in_tree=' + NUMA1),
    _candidates('nested-summaries-old', 'resources=MEMORY_MB:100', '1.26'),
    # Before 1.29 the summaries of a limited answer are those of every
    # candidate's providers in the trees of the candidates kept: both
    # NUMA nodes, whichever of them a limit of 1 keeps.
    Request('nested-limit-old', 'GET', '/allocation_candidates?'
            'resources=MEMORY_MB:1024&required=!HW_CPU_X86_AVX2&limit=1',
            version='1.28', ignore=['allocation_requests']),
]

# Then: the tree joins AGG_1 (so SS shares with it), NUMA0 has some of
# its VCPU used, and a wide root W has four children with one VF each.
WIDE = 'b0000000-0000-4000-8000-00000000000b'
WIDE_CHILDREN = ['b%d000000-0000-4000-8000-00000000000b' % n
                 for n in range(1, 5)]
_root.aggregates(AGG_1)
_wide = _Provider('wide', WIDE)
_wide_children = [
    _Provider('wide%d' % n, uuid, parent=WIDE).inventories(
        SRIOV_NET_VF=_inventory(1))
    for n, uuid in enumerate(WIDE_CHILDREN)]
MIXED = _root.requests[-1:] + [
    Request('use-numa0', 'PUT', '/allocations/%s' % CONSUMER,
            version='1.28',
            body={'allocations': {NUMA0: {'resources': {'VCPU': 3}}},
                  'project_id': 'p', 'user_id': 'u',
                  'consumer_generation': 1}),
] + _wide.requests + [
    request for child in _wide_children for request in child.requests]
MIXED_QUERIES = [
    *_each_version('mixed-disk-vcpu', 'resources=VCPU:1,DISK_GB:60',
                   ('1.10', '1.28', '1.29')),
    _candidates('mixed-used', 'resources=VCPU:2&in_tree=' + ROOT),
    _candidates('mixed-member-of-root', 'resources=VCPU:1&member_of='
                + AGG_1),
    _candidates('mixed-member-of-granular', 'resources1=VCPU:1&member_of1='
                + AGG_1 + '&group_policy=none'),
    _candidates('mixed-forbidden-aggregate', 'resources=VCPU:1,DISK_GB:1'
                '&member_of=!' + AGG_2),
    _candidates('mixed-sharing-granular', 'resources=VCPU:1&resources1='
                'DISK_GB:10&group_policy=isolate'),
    _candidates('mixed-sharing-in-tree', 'resources=VCPU:1,DISK_GB:10&'
                'in_tree=' + ROOT),
    _candidates('mixed-wide-isolate', 'resources1=SRIOV_NET_VF:1&'
                'resources2=SRIOV_NET_VF:1&resources3=SRIOV_NET_VF:1&'
                'group_policy=isolate'),
    _candidates('mixed-wide-none', 'resources1=SRIOV_NET_VF:1&'
                'resources2=SRIOV_NET_VF:1&group_policy=none'),
    _candidates('mixed-wide-unsuffixed', 'resources=SRIOV_NET_VF:2'),
    _candidates('mixed-wide-limit', 'resources1=SRIOV_NET_VF:1&'
                'resources2=SRIOV_NET_VF:1&group_policy=isolate&limit=12'),
    _candidates('mixed-root-forbidden', 'resources=VCPU:1&root_required='
                '!HW_CPU_X86_AVX2,!CUSTOM_FOO'),
    _candidates('mixed-any-of-granular', 'resources1=VCPU:1&required1='
                'in:CUSTOM_FOO,CUSTOM_BAR&group_policy=none'),
    _candidates('mixed-same-subtree-numa', 'resources_m=MEMORY_MB:128&'
                'resources_c=VCPU:1&group_policy=none&'
                'same_subtree=_m,_c'),
    # A resourceless group with nothing a provider must have finds none.
    _candidates('mixed-resourceless-forbidden-trait', 'resources_a=VCPU:1&'
                'required_b=!HW_CPU_X86_AVX2&group_policy=none&'
                'same_subtree=_a,_b'),
    _candidates('mixed-resourceless-forbidden-aggregate',
                'resources_a=VCPU:1&member_of_b=!%s&group_policy=none&'
                'same_subtree=_a,_b' % AGG_1),
    _candidates('mixed-resourceless-in-tree', 'resources_a=VCPU:1&'
                'in_tree_b=%s&group_policy=none&same_subtree=_a,_b' % ROOT),
]

ERRORS = [
    _candidates('error-no-resources', '', '1.10'),
    _candidates('error-bad-resources', 'resources=VCPU', '1.10'),
    _candidates('error-zero', 'resources=VCPU:0', '1.10'),
    _candidates('error-unknown-class', 'resources=CUSTOM_NOPE:1', '1.10'),
    _candidates('error-unknown-trait', 'resources=VCPU:1&required='
                'CUSTOM_NOPE', '1.17'),
    _candidates('error-unknown-forbidden', 'resources=VCPU:1&required='
                '!CUSTOM_NOPE', '1.22'),
    _candidates('error-limit-early', 'resources=VCPU:1&limit=1', '1.15'),
    _candidates('error-limit-zero', 'resources=VCPU:1&limit=0', '1.16'),
    _candidates('error-required-early', 'resources=VCPU:1&required='
                'CUSTOM_FOO', '1.16'),
    _candidates('error-forbidden-early', 'resources=VCPU:1&required='
                '!CUSTOM_FOO', '1.21'),
    _candidates('error-member-of-repeated', 'resources=VCPU:1&member_of=%s'
                '&member_of=%s' % (AGG_1, AGG_2), '1.23'),
    _candidates('error-member-of-bad', 'resources=VCPU:1&member_of=x',
                '1.21'),
    _candidates('error-suffix-early', 'resources1=VCPU:1', '1.24'),
    _candidates('error-group-policy-missing', 'resources1=VCPU:1&'
                'resources2=VCPU:1', '1.25'),
    _candidates('error-group-policy-bad', 'resources1=VCPU:1&'
                'group_policy=all', '1.25'),
    _candidates('error-orphan-required', 'resources=VCPU:1&required1='
                'CUSTOM_FOO', '1.25'),
    _candidates('error-conflict', 'resources=VCPU:1&required=CUSTOM_FOO,'
                '!CUSTOM_FOO', '1.22'),
    _candidates('error-in-tree-bad', 'resources=VCPU:1&in_tree=x', '1.31'),
    _candidates('error-string-suffix-early', 'resources_a=VCPU:1', '1.32'),
    _candidates('error-root-required-twice', 'resources=VCPU:1&'
                'root_required=CUSTOM_FOO&root_required=CUSTOM_BAR',
                '1.35'),
    _candidates('error-root-required-conflict', 'resources=VCPU:1&'
                'root_required=CUSTOM_FOO,!CUSTOM_FOO', '1.35'),
    _candidates('error-root-required-empty', 'resources=VCPU:1&'
                'root_required=', '1.35'),
    _candidates('error-root-required-any-of', 'resources=VCPU:1&'
                'root_required=in:CUSTOM_FOO,CUSTOM_BAR', LATEST),
    _candidates('error-root-required-bang', 'resources=VCPU:1&'
                'root_required=!', '1.35'),
    _candidates('error-group-policy-twice', 'resources1=VCPU:1&'
                'resources2=VCPU:1&group_policy=none&group_policy=bogus',
                '1.25'),
    _candidates('error-in-tree-twice', 'resources=VCPU:1&in_tree=x&'
                'in_tree=%s' % CN1, '1.31'),
    _candidates('error-same-subtree-unknown', 'resources_a=VCPU:1&'
                'same_subtree=_a,_b', '1.36'),
    _candidates('error-same-subtree-empty', 'resources_a=VCPU:1&'
                'same_subtree=_a,', '1.36'),
    _candidates('error-resourceless-unnamed', 'resources=VCPU:1&'
                'required_a=CUSTOM_FOO', '1.36'),
    _candidates('error-any-of-early', 'resources=VCPU:1&required='
                'in:CUSTOM_FOO,CUSTOM_BAR', '1.38'),
    # The groups are searched in turn; a group that finds nothing ends
    # the search before the names of the next are checked.
    _candidates('error-order-member-of', 'resources=VCPU:1&member_of=%s&'
                'required=CUSTOM_NOPE' % MISSING, '1.21'),
    _candidates('error-order-empty-group', 'resources1=VCPU:100&'
                'resources2=VCPU:1&required2=CUSTOM_NOPE&group_policy=none',
                '1.25'),
    _candidates('error-order-class-first', 'resources=CUSTOM_NOPE:1&'
                'required=CUSTOM_NOPE', '1.17'),
    _candidates('error-unknown-parameter', 'resources=VCPU:1&foo=bar',
                '1.10'),
    Request('error-non-admin', 'GET',
            '/allocation_candidates?resources=VCPU:1', version=LATEST,
            token='alice'),
]


class TestSideBySideCandidates(Catalogue):
    REQUESTS = (FLAT + FLAT_QUERIES + SHARING + SHARING_QUERIES + NESTED
                + NESTED_QUERIES + MIXED + MIXED_QUERIES + ERRORS)
    DELIBERATE_DIFFERENCES = {}
    KNOWN_DIFFERENCES = {}


# Seeded random worlds, each on servers of its own, and random queries:
# trees of a world's shape (mostly flat, deep, ...), with random
# inventories, traits, aggregates, sharing providers of DISK_GB and
# allocations; queries at random microversions with every parameter.
# PLACEMENT_TEST_CANDIDATE_RANDOM_CASES queries in all, shared among the
# worlds. Left out, as their answer is not fixed upstream (see the
# README's deliberate differences): a limit that cuts; granular groups
# beside an unsuffixed group that a sharing provider alone could satisfy
# (see candidates/groups.py), so the unsuffixed group always asks for
# VCPU, which no sharing provider has; and, under isolate, a granular
# group taking a class that the unsuffixed group takes.
RANDOM_CASES = int(os.environ.get('PLACEMENT_TEST_CANDIDATE_RANDOM_CASES',
                                  '360'))
SS2 = '56000000-0000-4000-8000-000000000006'

_CLASSES = ('VCPU', 'MEMORY_MB', 'DISK_GB', 'SRIOV_NET_VF')
_GRANULAR_CLASSES = ('VCPU', 'MEMORY_MB', 'SRIOV_NET_VF', 'DISK_GB')
_TRAITS = ('CUSTOM_FOO', 'CUSTOM_BAR', 'HW_CPU_X86_AVX2')
_AGGREGATES = (AGG_1, AGG_2)
_VERSIONS = ('1.10', '1.12', '1.17', '1.21', '1.22', '1.24', '1.25',
             '1.27', '1.29', '1.31', '1.33', '1.34', '1.35', '1.36',
             '1.39')


@dataclasses.dataclass(frozen=True)
class _Shape:
    """How a random world is drawn."""
    seed: int
    trees: int
    # A provider above the deepest level has, with the chance ``nest``,
    # up to this many children.
    children: int
    depth: int
    nest: float
    # (uuid, aggregate) of each sharing provider of DISK_GB.
    sharing: tuple
    allocations: int
    # Each provider has up to this many classes of inventory.
    classes: int = 2
    # The chance that an inventory has reserved units, an allocation
    # ratio and a step size other than the defaults.
    odd_inventory: float = 0.0


_WORLDS = {
    'flat': _Shape(seed=20261203, trees=8, children=1, depth=1, nest=0.2,
                   sharing=((SS, AGG_1),), allocations=3, classes=3),
    'deep': _Shape(seed=20261204, trees=3, children=2, depth=3, nest=0.9,
                   sharing=((SS, AGG_1),), allocations=4),
    'two-sharing': _Shape(seed=20261205, trees=5, children=2, depth=1,
                          nest=0.5, sharing=((SS, AGG_1), (SS2, AGG_2)),
                          allocations=3),
    'mixed': _Shape(seed=20261206, trees=5, children=3, depth=2, nest=0.5,
                    sharing=((SS, AGG_1), (SS2, AGG_2)), allocations=6,
                    classes=3, odd_inventory=0.3),
}


def _at_least(version, minimum):
    return tuple(map(int, version.split('.'))) >= tuple(
        map(int, minimum.split('.')))


def _random_tree(rng, shape, tree):
    """[(uuid, parent uuid)] of one tree, root first."""
    def uuid(level, number):
        return '%08x-0000-4000-8000-%012x' % (
            0xd0000000 + (level << 20) + (tree << 12) + number, tree)

    root = uuid(0, 0)
    nodes, level_nodes = [(root, None)], [root]
    for level in range(1, shape.depth + 1):
        below = []
        for parent in level_nodes:
            if rng.random() >= shape.nest:
                continue
            for _ in range(rng.randint(1, shape.children)):
                child = uuid(level, len(nodes))
                nodes.append((child, parent))
                below.append(child)
        level_nodes = below
    return nodes


def _random_inventory(rng, shape):
    total = rng.randint(1, 8)
    inventory = _inventory(total, max_unit=rng.randint(2, 8))
    if rng.random() < shape.odd_inventory:
        inventory.update(reserved=rng.randint(0, total - 1),
                         allocation_ratio=rng.choice((1.0, 1.5, 2.0)),
                         step_size=rng.choice((1, 2)))
    return inventory


def _most_allocatable(inventory):
    capacity = int((inventory['total'] - inventory.get('reserved', 0))
                   * inventory.get('allocation_ratio', 1.0))
    return min(capacity, inventory.get('max_unit', inventory['total']))


def _random_provider(rng, shape, uuid, parent):
    """(_Provider, {class: inventory})."""
    provider = _Provider('r%s' % uuid[:8], uuid, parent=parent)
    inventories = {name: _random_inventory(rng, shape)
                   for name in rng.sample(_CLASSES,
                                          rng.randint(0, shape.classes))}
    if inventories:
        provider.inventories(**inventories)
    traits = rng.sample(_TRAITS, rng.randint(0, 2))
    if traits:
        provider.traits(*traits)
    aggregates = rng.sample(_AGGREGATES, rng.randint(0, 1))
    if aggregates:
        provider.aggregates(*aggregates)
    return provider, inventories


def _random_allocations(rng, shape, inventories_by_uuid):
    """Allocations of some room of random providers, each fitting."""
    requests = []
    candidates = [(uuid, inventories) for uuid, inventories
                  in sorted(inventories_by_uuid.items()) if inventories]
    chosen = rng.sample(candidates, min(shape.allocations, len(candidates)))
    for number, (uuid, inventories) in enumerate(chosen):
        name = rng.choice(sorted(inventories))
        inventory = inventories[name]
        step = inventory.get('step_size', 1)
        most = _most_allocatable(inventory)
        if most < step:
            continue
        amount = step * rng.randint(1, most // step)
        requests.append(Request(
            'random-allocation-%d' % number, 'PUT',
            '/allocations/%08x-0000-4000-8000-00000000000c' % number,
            version='1.28',
            body={'allocations': {uuid: {'resources': {name: amount}}},
                  'project_id': 'p', 'user_id': 'u',
                  'consumer_generation': None}))
    return requests


def _random_world(rng, shape):
    """(set-up requests, every provider's uuid)."""
    requests, inventories_by_uuid = list(TRAITS), {}
    for tree in range(shape.trees):
        for uuid, parent in _random_tree(rng, shape, tree):
            provider, inventories = _random_provider(rng, shape, uuid,
                                                     parent)
            requests += provider.requests
            inventories_by_uuid[uuid] = inventories
    for number, (uuid, aggregate) in enumerate(shape.sharing):
        disk = _inventory(100)
        sharing = (_Provider('rshare%d' % number, uuid)
                   .inventories(DISK_GB=disk)
                   .traits('MISC_SHARES_VIA_AGGREGATE').aggregates(aggregate))
        requests += sharing.requests
        inventories_by_uuid[uuid] = {'DISK_GB': disk}
    requests += _random_allocations(rng, shape, inventories_by_uuid)
    return requests, sorted(inventories_by_uuid)


def _random_traits(rng, version):
    chosen = rng.sample(_TRAITS, rng.randint(1, 2))
    if _at_least(version, '1.22') and rng.random() < 0.4:
        chosen[0] = '!' + chosen[0]
    if (_at_least(version, '1.39') and rng.random() < 0.3
            and not chosen[0].startswith('!')):
        return 'in:%s,CUSTOM_BAR' % chosen[0].lstrip('!')
    return ','.join(dict.fromkeys(chosen))


def _random_member_of(rng, version):
    if rng.random() < 0.25:
        return 'in:%s,%s' % _AGGREGATES
    aggregate = rng.choice(_AGGREGATES)
    if _at_least(version, '1.32') and rng.random() < 0.4:
        return '!' + aggregate
    return aggregate


def _random_group(rng, suffix, version, classes, uuids):
    params = [('resources' + suffix, ','.join(
        '%s:%d' % (name, rng.randint(1, 3)) for name in classes))]
    if _at_least(version, '1.17') and rng.random() < 0.3:
        params.append(('required' + suffix, _random_traits(rng, version)))
    if _at_least(version, '1.21') and rng.random() < 0.25:
        params.append(('member_of' + suffix,
                       _random_member_of(rng, version)))
    if _at_least(version, '1.31') and rng.random() < 0.15:
        params.append(('in_tree' + suffix, rng.choice(uuids)))
    return params


def _granular_classes(policy, unsuffixed):
    """The classes granular groups draw from, and the policy: under
    isolate, OpenStack Placement adds a granular group's amount to the
    very object of the unsuffixed group's request when both take one
    class from one provider, and so corrupts the requests it goes on to
    combine, in an order that changes from run to run."""
    classes = list(_GRANULAR_CLASSES)
    if policy == 'isolate':
        classes = [name for name in classes
                   if name not in unsuffixed] or classes
        if set(classes) & set(unsuffixed):
            policy = 'none'
    return classes, policy


def _random_query(rng, version, uuids):
    unsuffixed = ['VCPU'] + rng.sample(_CLASSES[1:], rng.randint(0, 2))
    params = _random_group(rng, '', version, unsuffixed, uuids)
    suffixes = []
    if _at_least(version, '1.25') and rng.random() < 0.6:
        granular_classes, policy = _granular_classes(
            rng.choice(('none', 'isolate')), unsuffixed)
        for number in range(rng.randint(1, 3)):
            suffix = ('_g%d' % number if _at_least(version, '1.33')
                      else str(number + 1))
            suffixes.append(suffix)
            params += _random_group(
                rng, suffix, version, rng.sample(granular_classes, 1), uuids)
        params.append(('group_policy', policy))
    if _at_least(version, '1.35') and rng.random() < 0.2:
        params.append(('root_required', rng.choice(
            ('HW_CPU_X86_AVX2', '!CUSTOM_FOO'))))
    if _at_least(version, '1.36') and suffixes and rng.random() < 0.4:
        subtree = suffixes[:2]
        if rng.random() < 0.4:
            # A group without resources: a trait that a provider of the
            # subtree must have.
            params.append(('required_r', rng.choice(_TRAITS)))
            subtree.append('_r')
        if len(subtree) > 1:
            params.append(('same_subtree', ','.join(subtree)))
    return '&'.join('%s=%s' % pair for pair in params)


def _cases(world):
    """This world's share of RANDOM_CASES."""
    names = sorted(_WORLDS)
    share, rest = divmod(RANDOM_CASES, len(names))
    return share + (names.index(world) < rest)


def _random_catalogue(world):
    shape = _WORLDS[world]
    rng = random.Random(shape.seed)
    requests, uuids = _random_world(rng, shape)
    for number in range(_cases(world)):
        version = rng.choice(_VERSIONS)
        requests.append(_candidates('random-%d' % number,
                                    _random_query(rng, version, uuids),
                                    version))
    return requests


class TestSideBySideRandomFlat(Catalogue):
    REQUESTS = _random_catalogue('flat')
    DELIBERATE_DIFFERENCES = {}
    KNOWN_DIFFERENCES = {}


class TestSideBySideRandomDeep(Catalogue):
    REQUESTS = _random_catalogue('deep')
    DELIBERATE_DIFFERENCES = {}
    KNOWN_DIFFERENCES = {}


class TestSideBySideRandomTwoSharing(Catalogue):
    REQUESTS = _random_catalogue('two-sharing')
    DELIBERATE_DIFFERENCES = {}
    KNOWN_DIFFERENCES = {}


class TestSideBySideRandomMixed(Catalogue):
    REQUESTS = _random_catalogue('mixed')
    DELIBERATE_DIFFERENCES = {}
    KNOWN_DIFFERENCES = {}
