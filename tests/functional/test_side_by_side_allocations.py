"""Side by side with OpenStack Placement 16.0.0: allocations (GET, PUT and
DELETE /allocations/{consumer}, POST /allocations, GET
/resource_providers/{uuid}/allocations) and usages (of a provider, and
GET /usages), every error each can give, at the microversions where
behaviour forks (1.8 owners, 1.9 /usages, 1.12 the dict body, 1.13 POST,
1.15 cache headers, 1.22/1.23 error codes, 1.28 consumer generations,
1.34 mappings, 1.38 consumer types), and successes compared field by
field. See side_by_side.py for how the comparison works."""
from tests.functional.side_by_side import Catalogue
from tests.functional.side_by_side import Request

RP = '5a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d'
RP2 = '5a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2e'
RP_BARE = '5a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2f'
MISSING = '9f8e7d6c-5b4a-4938-8271-6c5d4e3f2a1b'
MISSING2 = '9f8e7d6c-5b4a-4938-8271-6c5d4e3f2a1c'


def _consumer(number):
    return 'c0a1b2c3-d4e5-4f60-8a7b-%012d' % number


C1, C2, C3, C4, C5 = (_consumer(n) for n in range(1, 6))
# Consumers given nothing, or no allocations.
EMPTY1, EMPTY2, EMPTY3 = (_consumer(n) for n in range(11, 14))
# A consumer never written: a refused write for a new consumer leaves it
# behind upstream (see REFUSED_WRITE_LEAVES_CONSUMER), so refused writes
# name C2, which exists, and this one is only read.
UNKNOWN = _consumer(99)
# Each used once, by a refused write at 1.28 that names a new consumer.
NEW = [_consumer(n) for n in range(100, 120)]

BEFORE_CODES, WITH_CODES = '1.22', '1.23'
LATEST = '1.39'
ALLOCATIONS = '/allocations'


def _at_both_forks(request_id, method, path, **kwargs):
    """The request at 1.22 and at 1.23, when error codes appear."""
    return [Request('%s-%s' % (request_id, version), method, path,
                    version=version, **kwargs)
            for version in (BEFORE_CODES, WITH_CODES)]


def _of(consumer):
    return '%s/%s' % (ALLOCATIONS, consumer)


def _provider(uuid, what):
    return '/resource_providers/%s/%s' % (uuid, what)


def _listed(resources, provider=RP, **fields):
    """A body of 1.0 to 1.11: a list of allocations."""
    return dict(fields, allocations=[
        {'resource_provider': {'uuid': provider}, 'resources': resources}])


def _keyed(resources, provider=RP, **fields):
    """A body of 1.12 on, owned by project p and user u."""
    body = {'allocations': {provider: {'resources': resources}},
            'project_id': 'p', 'user_id': 'u'}
    body.update(fields)
    return body


def _with_generation(resources, generation=None, provider=RP, **fields):
    """A body of 1.28 on; no resources releases everything."""
    body = _keyed(resources, provider, consumer_generation=generation,
                  **fields)
    if not resources:
        body['allocations'] = {}
    return body


def _put(request_id, consumer, body, version=WITH_CODES, **kwargs):
    return Request(request_id, 'PUT', _of(consumer), version=version,
                   body=body, **kwargs)


def _post(request_id, body, version=WITH_CODES, **kwargs):
    return Request(request_id, 'POST', ALLOCATIONS, version=version,
                   body=body, **kwargs)


SETUP = [
    Request('create-provider', 'POST', '/resource_providers',
            version='1.20', body={'name': 'allocations', 'uuid': RP}),
    Request('create-provider-2', 'POST', '/resource_providers',
            version='1.20', body={'name': 'allocations-2', 'uuid': RP2}),
    Request('create-provider-bare', 'POST', '/resource_providers',
            version='1.20', body={'name': 'bare', 'uuid': RP_BARE}),
    # A capacity of 6 VCPU; DISK_GB in steps of 5 from 10 to 50.
    Request('inventory', 'PUT', _provider(RP, 'inventories'),
            version=LATEST, body={
                'resource_provider_generation': 0,
                'inventories': {
                    'VCPU': {'total': 4, 'reserved': 1,
                             'allocation_ratio': 2.0},
                    'DISK_GB': {'total': 100, 'min_unit': 10,
                                'max_unit': 50, 'step_size': 5},
                    'MEMORY_MB': {'total': 1024}}}),
    Request('inventory-2', 'PUT', _provider(RP2, 'inventories'),
            version=LATEST, body={'resource_provider_generation': 0,
                                  'inventories': {'VCPU': {'total': 2}}}),
]

