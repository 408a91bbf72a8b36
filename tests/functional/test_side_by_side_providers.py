"""Side by side with OpenStack Placement 16.0.0: resource providers
(create, show, update, delete, list with every filter), their aggregates
and their traits. Every error each handler can answer, at the
microversions where its behaviour forks, and the successes compared field
by field. See side_by_side.py for how the comparison works.

The requests run in order on one database each: a tree A > C > D, roots
B and E (E moved around the trees by the update requests), an inventory
and an allocation on B, aggregates and traits on A.
"""
from tests.functional.side_by_side import Catalogue
from tests.functional.side_by_side import Request

RP_A = '1a0c3f5e-0b1d-4e2f-8a3b-4c5d6e7f8091'
RP_B = '2b1d4a6f-1c2e-4f30-9b4c-5d6e7f809102'
RP_C = '3c2e5b70-2d3f-4041-8c5d-6e7f80910213'
RP_D = '4d3f6c81-3e40-4152-9d6e-7f8091021324'
RP_E = '5e407d92-4f51-4263-8e7f-809102132435'
RP_F = '6f518ea3-5062-4374-9f80-910213243546'
MISSING = '7061a0b4-6173-4485-a091-021324354657'
AGG_1 = 'a1000000-0000-4000-8000-000000000001'
AGG_2 = 'a2000000-0000-4000-8000-000000000002'
AGG_3 = 'a3000000-0000-4000-8000-000000000003'
AGG_4 = 'a4000000-0000-4000-8000-000000000004'
# Only ever written in upper case, and filtered on by no request.
AGG_5 = 'a5000000-0000-4000-8000-000000000005'
CONSUMER = 'c0000000-0000-4000-8000-00000000000c'
LATEST = '1.39'
# Error codes come with 1.23: each error is asked for on both sides.
BEFORE_CODES, WITH_CODES = '1.22', '1.23'
NON_ADMIN = 'alice'


def _rp(uuid, *rest):
    return '/'.join(('/resource_providers', uuid) + rest)


def _at_both_forks(request_id, method, path, **kwargs):
    """The request at 1.22 and at 1.23, when error codes appear."""
    return [Request('%s-%s' % (request_id, version), method, path,
                    version=version, **kwargs)
            for version in (BEFORE_CODES, WITH_CODES)]


def _at_versions(request_id, method, path, versions, **kwargs):
    return [Request('%s-%s' % (request_id, version), method, path,
                    version=version, **kwargs)
            for version in versions]


def _list(request_id, query, version=LATEST, **kwargs):
    path = '/resource_providers' + ('?' + query if query else '')
    return Request(request_id, 'GET', path, version=version,
                   unordered=['resource_providers'], **kwargs)


