"""Side by side with OpenStack Placement 16.0.0: the inventories of a
provider, every route and every error each can give, at the microversions
where behaviour forks (1.5 DELETE of all inventories, 1.15 cache headers,
1.22/1.23 error codes, 1.25/1.26 inventories that reserve all of their
total), and successes compared field by field. See side_by_side.py for
how the comparison works."""
from tests.functional.side_by_side import Catalogue
from tests.functional.side_by_side import Request

RP = '6f1c2a3b-4d5e-4f60-8a71-9b2c3d4e5f60'
MISSING = '0e9d8c7b-6a59-4e48-b372-6150f4e3d2c1'
CONSUMER = '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f'
INVENTORIES = '/resource_providers/%s/inventories' % RP
MISSING_INVENTORIES = '/resource_providers/%s/inventories' % MISSING
# Error codes come with 1.23: errors are asked for on both sides of it.
BEFORE_CODES, WITH_CODES = '1.22', '1.23'
# From 1.26 an inventory may reserve all of its total.
BEFORE_ZERO, WITH_ZERO = '1.25', '1.26'
LATEST = '1.39'


def _at_both_forks(request_id, method, path, **kwargs):
    """The request at 1.22 and at 1.23, when error codes appear."""
    return [Request('%s-%s' % (request_id, version), method, path,
                    version=version, **kwargs)
            for version in (BEFORE_CODES, WITH_CODES)]


def _one(resource_class, provider_inventories=INVENTORIES):
    return '%s/%s' % (provider_inventories, resource_class)


def _post(request_id, version=WITH_CODES, **fields):
    return Request(request_id, 'POST', INVENTORIES, version=version,
                   body=fields)


def _put_one(request_id, path_class, generation, version=WITH_CODES,
             **fields):
    return Request(request_id, 'PUT', _one(path_class), version=version,
                   body=dict(fields, resource_provider_generation=generation))


def _put_all(request_id, generation, inventories, version=WITH_CODES):
    return Request(request_id, 'PUT', INVENTORIES, version=version,
                   body={'resource_provider_generation': generation,
                         'inventories': inventories})


MISSING_PROVIDER = [
    *_at_both_forks('missing-list', 'GET', MISSING_INVENTORIES),
    *_at_both_forks('missing-create', 'POST', MISSING_INVENTORIES,
                    body={'resource_class': 'VCPU', 'total': 1}),
    *_at_both_forks('missing-replace', 'PUT', MISSING_INVENTORIES,
                    body={'resource_provider_generation': 0,
                          'inventories': {}}),
    *_at_both_forks('missing-delete-all', 'DELETE', MISSING_INVENTORIES),
    *_at_both_forks('missing-show', 'GET', _one('VCPU', MISSING_INVENTORIES)),
    *_at_both_forks('missing-update', 'PUT',
                    _one('VCPU', MISSING_INVENTORIES),
                    body={'resource_provider_generation': 0, 'total': 1}),
    *_at_both_forks('missing-delete', 'DELETE',
                    _one('VCPU', MISSING_INVENTORIES)),
    # The provider is looked up before the body is judged.
    Request('missing-create-bad-body', 'POST', MISSING_INVENTORIES,
            version=WITH_CODES, body={'total': 'x'}),
    Request('missing-update-bad-body', 'PUT',
            _one('VCPU', MISSING_INVENTORIES), version=WITH_CODES,
            body={'total': 'x'}),
    Request('missing-replace-bad-body', 'PUT', MISSING_INVENTORIES,
            version=WITH_CODES, body={'x': 1}),
    # The media type is judged before the provider is looked up.
    Request('missing-replace-as-text', 'PUT', MISSING_INVENTORIES,
            version=WITH_CODES, raw='{}', content_type='text/plain'),
    Request('missing-update-without-content-type', 'PUT',
            _one('VCPU', MISSING_INVENTORIES), version=WITH_CODES,
            raw='{}'),
    Request('malformed-uuid-list', 'GET',
            '/resource_providers/not-a-uuid/inventories', version=LATEST),
    Request('malformed-uuid-create', 'POST',
            '/resource_providers/not-a-uuid/inventories', version=LATEST,
            body={'resource_class': 'VCPU', 'total': 1}),
]