READ_NOTHING = [
    *[Request('show-unknown-consumer-%s' % version, 'GET', _of(UNKNOWN),
              version=version)
      for version in ('1.0', '1.12', '1.28', '1.38')],
    Request('show-malformed-consumer', 'GET', _of('not-a-uuid'),
            version=LATEST),
    *_at_both_forks('provider-allocations-missing', 'GET',
                    _provider(MISSING, 'allocations')),
    Request('provider-allocations-malformed', 'GET',
            _provider('not-a-uuid', 'allocations'), version=LATEST),
    Request('provider-allocations-none', 'GET',
            _provider(RP, 'allocations'), version=LATEST),
    *_at_both_forks('provider-usages-missing', 'GET',
                    _provider(MISSING, 'usages')),
    Request('provider-usages-malformed', 'GET',
            _provider('not-a-uuid', 'usages'), version=LATEST),
    Request('provider-usages-none', 'GET', _provider(RP, 'usages'),
            version='1.0'),
]

# Provider generations: RP is at 1 after SETUP, and one more on each
# write that changes its allocations.
WRITE_BY_VERSION = [
    _put('claim-1.0', C1, _listed({'VCPU': 1, 'DISK_GB': 10}),
         version='1.0'),
    *[Request('show-%s' % version, 'GET', _of(C1), version=version)
      for version in ('1.0', '1.12', '1.15', '1.28', '1.38')],
    *[Request('provider-allocations-%s' % version, 'GET',
              _provider(RP, 'allocations'), version=version)
      for version in ('1.0', '1.15', '1.28')],
    Request('provider-usages', 'GET', _provider(RP, 'usages'),
            version='1.15'),
    _put('claim-1.0-with-owner', C1,
         _listed({'VCPU': 1}, project_id='p', user_id='u'), version='1.7'),
    _put('claim-1.8-without-project', C1, _listed({'VCPU': 1}),
         version='1.8'),
    _put('claim-1.8-without-user', C1,
         _listed({'VCPU': 1}, project_id='p'), version='1.8'),
    _put('claim-1.8', C1, _listed({'VCPU': 1}, project_id='p',
                                  user_id='u'), version='1.8'),
    _put('claim-1.11-keyed', C1, _keyed({'VCPU': 1}), version='1.11'),
    _put('claim-1.12-listed', C1,
         _listed({'VCPU': 1}, project_id='p', user_id='u'),
         version='1.12'),
    _put('claim-1.0-nothing', C1, {'allocations': []}, version='1.0'),
    _put('claim-1.12-nothing', C1, dict(_keyed({}), allocations={}),
         version='1.12'),
    _put('claim-1.12', C2, _keyed({'VCPU': 1}), version='1.12'),
    _put('claim-1.27-with-generation', C2,
         _with_generation({'VCPU': 1}, 1), version='1.27'),
    _put('claim-1.28-without-generation', C2, _keyed({'VCPU': 1}),
         version='1.28'),
    _put('claim-1.28-string-generation', C2,
         _with_generation({'VCPU': 1}, '1'), version='1.28'),
    _put('claim-1.28-null-for-existing', C2, _with_generation({'VCPU': 1}),
         version='1.28'),
    _put('claim-null-for-existing-latest', C2,
         _with_generation({'VCPU': 1}, consumer_type='INSTANCE'),
         version=LATEST),
    _put('claim-1.28-number-for-new', NEW[0],
         _with_generation({'VCPU': 1}, 0), version='1.28'),
    _put('claim-1.28-wrong-number', C2, _with_generation({'VCPU': 1}, 7),
         version='1.28'),
    _put('claim-1.28-negative-generation', C2,
         _with_generation({'VCPU': 1}, -1), version='1.28'),
    _put('claim-1.28', C2, _with_generation({'VCPU': 2}, 1),
         version='1.28'),
    # C2 is at generation 2.
    _put('claim-1.33-mappings', C3,
         _with_generation({'VCPU': 1}, mappings={'': [RP]}),
         version='1.33'),
    _put('claim-1.34-mappings', C3,
         _with_generation({'VCPU': 1}, mappings={'': [RP]}),
         version='1.34'),
    # C3 is at generation 1.
    *[_put('claim-1.34-mappings-%s' % name, C3,
           _with_generation({'VCPU': 1}, 7, mappings=mappings),
           version='1.34')
      for name, mappings in (('empty', {}), ('list', []),
                             ('group-not-list', {'_a': 'x'}),
                             ('group-empty', {'_a': []}),
                             ('group-not-uuid', {'_a': ['x']}),
                             ('long-group-not-list', {'a' * 65: 'x'}),
                             ('odd-group-not-list', {'a!': 'x'}),
                             # Keys unlike a suffix are taken as they are.
                             ('unsuffixed-not-list', {'': 'x'}),
                             ('symbol-not-list', {'!': 'x'}))],
    _put('claim-1.37-consumer-type', C3,
         _with_generation({'VCPU': 1}, 1, consumer_type='INSTANCE'),
         version='1.37'),
    _put('claim-1.38-without-type', C3, _with_generation({'VCPU': 1}, 1),
         version='1.38'),
    *[_put('claim-1.38-type-%s' % name, C3,
           _with_generation({'VCPU': 1}, 1, consumer_type=value),
           version='1.38')
      for name, value in (('lower-case', 'instance'), ('empty', ''),
                          ('long', 'A' * 256), ('number', 5))],
    _put('claim-1.38', C3,
         _with_generation({'VCPU': 1}, 1, consumer_type='INSTANCE'),
         version='1.38'),
    # C3 is at generation 2.
    Request('show-typed', 'GET', _of(C3), version='1.38'),
    Request('show-untyped', 'GET', _of(C2), version='1.38'),
    Request('show-typed-1.37', 'GET', _of(C3), version='1.37'),
    Request('provider-allocations-typed', 'GET',
            _provider(RP, 'allocations'), version='1.38'),
]