CREATE = [
    Request('create-a', 'POST', '/resource_providers', version='1.20',
            body={'name': 'alpha', 'uuid': RP_A}),
    # Before 1.20: 201, a Location and no body.
    Request('create-b-1.0', 'POST', '/resource_providers', version='1.0',
            body={'name': 'beta', 'uuid': RP_B}),
    Request('create-c-child-1.14', 'POST', '/resource_providers',
            version='1.14',
            body={'name': 'gamma', 'uuid': RP_C,
                  'parent_provider_uuid': RP_A}),
    Request('create-d-grandchild', 'POST', '/resource_providers',
            version='1.20',
            body={'name': 'delta', 'uuid': RP_D,
                  'parent_provider_uuid': RP_C}),
    Request('create-e-null-parent', 'POST', '/resource_providers',
            version='1.20',
            body={'name': 'epsilon', 'uuid': RP_E.upper(),
                  'parent_provider_uuid': None}),
    *_at_both_forks('create-duplicate-name', 'POST', '/resource_providers',
                    body={'name': 'alpha', 'uuid': RP_F}),
    *_at_both_forks('create-duplicate-uuid', 'POST', '/resource_providers',
                    body={'name': 'other', 'uuid': RP_A}),
    Request('create-duplicate-undashed-uuid', 'POST', '/resource_providers',
            version=LATEST,
            body={'name': 'other', 'uuid': RP_A.replace('-', '')}),
    Request('create-duplicate-name-and-uuid', 'POST', '/resource_providers',
            version=LATEST, body={'name': 'alpha', 'uuid': RP_A}),
    *_at_both_forks('create-no-name', 'POST', '/resource_providers',
                    body={'uuid': RP_F}),
    Request('create-empty-name', 'POST', '/resource_providers',
            version=LATEST, body={'name': '', 'uuid': RP_F}),
    Request('create-long-name', 'POST', '/resource_providers',
            version=LATEST, body={'name': 'n' * 201, 'uuid': RP_F}),
    Request('create-name-number', 'POST', '/resource_providers',
            version=LATEST, body={'name': 5, 'uuid': RP_F}),
    Request('create-name-null', 'POST', '/resource_providers',
            version=LATEST, body={'name': None, 'uuid': RP_F}),
    Request('create-bad-uuid', 'POST', '/resource_providers',
            version=LATEST, body={'name': 'f', 'uuid': 'not-a-uuid'}),
    Request('create-uuid-number', 'POST', '/resource_providers',
            version=LATEST, body={'name': 'f', 'uuid': 5}),
    Request('create-uuid-null', 'POST', '/resource_providers',
            version=LATEST, body={'name': 'f', 'uuid': None}),
    Request('create-extra-property', 'POST', '/resource_providers',
            version=LATEST, body={'name': 'f', 'generation': 0}),
    Request('create-not-object', 'POST', '/resource_providers',
            version=LATEST, body=['f']),
    Request('create-parent-before-1.14', 'POST', '/resource_providers',
            version='1.13',
            body={'name': 'f', 'uuid': RP_F, 'parent_provider_uuid': RP_A}),
    Request('create-bad-parent-uuid', 'POST', '/resource_providers',
            version='1.14',
            body={'name': 'f', 'uuid': RP_F, 'parent_provider_uuid': 'x'}),
    *_at_both_forks('create-missing-parent', 'POST', '/resource_providers',
                    body={'name': 'f', 'uuid': RP_F,
                          'parent_provider_uuid': MISSING}),
    Request('create-own-parent', 'POST', '/resource_providers',
            version=LATEST,
            body={'name': 'f', 'uuid': RP_F, 'parent_provider_uuid': RP_F}),
    # Which error wins.
    Request('create-duplicate-name-missing-parent', 'POST',
            '/resource_providers', version=LATEST,
            body={'name': 'alpha', 'uuid': RP_F,
                  'parent_provider_uuid': MISSING}),
    Request('create-duplicate-uuid-own-parent', 'POST',
            '/resource_providers', version=LATEST,
            body={'name': 'f', 'uuid': RP_A, 'parent_provider_uuid': RP_A}),
    Request('create-empty-name-own-parent', 'POST', '/resource_providers',
            version=LATEST,
            body={'name': '', 'uuid': RP_F, 'parent_provider_uuid': RP_F}),
    *_at_both_forks('create-non-admin', 'POST', '/resource_providers',
                    token=NON_ADMIN, body={'name': 'f'}),
]

SHOW = [
    # Links come with their routes; parent and root with 1.14; cache
    # headers with 1.15.
    *_at_versions('show-a', 'GET', _rp(RP_A),
                  ('1.0', '1.1', '1.6', '1.11', '1.14', '1.15', LATEST)),
    Request('show-child', 'GET', _rp(RP_D), version=LATEST),
    Request('show-created-upper-case', 'GET', _rp(RP_E), version=LATEST),
    *_at_both_forks('show-missing', 'GET', _rp(MISSING)),
    Request('show-not-a-uuid', 'GET', _rp('not-a-uuid'), version=LATEST),
    Request('show-upper-case-path', 'GET', _rp(RP_A.upper()),
            version=LATEST),
    Request('show-missing-no-version', 'GET', _rp(MISSING)),
    *_at_both_forks('show-non-admin', 'GET', _rp(RP_A), token=NON_ADMIN),
]