# Provider generations: 0 when made, and one more on each write that
# succeeds; the comments say where it stands.
CREATE = [
    Request('create-provider', 'POST', '/resource_providers',
            version='1.20', body={'name': 'inventories', 'uuid': RP}),
    Request('list-empty', 'GET', INVENTORIES, version='1.0'),
    Request('list-empty-cached', 'GET', INVENTORIES, version='1.15'),
    _post('create-1.0', version='1.0', resource_class='VCPU', total=8),
    _post('create-every-field', version='1.15',
          resource_class='MEMORY_MB', total=1024, reserved=512, min_unit=2,
          max_unit=512, step_size=2, allocation_ratio=1.5),
    # The generation is allowed and ignored: generation 3.
    _post('create-with-generation', resource_class='DISK_GB', total=10,
          resource_provider_generation=99),
    _post('create-reserving-all-1.26', version=WITH_ZERO,
          resource_class='PCI_DEVICE', total=8, reserved=8),
    _post('create-zero-ratio-1.26', version=WITH_ZERO,
          resource_class='SRIOV_NET_VF', total=8, allocation_ratio=0),
    # Generation 5.
    *[_post('create-duplicate-%s' % version, version=version,
            resource_class='VCPU', total=8)
      for version in (BEFORE_CODES, WITH_CODES)],
    *[_post('create-unknown-class-%s' % version, version=version,
            resource_class='CUSTOM_NOPE', total=8)
      for version in (BEFORE_CODES, WITH_CODES)],
    _post('create-class-longer-than-a-name', resource_class='A' * 256,
          total=8),
    *[_post('create-reserved-over-total-%s' % version, version=version,
            resource_class='IPV4_ADDRESS', total=8, reserved=9)
      for version in (BEFORE_CODES, BEFORE_ZERO, WITH_ZERO)],
    _post('create-reserving-all-1.25', version=BEFORE_ZERO,
          resource_class='IPV4_ADDRESS', total=8, reserved=8),
    _post('create-zero-ratio-1.25', version=BEFORE_ZERO,
          resource_class='IPV4_ADDRESS', total=8, allocation_ratio=0),
    # A capacity of 0.5 is 0 whole units.
    _post('create-capacity-below-one-1.25', version=BEFORE_ZERO,
          resource_class='IPV4_ADDRESS', total=1, allocation_ratio=0.5),
    _post('create-negative-ratio-1.25', version=BEFORE_ZERO,
          resource_class='IPV4_ADDRESS', total=8, allocation_ratio=-1),
    _post('create-negative-ratio-1.26', version=WITH_ZERO,
          resource_class='IPV4_ADDRESS', total=8, allocation_ratio=-1),
    # The capacity is judged before the class is looked up.
    _post('create-unknown-class-reserved-over-total',
          resource_class='CUSTOM_NOPE', total=8, reserved=9),
    _post('create-without-total', resource_class='IPV4_ADDRESS'),
    _post('create-without-class', total=1),
    _post('create-lower-case-class', resource_class='lower', total=1),
    _post('create-empty-class', resource_class='', total=1),
    _post('create-class-not-string', resource_class=5, total=1),
    _post('create-extra-field', resource_class='IPV4_ADDRESS', total=1,
          colour='red'),
    _post('create-total-zero', resource_class='IPV4_ADDRESS', total=0),
    _post('create-total-string', resource_class='IPV4_ADDRESS', total='1'),
    _post('create-total-fraction', resource_class='IPV4_ADDRESS',
          total=1.5),
    _post('create-total-beyond-integer', resource_class='IPV4_ADDRESS',
          total=2147483648),
    _post('create-reserved-negative', resource_class='IPV4_ADDRESS',
          total=1, reserved=-1),
    _post('create-min-unit-zero', resource_class='IPV4_ADDRESS', total=1,
          min_unit=0),
    _post('create-max-unit-zero', resource_class='IPV4_ADDRESS', total=1,
          max_unit=0),
    _post('create-step-size-zero', resource_class='IPV4_ADDRESS', total=1,
          step_size=0),
    _post('create-ratio-string', resource_class='IPV4_ADDRESS', total=1,
          allocation_ratio='1'),
    _post('create-ratio-beyond-float', resource_class='IPV4_ADDRESS',
          total=1, allocation_ratio=1e39),
    Request('create-not-object', 'POST', INVENTORIES, version=WITH_CODES,
            body=[1, 2]),
    Request('create-malformed-json', 'POST', INVENTORIES,
            version=WITH_CODES, raw='{', content_type='application/json'),
    Request('create-empty-body', 'POST', INVENTORIES, version=WITH_CODES,
            raw='', content_type='application/json'),
]