# Refused writes name C2, which holds 2 VCPU on RP; no generation check
# before 1.28.
REFUSED = [
    *_at_both_forks('claim-missing-provider', 'PUT', _of(C2),
                    body=_keyed({'VCPU': 1}, provider=MISSING)),
    _put('claim-missing-provider-listed', C2,
         _listed({'VCPU': 1}, provider=MISSING), version='1.0'),
    # The first missing provider that the request names.
    _put('claim-two-missing-providers', C2, dict(_keyed({}), allocations={
        MISSING2: {'resources': {'VCPU': 1}},
        MISSING: {'resources': {'VCPU': 1}}})),
    # Missing providers before unknown classes.
    _put('claim-unknown-class-then-missing-provider', C2,
         dict(_keyed({}), allocations={
             RP: {'resources': {'CUSTOM_NOPE': 1}},
             MISSING: {'resources': {'VCPU': 1}}})),
    *_at_both_forks('claim-unknown-class', 'PUT', _of(C2),
                    body=_keyed({'CUSTOM_NOPE': 1})),
    _put('claim-two-unknown-classes', C2,
         _keyed({'CUSTOM_B': 1, 'CUSTOM_A': 1})),
    _put('claim-class-longer-than-a-name', C2, _keyed({'A' * 256: 1})),
    *_at_both_forks('claim-no-inventory', 'PUT', _of(C2),
                    body=_keyed({'PCI_DEVICE': 1})),
    # A provider with no inventory of any class asked for is named with
    # every class asked for, in upstream's order.
    _put('claim-no-inventory-of-any', C2,
         _keyed({'PCI_DEVICE': 1, 'IPV4_ADDRESS': 1})),
    _put('claim-bare-provider', C2,
         _keyed({'VCPU': 1, 'MEMORY_MB': 1}, provider=RP_BARE)),
    _put('claim-no-inventory-of-some', C2,
         _keyed({'VCPU': 1, 'PCI_DEVICE': 1, 'IPV4_ADDRESS': 1})),
    _put('claim-no-inventory-across-providers', C2,
         dict(_keyed({}), allocations={
             RP2: {'resources': {'MEMORY_MB': 1}},
             RP: {'resources': {'PCI_DEVICE': 1}}})),
    *_at_both_forks('claim-below-min-unit', 'PUT', _of(C2),
                    body=_keyed({'DISK_GB': 5})),
    _put('claim-above-max-unit', C2, _keyed({'DISK_GB': 55})),
    _put('claim-off-step', C2, _keyed({'DISK_GB': 12})),
    _put('claim-beyond-integer', C2, _keyed({'VCPU': 2147483648})),
    *_at_both_forks('claim-over-capacity', 'PUT', _of(C2),
                    body=_keyed({'VCPU': 7})),
    # The first allocation that does not fit, in the request's order.
    _put('claim-two-over-capacity', C2,
         _keyed({'MEMORY_MB': 2000, 'VCPU': 50})),
    _put('claim-two-over-capacity-other-order', C2,
         _keyed({'VCPU': 50, 'MEMORY_MB': 2000})),
    _put('claim-over-capacity-across-providers', C2,
         dict(_keyed({}), allocations={
             RP2: {'resources': {'VCPU': 3}},
             RP: {'resources': {'VCPU': 50}}})),
    _put('claim-over-capacity-then-off-step', C2,
         _keyed({'VCPU': 50, 'DISK_GB': 12})),
    _put('claim-off-step-then-over-capacity', C2,
         _keyed({'DISK_GB': 12, 'VCPU': 50})),
    _put('claim-over-capacity-then-no-inventory', C2,
         _keyed({'VCPU': 50, 'PCI_DEVICE': 1})),
    _put('claim-zero', C2, _keyed({'VCPU': 0})),
    _put('claim-negative', C2, _keyed({'VCPU': -1})),
    _put('claim-string-amount', C2, _keyed({'VCPU': '1'})),
    _put('claim-fraction', C2, _keyed({'VCPU': 1.5})),
    _put('claim-no-resources', C2, _keyed({})),
    _put('claim-lower-case-class', C2, _keyed({'vcpu': 1})),
    _put('claim-provider-not-uuid', C2,
         _keyed({'VCPU': 1}, provider='not-a-uuid')),
    _put('claim-provider-without-dashes', C2,
         _keyed({'VCPU': 1}, provider=RP.replace('-', ''))),
    # Hex digits and dashes, but no uuid: a provider that does not exist.
    _put('claim-provider-of-dashes', C2,
         _keyed({'VCPU': 1}, provider='-' * 36)),
    _put('claim-provider-not-uuid-listed', C2,
         _listed({'VCPU': 1}, provider='not-a-uuid'), version='1.0'),
    _put('claim-malformed-consumer', 'not-a-uuid', _keyed({'VCPU': 1})),
    # The consumer is judged before the body.
    _put('claim-malformed-consumer-bad-body', 'not-a-uuid', {'x': 1}),
    _put('claim-extra-field', C2, _keyed({'VCPU': 1}, colour='red')),
    _put('claim-project-empty', C2, _keyed({'VCPU': 1}, project_id='')),
    _put('claim-project-long', C2,
         _keyed({'VCPU': 1}, project_id='p' * 256)),
    _put('claim-project-number', C2, _keyed({'VCPU': 1}, project_id=5)),
    _put('claim-user-long', C2, _keyed({'VCPU': 1}, user_id='u' * 256)),
    _put('claim-entry-extra-field', C2, dict(_keyed({}), allocations={
        RP: {'resources': {'VCPU': 1}, 'x': 1}})),
    _put('claim-not-object', C2, []),
    Request('claim-malformed-json', 'PUT', _of(C2), version=WITH_CODES,
            raw='{"allocations": ', content_type='application/json'),
    Request('claim-as-text', 'PUT', _of(C2), version=WITH_CODES,
            raw='{"allocations": {}}', content_type='text/plain'),
    Request('claim-without-content-type', 'PUT', _of(C2),
            version=WITH_CODES, raw='{"allocations": {}}'),
    Request('post-as-text', 'POST', ALLOCATIONS, version=WITH_CODES,
            raw='{}', content_type='text/plain'),
    # 1.28: generations are checked before anything else.
    _put('claim-stale-missing-provider', C2,
         _with_generation({'VCPU': 1}, 1, provider=MISSING),
         version='1.28'),
    _put('claim-stale-unknown-class', C2,
         _with_generation({'CUSTOM_NOPE': 1}, 1), version='1.28'),
    _put('claim-stale-over-capacity', C2,
         _with_generation({'VCPU': 50}, 1), version='1.28'),
    Request('unchanged', 'GET', _of(C2), version=LATEST),
]