UPDATE = [
    Request('update-a-1.0', 'PUT', _rp(RP_A), version='1.0',
            body={'name': 'alpha-1'}),
    Request('update-a-1.14', 'PUT', _rp(RP_A), version='1.14',
            body={'name': 'alpha-2'}),
    Request('update-a-1.15', 'PUT', _rp(RP_A), version='1.15',
            body={'name': 'alpha'}),
    Request('update-a-same-name', 'PUT', _rp(RP_A), version=LATEST,
            body={'name': 'alpha'}),
    *_at_both_forks('update-missing', 'PUT', _rp(MISSING),
                    body={'name': 'x'}),
    Request('update-not-a-uuid', 'PUT', _rp('not-a-uuid'), version=LATEST,
            body={'name': 'x'}),
    Request('update-missing-bad-body', 'PUT', _rp(MISSING), version=LATEST,
            body={'nom': 'x'}),
    Request('update-missing-malformed-json', 'PUT', _rp(MISSING),
            version=LATEST, raw='{"name": ', content_type='application/json'),
    Request('update-missing-text', 'PUT', _rp(MISSING), version=LATEST,
            raw='name', content_type='text/plain'),
    *_at_both_forks('update-duplicate-name', 'PUT', _rp(RP_A),
                    body={'name': 'beta'}),
    Request('update-no-name', 'PUT', _rp(RP_A), version=LATEST, body={}),
    Request('update-empty-name', 'PUT', _rp(RP_A), version=LATEST,
            body={'name': ''}),
    # Upstream took the empty name: the name again, on both sides.
    Request('update-name-back', 'PUT', _rp(RP_A), version=LATEST,
            body={'name': 'alpha'}),
    Request('update-long-name', 'PUT', _rp(RP_A), version=LATEST,
            body={'name': 'n' * 201}),
    Request('update-uuid', 'PUT', _rp(RP_A), version=LATEST,
            body={'name': 'alpha', 'uuid': RP_A}),
    Request('update-generation', 'PUT', _rp(RP_A), version=LATEST,
            body={'name': 'alpha', 'generation': 0}),
    Request('update-parent-before-1.14', 'PUT', _rp(RP_E), version='1.13',
            body={'name': 'epsilon', 'parent_provider_uuid': RP_A}),
    Request('update-bad-parent-uuid', 'PUT', _rp(RP_E), version=LATEST,
            body={'name': 'epsilon', 'parent_provider_uuid': 'x'}),
    *_at_both_forks('update-missing-parent', 'PUT', _rp(RP_E),
                    body={'name': 'epsilon',
                          'parent_provider_uuid': MISSING}),
    Request('update-own-parent-1.36', 'PUT', _rp(RP_E), version='1.36',
            body={'name': 'epsilon', 'parent_provider_uuid': RP_E}),
    Request('update-own-parent-1.37', 'PUT', _rp(RP_E), version='1.37',
            body={'name': 'epsilon', 'parent_provider_uuid': RP_E}),
    # A root may be given a parent at any microversion from 1.14.
    Request('update-root-stays-root', 'PUT', _rp(RP_E), version='1.14',
            body={'name': 'epsilon', 'parent_provider_uuid': None}),
    Request('update-root-gets-parent', 'PUT', _rp(RP_E), version='1.14',
            body={'name': 'epsilon', 'parent_provider_uuid': RP_A}),
    Request('update-same-parent', 'PUT', _rp(RP_E), version='1.36',
            body={'name': 'epsilon', 'parent_provider_uuid': RP_A}),
    Request('update-parent-left-out', 'PUT', _rp(RP_E), version='1.36',
            body={'name': 'epsilon'}),
    # Until 1.37 a parent, once set, stays.
    *_at_both_forks('update-reparent', 'PUT', _rp(RP_E),
                    body={'name': 'epsilon', 'parent_provider_uuid': RP_B}),
    Request('update-reparent-1.36', 'PUT', _rp(RP_E), version='1.36',
            body={'name': 'epsilon', 'parent_provider_uuid': RP_B}),
    Request('update-unparent-1.36', 'PUT', _rp(RP_E), version='1.36',
            body={'name': 'epsilon', 'parent_provider_uuid': None}),
    Request('update-reparent-1.37', 'PUT', _rp(RP_E), version='1.37',
            body={'name': 'epsilon', 'parent_provider_uuid': RP_B}),
    Request('update-unparent-1.37', 'PUT', _rp(RP_E), version='1.37',
            body={'name': 'epsilon', 'parent_provider_uuid': None}),
    Request('update-loop-child', 'PUT', _rp(RP_A), version='1.37',
            body={'name': 'alpha', 'parent_provider_uuid': RP_C}),
    Request('update-loop-grandchild', 'PUT', _rp(RP_A), version='1.37',
            body={'name': 'alpha', 'parent_provider_uuid': RP_D}),
    # A subtree moves with its root.
    Request('update-move-subtree', 'PUT', _rp(RP_C), version='1.37',
            body={'name': 'gamma', 'parent_provider_uuid': RP_E}),
    Request('show-moved-grandchild', 'GET', _rp(RP_D), version=LATEST),
    Request('update-move-subtree-back', 'PUT', _rp(RP_C), version='1.37',
            body={'name': 'gamma', 'parent_provider_uuid': RP_A}),
    *_at_both_forks('update-non-admin', 'PUT', _rp(RP_A), token=NON_ADMIN,
                    body={'name': 'alpha'}),
]