READ = [
    Request('list', 'GET', INVENTORIES, version=WITH_CODES),
    Request('list-cached', 'GET', INVENTORIES, version='1.15'),
    Request('show-1.0', 'GET', _one('VCPU'), version='1.0'),
    Request('show-cached', 'GET', _one('MEMORY_MB'), version='1.15'),
    *_at_both_forks('show-lacking', 'GET', _one('NUMA_SOCKET')),
    Request('show-unknown-class', 'GET', _one('CUSTOM_NOPE'),
            version=WITH_CODES),
    Request('show-malformed-class', 'GET', _one('lower'),
            version=WITH_CODES),
]

UPDATE_ONE = [
    _put_one('update', 'VCPU', 5, version='1.15', total=16),
    # Generation 6.
    *[_put_one('update-stale-%s' % version, 'VCPU', 0, version=version,
               total=16)
      for version in (BEFORE_CODES, WITH_CODES)],
    # The generation is checked first.
    _put_one('update-stale-unknown-class', 'CUSTOM_NOPE', 0, total=1,
             reserved=2),
    _put_one('update-stale-reserved-over-total', 'VCPU', 0, total=1,
             reserved=2),
    _put_one('update-negative-generation', 'VCPU', -1, total=1),
    _put_one('update-generation-beyond-integer', 'VCPU', 2 ** 40, total=1),
    Request('update-without-generation', 'PUT', _one('VCPU'),
            version=WITH_CODES, body={'total': 16}),
    _put_one('update-null-generation', 'VCPU', None, total=16),
    _put_one('update-naming-class', 'VCPU', 6, total=16,
             resource_class='VCPU'),
    *[_put_one('update-lacking-%s' % version, 'NUMA_SOCKET', 6,
               version=version, total=1)
      for version in (BEFORE_CODES, WITH_CODES)],
    *[_put_one('update-unknown-class-%s' % version, 'CUSTOM_NOPE', 6,
               version=version, total=1)
      for version in (BEFORE_CODES, WITH_CODES)],
    _put_one('update-malformed-class', 'lower', 6, total=1),
    *[_put_one('update-reserved-over-total-%s' % version, 'VCPU', 6,
               version=version, total=16, reserved=17)
      for version in (BEFORE_CODES, BEFORE_ZERO, WITH_ZERO)],
    _put_one('update-reserving-all-1.25', 'VCPU', 6, version=BEFORE_ZERO,
             total=16, reserved=16),
    _put_one('update-negative-ratio', 'VCPU', 6, version=WITH_ZERO,
             total=16, allocation_ratio=-1),
    # The capacity before the class and the inventory.
    _put_one('update-lacking-reserved-over-total', 'NUMA_SOCKET', 6,
             total=1, reserved=2),
    _put_one('update-unknown-class-reserved-over-total', 'CUSTOM_NOPE', 6,
             total=1, reserved=2),
    _put_one('update-reserving-all-1.26', 'VCPU', 6, version=WITH_ZERO,
             total=16, reserved=16),
    # Generation 7.
]