MORE_WRITES = [
    # A provider generation sent back as GET gave it is ignored.
    _put('claim-with-provider-generation', C2, dict(_keyed({}), allocations={
        RP: {'resources': {'VCPU': 1}, 'generation': 99}})),
    # Listed twice: the last counts.
    _put('claim-1.0-provider-twice', C4, {'allocations': [
        {'resource_provider': {'uuid': RP}, 'resources': {'VCPU': 1}},
        {'resource_provider': {'uuid': RP}, 'resources': {'MEMORY_MB': 1}}]},
         version='1.0'),
    Request('show-provider-twice', 'GET', _of(C4), version='1.12'),
    # Moving a consumer within capacity.
    _put('move', C4, dict(_keyed({}), allocations={
        RP2: {'resources': {'VCPU': 2}}})),
    Request('show-moved', 'GET', _of(C4), version=LATEST),
]

POST = [
    _post('post-1.12', {C4: _keyed({'VCPU': 1})}, version='1.12'),
    _post('post-1.13', {C4: _keyed({'VCPU': 1}),
                        C5: _keyed({'MEMORY_MB': 10})}, version='1.13'),
    _post('post-nothing', {}, version='1.13'),
    _post('post-list', [], version='1.13'),
    _post('post-consumer-not-uuid', {'nope': _keyed({'VCPU': 1})},
          version='1.13'),
    _post('post-consumer-without-dashes',
          {C4.replace('-', ''): _keyed({'VCPU': 1})}, version='1.13'),
    _post('post-without-project',
          {C4: {'allocations': {RP: {'resources': {'VCPU': 1}}},
                'user_id': 'u'}}, version='1.13'),
    _post('post-allocations-list',
          {C4: {'allocations': [], 'project_id': 'p', 'user_id': 'u'}},
          version='1.13'),
    *[_post('post-missing-provider-%s' % version,
            {C4: _keyed({'VCPU': 1}, provider=MISSING)}, version=version)
      for version in ('1.13', WITH_CODES)],
    # POST words an unknown class without the consumer.
    *[_post('post-unknown-class-%s' % version,
            {C4: _keyed({'VCPU': 1}), C5: _keyed({'CUSTOM_NOPE': 1})},
            version=version)
      for version in ('1.13', WITH_CODES)],
    _post('post-unknown-class-then-missing-provider',
          {C4: _keyed({'CUSTOM_NOPE': 1}),
           C5: _keyed({'VCPU': 1}, provider=MISSING)}),
    # The first allocation past capacity, over all consumers in order.
    _post('post-over-capacity-together',
          {C4: _keyed({'VCPU': 3, 'MEMORY_MB': 10}),
           C5: _keyed({'MEMORY_MB': 2000, 'VCPU': 3})}),
    _post('post-over-capacity-together-2',
          {C4: _keyed({'VCPU': 4}), C5: _keyed({'VCPU': 3,
                                                'MEMORY_MB': 2000})}),
    _post('post-no-inventory',
          {C4: _keyed({'VCPU': 1}), C5: _keyed({'PCI_DEVICE': 1})}),
    _post('post-1.28-without-generation', {C4: _keyed({'VCPU': 1})},
          version='1.28'),
    # C4 is at generation 3, C5 at 1: the first stale one is named, before
    # any other refusal.
    _post('post-1.28-stale', {C4: _with_generation({'VCPU': 1}, 3),
                              C5: _with_generation({'VCPU': 1}, 7)},
          version='1.28'),
    _post('post-1.28-stale-first', {C4: _with_generation({'VCPU': 1}, 1),
                                    C5: _with_generation({'VCPU': 1}, 7)},
          version='1.28'),
    _post('post-1.28-null-for-existing', {C4: _with_generation({'VCPU': 1})},
          version='1.28'),
    _post('post-1.28-number-for-new',
          {NEW[1]: _with_generation({'VCPU': 1}, 3)}, version='1.28'),
    _post('post-1.28-missing-provider-then-stale',
          {NEW[2]: _with_generation({'VCPU': 1}, provider=MISSING),
           C4: _with_generation({'VCPU': 1}, 5)}, version='1.28'),
    _post('post-1.28-over-capacity-then-stale',
          {NEW[3]: _with_generation({'VCPU': 50}),
           C4: _with_generation({'VCPU': 1}, 5)}, version='1.28'),
    _post('post-1.28-missing-provider-then-unknown-class',
          {NEW[4]: _with_generation({'VCPU': 1}, provider=MISSING),
           NEW[5]: _with_generation({'CUSTOM_NOPE': 1})}, version='1.28'),
    _post('post-1.28-over-capacity-then-no-inventory',
          {NEW[6]: _with_generation({'VCPU': 50}),
           NEW[7]: _with_generation({'PCI_DEVICE': 1})}, version='1.28'),
    # Changes C4 and releases C5, which is forgotten.
    _post('post-1.28', {C4: _with_generation({'VCPU': 2}, 3),
                        C5: _with_generation({}, 1)}, version='1.28'),
    Request('show-posted', 'GET', _of(C4), version='1.28'),
    Request('show-released', 'GET', _of(C5), version='1.28'),
    _put('claim-released-as-new', C5, _with_generation({'VCPU': 1}),
         version='1.28'),
    _post('post-1.34-mappings',
          {C4: _with_generation({'VCPU': 2}, 4, mappings={'': [RP]})},
          version='1.34'),
    _post('post-1.38-without-type', {C4: _with_generation({'VCPU': 2}, 5)},
          version='1.38'),
    _post('post-1.38', {C4: _with_generation({'VCPU': 2}, 5,
                                             consumer_type='MIGRATION')},
          version='1.38'),
    Request('show-posted-typed', 'GET', _of(C4), version='1.38'),
]