# An inventory and an allocation on B, aggregates and traits on A, for
# the filters and for the deletes that they stop.
SET_UP = [
    Request('set-inventory-b', 'PUT', _rp(RP_B, 'inventories'),
            version=LATEST,
            body={'resource_provider_generation': 0,
                  'inventories': {'VCPU': {'total': 8},
                                  'DISK_GB': {'total': 100}}}),
    Request('set-allocation-b', 'PUT', '/allocations/%s' % CONSUMER,
            version='1.28',
            body={'allocations': {RP_B: {'resources': {'VCPU': 6}}},
                  'project_id': 'p', 'user_id': 'u',
                  'consumer_generation': None}),
    Request('create-trait', 'PUT', '/traits/CUSTOM_FAST', version='1.6'),
]

AGGREGATES = [
    *_at_versions('aggregates-none', 'GET', _rp(RP_A, 'aggregates'),
                  ('1.1', '1.15', '1.19')),
    *_at_both_forks('aggregates-missing', 'GET',
                    _rp(MISSING, 'aggregates')),
    Request('aggregates-not-a-uuid', 'GET', _rp('x', 'aggregates'),
            version=LATEST),
    # Before 1.19: a bare list, and the generation stays.
    Request('set-aggregates-1.1', 'PUT', _rp(RP_A, 'aggregates'),
            version='1.1', body=[AGG_3, AGG_1, AGG_2]),
    Request('aggregates-1.1', 'GET', _rp(RP_A, 'aggregates'),
            version='1.1', unordered=['aggregates']),
    Request('set-aggregates-1.18', 'PUT', _rp(RP_A, 'aggregates'),
            version='1.18', body=[AGG_2, AGG_1]),
    Request('set-aggregates-1.19', 'PUT', _rp(RP_A, 'aggregates'),
            version='1.19',
            body={'aggregates': [AGG_2, AGG_4, AGG_1],
                  'resource_provider_generation': 0}),
    Request('aggregates-1.19', 'GET', _rp(RP_A, 'aggregates'),
            version='1.19', unordered=['aggregates']),
    Request('set-aggregates-upper-case', 'PUT', _rp(RP_B, 'aggregates'),
            version=LATEST,
            body={'aggregates': [AGG_5.upper()],
                  'resource_provider_generation': 2}),
    *_at_both_forks('set-aggregates-stale', 'PUT', _rp(RP_A, 'aggregates'),
                    body={'aggregates': [],
                          'resource_provider_generation': 0}),
    *_at_both_forks('set-aggregates-missing', 'PUT',
                    _rp(MISSING, 'aggregates'),
                    body={'aggregates': [],
                          'resource_provider_generation': 0}),
    Request('set-aggregates-missing-1.1', 'PUT', _rp(MISSING, 'aggregates'),
            version='1.1', body=[]),
    Request('set-aggregates-missing-bad-body', 'PUT',
            _rp(MISSING, 'aggregates'), version=LATEST, body=[]),
    Request('set-aggregates-missing-text', 'PUT',
            _rp(MISSING, 'aggregates'), version=LATEST, raw='[]',
            content_type='text/plain'),
    Request('set-aggregates-object-1.18', 'PUT', _rp(RP_A, 'aggregates'),
            version='1.18',
            body={'aggregates': [], 'resource_provider_generation': 1}),
    Request('set-aggregates-list-1.19', 'PUT', _rp(RP_A, 'aggregates'),
            version='1.19', body=[AGG_1]),
    Request('set-aggregates-bad-uuid-1.1', 'PUT', _rp(RP_A, 'aggregates'),
            version='1.1', body=['x']),
    Request('set-aggregates-bad-uuid', 'PUT', _rp(RP_A, 'aggregates'),
            version=LATEST,
            body={'aggregates': ['x'], 'resource_provider_generation': 1}),
    Request('set-aggregates-repeated-1.1', 'PUT', _rp(RP_A, 'aggregates'),
            version='1.1', body=[AGG_1, AGG_1]),
    Request('set-aggregates-repeated', 'PUT', _rp(RP_A, 'aggregates'),
            version=LATEST,
            body={'aggregates': [AGG_1, AGG_1],
                  'resource_provider_generation': 1}),
    Request('set-aggregates-no-generation', 'PUT', _rp(RP_A, 'aggregates'),
            version=LATEST, body={'aggregates': []}),
    Request('set-aggregates-no-aggregates', 'PUT', _rp(RP_A, 'aggregates'),
            version=LATEST, body={'resource_provider_generation': 1}),
    Request('set-aggregates-null-generation', 'PUT',
            _rp(RP_A, 'aggregates'), version=LATEST,
            body={'aggregates': [], 'resource_provider_generation': None}),
    Request('set-aggregates-extra-property', 'PUT', _rp(RP_A, 'aggregates'),
            version=LATEST,
            body={'aggregates': [], 'resource_provider_generation': 1,
                  'x': 1}),
    Request('set-aggregates-generation-too-big', 'PUT',
            _rp(RP_A, 'aggregates'), version=LATEST,
            body={'aggregates': [], 'resource_provider_generation': 2 ** 31}),
    Request('set-aggregates-not-list', 'PUT', _rp(RP_A, 'aggregates'),
            version=LATEST,
            body={'aggregates': AGG_1, 'resource_provider_generation': 1}),
    Request('post-aggregates', 'POST', _rp(RP_A, 'aggregates'),
            version=LATEST, body=[]),
    *_at_both_forks('aggregates-non-admin', 'GET',
                    _rp(RP_A, 'aggregates'), token=NON_ADMIN),
    *_at_both_forks('set-aggregates-non-admin', 'PUT',
                    _rp(RP_A, 'aggregates'), token=NON_ADMIN,
                    body={'aggregates': [],
                          'resource_provider_generation': 1}),
]