REPLACE = [
    _put_all('replace', 7, {'VCPU': {'total': 8},
                            'MEMORY_MB': {'total': 1024, 'reserved': 512},
                            'DISK_GB': {'total': 100}}),
    # Generation 8.
    *[_put_all('replace-stale-%s' % version, 0, {}, version=version)
      for version in (BEFORE_CODES, WITH_CODES)],
    _put_all('replace-stale-unknown-class', 0,
             {'CUSTOM_NOPE': {'total': 1}}),
    _put_all('replace-stale-reserved-over-total', 0,
             {'VCPU': {'total': 1, 'reserved': 2}}),
    _put_all('replace-negative-generation', -1, {}),
    _put_all('replace-null-generation', None, {}),
    _put_all('replace-string-generation', '8', {}),
    Request('replace-without-generation', 'PUT', INVENTORIES,
            version=WITH_CODES, body={'inventories': {}}),
    Request('replace-without-inventories', 'PUT', INVENTORIES,
            version=WITH_CODES, body={'resource_provider_generation': 8}),
    Request('replace-extra-field', 'PUT', INVENTORIES, version=WITH_CODES,
            body={'resource_provider_generation': 8, 'inventories': {},
                  'x': 1}),
    _put_all('replace-inventories-list', 8, []),
    _put_all('replace-entry-without-total', 8, {'VCPU': {}}),
    _put_all('replace-entry-not-object', 8, {'VCPU': 8}),
    _put_all('replace-entry-extra-field', 8,
             {'VCPU': {'total': 8, 'colour': 'red'}}),
    _put_all('replace-entry-total-zero', 8, {'VCPU': {'total': 0}}),
    *[_put_all('replace-unknown-class-%s' % version, 8,
               {'CUSTOM_NOPE': {'total': 1}}, version=version)
      for version in (BEFORE_CODES, WITH_CODES)],
    # The first unknown class that the request names.
    _put_all('replace-two-unknown-classes', 8,
             {'CUSTOM_B': {'total': 1}, 'CUSTOM_A': {'total': 1}}),
    _put_all('replace-lower-case-class', 8, {'lower': {'total': 1}}),
    _put_all('replace-empty-class', 8, {'': {'total': 1}}),
    *[_put_all('replace-reserved-over-total-%s' % version, 8,
               {'VCPU': {'total': 1, 'reserved': 2}}, version=version)
      for version in (BEFORE_CODES, BEFORE_ZERO, WITH_ZERO)],
    # The first bad inventory that the request names.
    _put_all('replace-two-reserved-over-total', 8,
             {'VCPU': {'total': 1, 'reserved': 2},
              'DISK_GB': {'total': 1, 'reserved': 2}}),
    _put_all('replace-reserving-all-1.25', 8,
             {'VCPU': {'total': 1, 'reserved': 1}}, version=BEFORE_ZERO),
    _put_all('replace-negative-ratio', 8,
             {'VCPU': {'total': 1, 'allocation_ratio': -1}},
             version=WITH_ZERO),
    # The capacity before the classes.
    _put_all('replace-unknown-class-reserved-over-total', 8,
             {'CUSTOM_B': {'total': 1},
              'VCPU': {'total': 1, 'reserved': 2}}),
    _put_all('replace-reserving-all-1.26', 8,
             {'VCPU': {'total': 8}, 'MEMORY_MB': {'total': 1024},
              'DISK_GB': {'total': 100, 'reserved': 100},
              'IPV4_ADDRESS': {'total': 10}},
             version=WITH_ZERO),
    # Generation 9.
]

IN_USE = [
    Request('allocate', 'PUT', '/allocations/%s' % CONSUMER, version='1.28',
            body={'allocations': {RP: {'resources': {
                'VCPU': 2, 'MEMORY_MB': 10, 'IPV4_ADDRESS': 1}}},
                'project_id': 'p', 'user_id': 'u',
                'consumer_generation': None}),
    # Generation 10.
    *[_put_all('replace-removing-used-%s' % version, 10,
               {'MEMORY_MB': {'total': 1024}, 'IPV4_ADDRESS': {'total': 10}},
               version=version)
      for version in (BEFORE_CODES, WITH_CODES)],
    # Named in the order of their classes' ids.
    _put_all('replace-removing-several-used', 10,
             {'DISK_GB': {'total': 100}}),
    _put_all('replace-removing-used-unknown-class', 10,
             {'CUSTOM_NOPE': {'total': 1}}),
    *_at_both_forks('delete-all-used', 'DELETE', INVENTORIES),
    *_at_both_forks('delete-used', 'DELETE', _one('VCPU')),
    # Less than is used stays allowed.
    _put_all('replace-shrinking-under-usage', 10,
             {'VCPU': {'total': 1}, 'MEMORY_MB': {'total': 5},
              'IPV4_ADDRESS': {'total': 10}}),
    _put_one('update-shrinking-under-usage', 'MEMORY_MB', 11, total=1),
    Request('usages-over-capacity', 'GET',
            '/resource_providers/%s/usages' % RP, version=WITH_CODES),
    # Generation 12.
]