# A consumer given no allocations that the service does not know is made
# at generation 0, which the next write that checks generations names.
NO_ALLOCATIONS = [
    _put('claim-nothing-for-new', EMPTY1, _with_generation({}),
         version='1.28'),
    Request('show-made-with-nothing', 'GET', _of(EMPTY1), version='1.28'),
    _put('claim-nothing-again-null', EMPTY1, _with_generation({}),
         version='1.28'),
    _put('claim-nothing-again-0', EMPTY1, _with_generation({}, 0),
         version='1.28'),
    _put('claim-after-nothing-null', EMPTY1,
         _with_generation({'VCPU': 1}), version='1.28'),
    _put('claim-after-nothing-1', EMPTY1, _with_generation({'VCPU': 1}, 1),
         version='1.28'),
    _put('claim-after-nothing', EMPTY1, _with_generation({'VCPU': 1}, 0),
         version='1.28'),
    Request('show-claimed-after-nothing', 'GET', _of(EMPTY1),
            version='1.28'),
    _post('post-nothing-for-new',
          {EMPTY2: {'allocations': {}, 'project_id': 'p', 'user_id': 'u'}},
          version='1.13'),
    _put('claim-after-posting-nothing-null', EMPTY2,
         _with_generation({'VCPU': 1}), version='1.28'),
    _post('post-1.28-nothing-for-new', {EMPTY3: _with_generation({})},
          version='1.28'),
    Request('delete-made-with-nothing', 'DELETE', _of(EMPTY3),
            version='1.28'),
    _put('claim-after-deleting-nothing-null', EMPTY3,
         _with_generation({'VCPU': 1}), version='1.28'),
]