TRAITS = [
    *_at_versions('traits-none', 'GET', _rp(RP_A, 'traits'),
                  ('1.6', '1.15')),
    Request('traits-before-1.6', 'GET', _rp(RP_A, 'traits'),
            version='1.5'),
    Request('set-traits-before-1.6', 'PUT', _rp(RP_A, 'traits'),
            version='1.5',
            body={'traits': [], 'resource_provider_generation': 1}),
    Request('delete-traits-before-1.6', 'DELETE', _rp(RP_A, 'traits'),
            version='1.5'),
    *_at_both_forks('traits-missing', 'GET', _rp(MISSING, 'traits')),
    Request('set-traits', 'PUT', _rp(RP_A, 'traits'), version='1.6',
            body={'traits': ['HW_CPU_X86_AVX', 'CUSTOM_FAST'],
                  'resource_provider_generation': 1},
            unordered=['traits']),
    Request('traits-1.6', 'GET', _rp(RP_A, 'traits'), version='1.6',
            unordered=['traits']),
    Request('set-traits-unchanged', 'PUT', _rp(RP_A, 'traits'),
            version=LATEST,
            body={'traits': ['CUSTOM_FAST', 'HW_CPU_X86_AVX'],
                  'resource_provider_generation': 2},
            unordered=['traits']),
    *_at_both_forks('set-traits-stale', 'PUT', _rp(RP_A, 'traits'),
                    body={'traits': [], 'resource_provider_generation': 0}),
    *_at_both_forks('set-traits-unknown', 'PUT', _rp(RP_A, 'traits'),
                    body={'traits': ['CUSTOM_NOPE', 'CUSTOM_FAST'],
                          'resource_provider_generation': 2}),
    # Named once. (Several unknown traits upstream names in the order of
    # a Python set, which varies from process to process; ours in the
    # order given.)
    Request('set-traits-unknown-twice', 'PUT', _rp(RP_A, 'traits'),
            version=LATEST,
            body={'traits': ['CUSTOM_ZZ', 'CUSTOM_FAST', 'CUSTOM_ZZ'],
                  'resource_provider_generation': 2}),
    Request('set-traits-unknown-stale', 'PUT', _rp(RP_A, 'traits'),
            version=LATEST,
            body={'traits': ['CUSTOM_NOPE'],
                  'resource_provider_generation': 0}),
    *_at_both_forks('set-traits-missing', 'PUT', _rp(MISSING, 'traits'),
                    body={'traits': [],
                          'resource_provider_generation': 0}),
    Request('set-traits-missing-bad-body', 'PUT', _rp(MISSING, 'traits'),
            version=LATEST, body={}),
    Request('set-traits-missing-text', 'PUT', _rp(MISSING, 'traits'),
            version=LATEST, raw='{}', content_type='text/plain'),
    Request('set-traits-no-generation', 'PUT', _rp(RP_A, 'traits'),
            version=LATEST, body={'traits': []}),
    Request('set-traits-no-traits', 'PUT', _rp(RP_A, 'traits'),
            version=LATEST, body={'resource_provider_generation': 2}),
    Request('set-traits-not-list', 'PUT', _rp(RP_A, 'traits'),
            version=LATEST,
            body={'traits': 'CUSTOM_FAST', 'resource_provider_generation': 2}),
    Request('set-traits-number', 'PUT', _rp(RP_A, 'traits'),
            version=LATEST,
            body={'traits': [5], 'resource_provider_generation': 2}),
    Request('set-traits-repeated', 'PUT', _rp(RP_A, 'traits'),
            version=LATEST,
            body={'traits': ['CUSTOM_FAST', 'CUSTOM_FAST'],
                  'resource_provider_generation': 2}),
    Request('set-traits-empty-name', 'PUT', _rp(RP_A, 'traits'),
            version=LATEST,
            body={'traits': [''], 'resource_provider_generation': 2}),
    Request('set-traits-extra-property', 'PUT', _rp(RP_A, 'traits'),
            version=LATEST,
            body={'traits': [], 'resource_provider_generation': 2, 'x': 1}),
    Request('set-traits-null-generation', 'PUT', _rp(RP_A, 'traits'),
            version=LATEST,
            body={'traits': [], 'resource_provider_generation': None}),
    Request('set-traits-negative-generation', 'PUT', _rp(RP_A, 'traits'),
            version=LATEST,
            body={'traits': [], 'resource_provider_generation': -1}),
    Request('set-traits-long-name', 'PUT', _rp(RP_A, 'traits'),
            version=LATEST,
            body={'traits': ['CUSTOM_' + 'A' * 249],
                  'resource_provider_generation': 2}),
    Request('set-traits-not-object', 'PUT', _rp(RP_A, 'traits'),
            version=LATEST, body=['CUSTOM_FAST']),
    Request('post-traits', 'POST', _rp(RP_A, 'traits'), version=LATEST,
            body={}),
    *_at_both_forks('traits-non-admin', 'GET', _rp(RP_A, 'traits'),
                    token=NON_ADMIN),
    *_at_both_forks('set-traits-non-admin', 'PUT', _rp(RP_A, 'traits'),
                    token=NON_ADMIN,
                    body={'traits': [], 'resource_provider_generation': 2}),
    *_at_both_forks('delete-traits-non-admin', 'DELETE',
                    _rp(RP_A, 'traits'), token=NON_ADMIN),
    *_at_both_forks('delete-traits-missing', 'DELETE',
                    _rp(MISSING, 'traits')),
    Request('set-traits-c', 'PUT', _rp(RP_C, 'traits'), version=LATEST,
            body={'traits': ['HW_CPU_X86_SSE'],
                  'resource_provider_generation': 0}),
    Request('delete-traits-c', 'DELETE', _rp(RP_C, 'traits'),
            version='1.6'),
    Request('traits-c-deleted', 'GET', _rp(RP_C, 'traits'),
            version=LATEST),
]