DELETE = [
    *_at_both_forks('delete-lacking', 'DELETE', _one('NUMA_SOCKET')),
    Request('delete-unknown-class', 'DELETE', _one('CUSTOM_NOPE'),
            version=WITH_CODES),
    Request('delete-malformed-class', 'DELETE', _one('lower'),
            version=WITH_CODES),
    Request('release', 'DELETE', '/allocations/%s' % CONSUMER,
            version=WITH_CODES),
    Request('delete', 'DELETE', _one('MEMORY_MB'), version=WITH_CODES),
    Request('show-deleted', 'GET', _one('MEMORY_MB'), version=WITH_CODES),
    Request('delete-all-1.4', 'DELETE', INVENTORIES, version='1.4'),
    Request('delete-all', 'DELETE', INVENTORIES, version='1.5'),
    Request('list-after-delete-all', 'GET', INVENTORIES, version=LATEST),
]

POLICY = [
    *_at_both_forks('non-admin-list', 'GET', INVENTORIES, token='alice'),
    Request('non-admin-create', 'POST', INVENTORIES, version=LATEST,
            token='alice', body={'resource_class': 'VCPU', 'total': 1}),
    Request('non-admin-replace', 'PUT', INVENTORIES, version=LATEST,
            token='alice',
            body={'resource_provider_generation': 0, 'inventories': {}}),
    Request('non-admin-delete-all', 'DELETE', INVENTORIES, version=LATEST,
            token='alice'),
    Request('non-admin-show', 'GET', _one('VCPU'), version=LATEST,
            token='alice'),
    Request('non-admin-update', 'PUT', _one('VCPU'), version=LATEST,
            token='alice', body={'resource_provider_generation': 0,
                                 'total': 1}),
    Request('non-admin-delete', 'DELETE', _one('VCPU'), version=LATEST,
            token='alice'),
    # Policy before the provider is looked up.
    Request('non-admin-missing-provider', 'GET', MISSING_INVENTORIES,
            version=LATEST, token='alice'),
]

# Last, since upstream takes them and its provider's generation moves on.
DIVERGING = [
    _post('create-total-whole-float', resource_class='VCPU', total=8.0),
    _put_all('replace-whole-float-generation', 15.0, {}),
    _post('create-ratio-below-float', resource_class='IPV4_ADDRESS',
          total=1, reserved=1, allocation_ratio=-1e39, version=WITH_ZERO),
    Request('create-ratio-negative-infinity', 'POST', INVENTORIES,
            version=WITH_ZERO, content_type='application/json',
            raw='{"resource_class": "IPV4_ADDRESS", "total": 1, '
                '"allocation_ratio": -1e999}'),
]

WHOLE_FLOAT = (
    "integers are integers: a whole float (8.0) where the schema says "
    "integer is refused (400, jsonschema's \"is not of type 'integer'\"); "
    "upstream takes it and echoes 8.0 back")
DUPLICATE = (
    "a second inventory of a class: upstream's detail is its database's "
    'IntegrityError (backend-specific SQL text); ours names the provider '
    'and the class. Status, title and code are the same')


class TestSideBySideInventories(Catalogue):
    REQUESTS = (MISSING_PROVIDER + CREATE + READ + UPDATE_ONE + REPLACE
                + IN_USE + DELETE + POLICY + DIVERGING)
    DELIBERATE_DIFFERENCES = {
        'create-total-whole-float': WHOLE_FLOAT,
        'replace-whole-float-generation': WHOLE_FLOAT,
        'create-duplicate-1.22': DUPLICATE,
        'create-duplicate-1.23': DUPLICATE,
        'create-ratio-below-float': (
            'an allocation ratio below what a FLOAT column holds '
            '(-3.40282e+38), in an inventory whose capacity is 0: upstream '
            'stores it (201 on SQLite; beyond the column elsewhere); ours '
            'refuses it as it refuses one above, 400 "JSON does not '
            'validate: -1e+39 is less than the minimum of -3.40282e+38"'),
        'create-ratio-negative-infinity': (
            'an allocation ratio of -infinity (-1e999): upstream answers '
            '500 ("cannot convert float infinity to integer"); ours 400, '
            'the minimum of the schema'),
    }
    KNOWN_DIFFERENCES = {}