DELETE = [
    *_at_both_forks('delete-unknown', 'DELETE', _of(UNKNOWN)),
    Request('delete-malformed', 'DELETE', _of('not-a-uuid'),
            version=WITH_CODES),
    Request('delete', 'DELETE', _of(C1), version=WITH_CODES),
    Request('show-deleted', 'GET', _of(C1), version=LATEST),
    Request('delete-again', 'DELETE', _of(C1), version=WITH_CODES),
    Request('provider-allocations-after', 'GET',
            _provider(RP, 'allocations'), version=LATEST),
    Request('provider-usages-after', 'GET', _provider(RP, 'usages'),
            version=LATEST),
]

USAGES = [
    Request('usages-1.8', 'GET', '/usages?project_id=p', version='1.8'),
    Request('usages', 'GET', '/usages?project_id=p', version='1.9'),
    Request('usages-cached', 'GET', '/usages?project_id=p',
            version='1.15'),
    Request('usages-of-user', 'GET', '/usages?project_id=p&user_id=u',
            version='1.9'),
    Request('usages-of-other-user', 'GET',
            '/usages?project_id=p&user_id=v', version='1.9'),
    Request('usages-of-nobody', 'GET', '/usages?project_id=nobody',
            version='1.9'),
    *_at_both_forks('usages-without-project', 'GET', '/usages?user_id=u'),
    Request('usages-unknown-parameter', 'GET',
            '/usages?project_id=p&colour=red', version=WITH_CODES),
    Request('usages-empty-project', 'GET', '/usages?project_id=',
            version=WITH_CODES),
    Request('usages-consumer-type-1.37', 'GET',
            '/usages?project_id=p&consumer_type=INSTANCE', version='1.37'),
    Request('usages-by-type', 'GET', '/usages?project_id=p',
            version='1.38'),
    *[Request('usages-of-type-%s' % name, 'GET',
              '/usages?project_id=p&consumer_type=%s' % value,
              version='1.38')
      for name, value in (('instance', 'INSTANCE'),
                          ('migration', 'MIGRATION'), ('all', 'all'),
                          ('unknown', 'unknown'), ('other', 'OTHER'),
                          # OpenStack Placement's pattern takes it.
                          ('allx', 'allx'))],
    *[Request('usages-of-type-%s' % name, 'GET',
              '/usages?project_id=p&consumer_type=%s' % value,
              version='1.38')
      for name, value in (('lower-case', 'instance'), ('empty', ''),
                          ('unknownx', 'unknownx'))],
    Request('usages-project-twice', 'GET',
            '/usages?project_id=p&project_id=q', version='1.38'),
]