LIST = [
    *[_list('list-%s' % version, '', version=version)
      for version in ('1.0', '1.14', '1.15', LATEST)],
    _list('list-name', 'name=alpha'),
    _list('list-name-empty', 'name='),
    _list('list-name-unknown', 'name=nobody'),
    _list('list-name-twice', 'name=alpha&name=beta'),
    _list('list-uuid', 'uuid=%s' % RP_C),
    _list('list-uuid-upper-case', 'uuid=%s' % RP_C.upper()),
    _list('list-uuid-undashed', 'uuid=%s' % RP_C.replace('-', '')),
    _list('list-uuid-bad', 'uuid=x'),
    _list('list-uuid-empty', 'uuid='),
    _list('list-unknown-parameter', 'colour=blue'),
    _list('list-unknown-parameter-1.0', 'colour=blue', version='1.0'),
    # in_tree from 1.14.
    _list('list-in-tree', 'in_tree=%s' % RP_D),
    _list('list-in-tree-1.13', 'in_tree=%s' % RP_A, version='1.13'),
    _list('list-in-tree-missing', 'in_tree=%s' % MISSING),
    _list('list-in-tree-bad', 'in_tree=x'),
    # member_of from 1.3; repeated from 1.24; "!" from 1.32.
    _list('list-member-of', 'member_of=%s' % AGG_1, version='1.3'),
    _list('list-member-of-1.2', 'member_of=%s' % AGG_1, version='1.2'),
    _list('list-member-of-upper-case', 'member_of=%s' % AGG_1.upper()),
    _list('list-member-of-in', 'member_of=in:%s,%s' % (AGG_3, AGG_4),
          version='1.3'),
    _list('list-member-of-list-without-in', 'member_of=%s,%s'
          % (AGG_1, AGG_2)),
    _list('list-member-of-bad', 'member_of=x'),
    _list('list-member-of-in-bad', 'member_of=in:%s,x' % AGG_1),
    _list('list-member-of-empty', 'member_of='),
    _list('list-member-of-twice-1.23', 'member_of=%s&member_of=%s'
          % (AGG_1, AGG_4), version='1.23'),
    _list('list-member-of-twice-1.24', 'member_of=%s&member_of=%s'
          % (AGG_1, AGG_4), version='1.24'),
    _list('list-member-of-forbidden-1.31', 'member_of=!%s' % AGG_4,
          version='1.31'),
    _list('list-member-of-forbidden-1.32', 'member_of=!%s' % AGG_4,
          version='1.32'),
    _list('list-member-of-forbidden-in', 'member_of=!in:%s,%s'
          % (AGG_4, AGG_3)),
    _list('list-member-of-forbidden-and-required', 'member_of=%s'
          '&member_of=!%s' % (AGG_1, AGG_4)),
    # resources from 1.4.
    _list('list-resources', 'resources=VCPU:2', version='1.4'),
    _list('list-resources-too-much', 'resources=VCPU:3'),
    _list('list-resources-two', 'resources=VCPU:1,DISK_GB:100'),
    _list('list-resources-1.3', 'resources=VCPU:1', version='1.3'),
    *[_list('list-resources-unknown-class-%s' % version,
            'resources=CUSTOM_NOPE:1', version=version)
      for version in (BEFORE_CODES, WITH_CODES)],
    _list('list-resources-unknown-classes', 'resources=VCPU:1,'
          'CUSTOM_ZZ:1,CUSTOM_AA:1'),
    _list('list-resources-no-amount', 'resources=VCPU'),
    _list('list-resources-bad-amount', 'resources=VCPU:x'),
    _list('list-resources-zero', 'resources=VCPU:0'),
    _list('list-resources-negative', 'resources=VCPU:-1'),
    _list('list-resources-empty', 'resources='),
    _list('list-resources-repeated-class', 'resources=VCPU:1,VCPU:2'),
    # required from 1.18; "!" from 1.22; "in:" and repeats from 1.39.
    _list('list-required', 'required=CUSTOM_FAST', version='1.18'),
    _list('list-required-two', 'required=CUSTOM_FAST,HW_CPU_X86_AVX'),
    _list('list-required-1.17', 'required=CUSTOM_FAST', version='1.17'),
    *[_list('list-required-unknown-%s' % version, 'required=CUSTOM_NOPE',
            version=version) for version in (BEFORE_CODES, WITH_CODES)],
    # The first unknown trait asked for is named, then a forbidden one;
    # before 1.39 only the last value counts. (Of several unknown traits
    # in one any-of list, or several forbidden, upstream names one in the
    # order of a Python set, which varies from process to process; ours
    # the first in the query.)
    _list('list-required-unknown-order', 'required=CUSTOM_ZZ,CUSTOM_FAST,'
          'CUSTOM_AA'),
    _list('list-required-unknown-forbidden-last',
          'required=!CUSTOM_ZZ,CUSTOM_AA'),
    _list('list-required-unknown-in-first',
          'required=in:CUSTOM_ZZ,CUSTOM_FAST&required=CUSTOM_BB'),
    _list('list-required-unknown-in-last',
          'required=CUSTOM_BB&required=in:CUSTOM_ZZ,CUSTOM_AA'),
    _list('list-required-unknown-last-value-1.38',
          'required=CUSTOM_ZZ&required=CUSTOM_AA', version='1.38'),
    _list('list-required-unknown-and-resources-unknown',
          'resources=CUSTOM_NOPE:1&required=CUSTOM_NOPE'),
    _list('list-required-unknown-and-resources-bad',
          'resources=VCPU:x&required=CUSTOM_NOPE'),
    _list('list-required-empty', 'required='),
    _list('list-required-empty-name', 'required=CUSTOM_FAST,'),
    _list('list-required-forbidden-1.21', 'required=!CUSTOM_FAST',
          version='1.21'),
    _list('list-required-forbidden-1.22', 'required=!CUSTOM_FAST',
          version='1.22'),
    _list('list-required-forbidden-unknown', 'required=!CUSTOM_NOPE'),
    _list('list-required-bang-only', 'required=!'),
    _list('list-required-in-1.38', 'required=in:CUSTOM_FAST,HW_CPU_X86_SSE',
          version='1.38'),
    _list('list-required-in-1.39', 'required=in:CUSTOM_FAST,HW_CPU_X86_SSE',
          version='1.39'),
    _list('list-required-in-forbidden',
          'required=in:CUSTOM_FAST,!HW_CPU_X86_SSE'),
    _list('list-required-twice-1.38',
          'required=CUSTOM_FAST&required=!HW_CPU_X86_AVX', version='1.38'),
    _list('list-required-twice-1.39',
          'required=CUSTOM_FAST&required=!HW_CPU_X86_AVX', version='1.39'),
    _list('list-every-filter', 'name=alpha&uuid=%s&in_tree=%s&member_of=%s'
          '&required=CUSTOM_FAST' % (RP_A, RP_C, AGG_1)),
    *[_list('list-non-admin-%s' % version, '', version=version,
            token=NON_ADMIN) for version in (BEFORE_CODES, WITH_CODES)],
]