POLICY = [
    *_at_both_forks('non-admin-show', 'GET', _of(C2), token='alice'),
    Request('non-admin-claim', 'PUT', _of(C2), version=LATEST,
            token='alice', body=_with_generation({'VCPU': 1}, 1)),
    Request('non-admin-delete', 'DELETE', _of(C2), version=LATEST,
            token='alice'),
    Request('non-admin-post', 'POST', ALLOCATIONS, version=LATEST,
            token='alice', body={}),
    Request('non-admin-provider-allocations', 'GET',
            _provider(RP, 'allocations'), version=LATEST, token='alice'),
    Request('non-admin-provider-usages', 'GET', _provider(RP, 'usages'),
            version=LATEST, token='alice'),
    Request('non-admin-usages', 'GET', '/usages?project_id=p',
            version=LATEST, token='alice'),
    Request('non-admin-usages-of-own-project', 'GET', '/usages?project_id=p',
            version=LATEST, token='alice:p'),
    # Policy before the consumer and the body are judged.
    Request('non-admin-claim-malformed', 'PUT', _of('not-a-uuid'),
            version=LATEST, token='alice', body={}),
]

# Last, since one side takes what the other refuses, and what follows
# would differ.
DIVERGING = [
    _put('claim-1.28-refused-for-new', NEW[8],
         _with_generation({'VCPU': 1}, provider=MISSING), version='1.28'),
    _put('claim-1.28-after-refused-for-new', NEW[8],
         _with_generation({'VCPU': 1}), version='1.28'),
    _put('claim-whole-float-generation', C2,
         _with_generation({'VCPU': 1}, 1.0), version='1.28'),
    _put('claim-provider-upper-case', C2,
         _keyed({'MEMORY_MB': 1}, provider=RP.upper())),
    _put('claim-provider-without-dashes-listed', C2,
         _listed({'MEMORY_MB': 1}, provider=RP.replace('-', '')),
         version='1.0'),
    _put('claim-consumer-upper-case', NEW[9].upper(),
         _keyed({'MEMORY_MB': 1})),
    Request('show-consumer-upper-case', 'GET', _of(NEW[9].upper()),
            version=WITH_CODES),
    _post('post-consumer-upper-case',
          {NEW[10].upper(): _keyed({'MEMORY_MB': 1})}, version='1.13'),
    Request('show-posted-upper-case', 'GET', _of(NEW[10]),
            version=WITH_CODES),
    _post('post-consumer-of-dashes', {'-' * 36: _keyed({'MEMORY_MB': 1})},
          version='1.13'),
    _put('claim-provider-twice-in-two-forms', C2,
         dict(_keyed({}), allocations={
             RP: {'resources': {'MEMORY_MB': 1}},
             RP.upper(): {'resources': {'MEMORY_MB': 1}}})),
    _post('post-consumer-twice-in-two-forms',
          {NEW[11]: _keyed({'MEMORY_MB': 1}),
           NEW[11].upper(): _keyed({'MEMORY_MB': 1})}, version='1.13'),
]