DELETE = [
    Request('patch-provider', 'PATCH', _rp(RP_A), version=LATEST,
            body={}),
    *_at_both_forks('delete-missing', 'DELETE', _rp(MISSING)),
    Request('delete-not-a-uuid', 'DELETE', _rp('x'), version=LATEST),
    *_at_both_forks('delete-parent', 'DELETE', _rp(RP_C)),
    *_at_both_forks('delete-with-allocations', 'DELETE', _rp(RP_B)),
    *_at_both_forks('delete-non-admin', 'DELETE', _rp(RP_D),
                    token=NON_ADMIN),
    # A parent with allocations.
    Request('create-f-child-of-b', 'POST', '/resource_providers',
            version=LATEST,
            body={'name': 'phi', 'uuid': RP_F, 'parent_provider_uuid': RP_B}),
    Request('delete-parent-with-allocations', 'DELETE', _rp(RP_B),
            version=LATEST),
    Request('delete-f', 'DELETE', _rp(RP_F), version=LATEST),
    Request('delete-leaf', 'DELETE', _rp(RP_D), version='1.0'),
    Request('show-deleted', 'GET', _rp(RP_D), version=LATEST),
    Request('delete-deleted', 'DELETE', _rp(RP_D), version=LATEST),
    Request('delete-with-traits-and-aggregates', 'DELETE', _rp(RP_E),
            version=LATEST),
    Request('delete-a-after-its-children', 'DELETE', _rp(RP_C),
            version=LATEST),
    Request('delete-a', 'DELETE', _rp(RP_A), version=LATEST),
    _list('list-after-deletes', ''),
    Request('create-braced-uuid', 'POST', '/resource_providers',
            version=LATEST, body={'name': 'braced', 'uuid': '{%s}' % RP_A}),
    Request('create-urn-uuid', 'POST', '/resource_providers',
            version=LATEST,
            body={'name': 'urn', 'uuid': 'urn:uuid:%s' % RP_B}),
    Request('delete-braced', 'DELETE', _rp(RP_A), version=LATEST),
]


REPEATED = (
    'a single-valued query parameter given twice is refused (400 '
    'placement.query.duplicate_key); upstream silently takes the last '
    'value')
UNDASHED = (
    "uuids are taken in any form oslo's is_uuid_like takes, and "
    'normalised (here, without dashes in a query string); upstream refuses '
    'them there')
UUID_FILTER = (
    'uuids in filters are compared in canonical form; upstream compares '
    'them as written (no match on SQLite and PostgreSQL)')
GENERATION_RANGE = (
    'a generation outside 0 to 2147483647 fails the schema (400); '
    'upstream takes any integer and answers 409 for it')


class TestSideBySideProviders(Catalogue):
    REQUESTS = (CREATE + SHOW + UPDATE + SET_UP + AGGREGATES + TRAITS
                + LIST + DELETE)
    DELIBERATE_DIFFERENCES = {
        'list-name-twice': REPEATED,
        'list-uuid-undashed': UNDASHED,
        'update-empty-name':
            'an empty name is refused on update (400, JSON does not '
            "validate: '' should be non-empty) as on create; upstream "
            'stores it',
        'update-move-subtree':
            'upstream answers a PUT that moves a provider with '
            'descendants without Last-Modified; ours sends it from 1.15 '
            'as in every provider answer',
        'set-aggregates-upper-case':
            'aggregate uuids are stored and answered in canonical form '
            '(lower case, dashed), so that one aggregate is one whatever '
            'the case it is written in; upstream keeps them as written',
        'list-uuid-upper-case': UUID_FILTER,
        'list-member-of-upper-case': UUID_FILTER,
        'set-aggregates-generation-too-big': GENERATION_RANGE,
        'set-traits-negative-generation': GENERATION_RANGE,
    }
    KNOWN_DIFFERENCES = {}