UUID_FORMS = (
    'a provider or consumer uuid in another form than the lower-case '
    'dashed one: ours takes every uuid form and stores the canonical one; '
    'upstream looks providers up as written (an upper-case uuid is a '
    'provider that does not exist, 400), and keeps or looks consumers up '
    'as written in some places (GET and DELETE by path, POST keys) and '
    'canonically in others (PUT by path)')


# Deliberate differences that several requests share.
WHOLE_FLOAT = (
    "integers are integers: a whole float (8.0) where the schema says "
    "integer is refused (400, jsonschema's \"is not of type 'integer'\"); "
    "upstream takes it and echoes 8.0 back")
REPEATED = (
    'a single-valued query parameter given twice is refused (400 '
    'placement.query.duplicate_key); upstream silently takes the last '
    'value')


class TestSideBySideAllocations(Catalogue):
    REQUESTS = (SETUP + READ_NOTHING + WRITE_BY_VERSION + REFUSED
                + MORE_WRITES + POST + NO_ALLOCATIONS + DELETE + USAGES
                + POLICY + DIVERGING)
    DELIBERATE_DIFFERENCES = {
        'claim-whole-float-generation': WHOLE_FLOAT,
        'usages-project-twice': REPEATED,
        'claim-1.28-after-refused-for-new': (
            'a refused write for a consumer that does not exist: upstream '
            'makes the consumer (at generation 0) in a transaction of its '
            'own before it refuses the write, and keeps it, so that the '
            'next write must name generation 0; ours leaves nothing '
            'behind, and the next write names null'),
        'claim-provider-upper-case': UUID_FORMS,
        'claim-provider-without-dashes-listed': UUID_FORMS,
        'show-consumer-upper-case': UUID_FORMS,
        'show-posted-upper-case': UUID_FORMS,
        'claim-provider-twice-in-two-forms': UUID_FORMS,
        'post-consumer-twice-in-two-forms': UUID_FORMS,
        'post-consumer-of-dashes': (
            "a POST /allocations key of 36 dashes: upstream's pattern for "
            'consumer keys takes it and makes a consumer of it; ours '
            'refuses what is no uuid, "Malformed consumer_uuid: ..."'),
    }
    KNOWN_DIFFERENCES = {}
