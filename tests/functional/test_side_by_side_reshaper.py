"""Side by side with OpenStack Placement 16.0.0: POST /reshaper (1.30).
See side_by_side.py for how the comparison works.

The set-up: a compute node CN with VCPU 8 and VGPU 4, two consumers
holding VCPU and VGPU on it, and a new child GPU0 with no inventory.
The reshape moves the VGPU inventory and allocations from CN to GPU0;
every refusal before it must leave everything as it was, which the GETs
between them compare (generations included, since each pass of a
reshape moves them as in OpenStack Placement). Then the refusals, each
in the order OpenStack Placement checks, and the body shapes of each
microversion.
"""
from tests.functional.side_by_side import Catalogue
from tests.functional.side_by_side import Request

CN = 'c1000000-0000-4000-8000-0000000000c1'
GPU0 = 'a0000000-0000-4000-8000-0000000000a0'
OTHER = 'b0000000-0000-4000-8000-0000000000b0'
MISSING = 'f0000000-0000-4000-8000-00000000000f'
VM1 = '11000000-0000-4000-8000-000000000011'
VM2 = '22000000-0000-4000-8000-000000000022'
NEW_VM = '33000000-0000-4000-8000-000000000033'
LATEST = '1.39'
# The reshaper's policy is for services: noauth2 gives roles by header.
SERVICE = {'X-Roles': 'admin,service'}


def _reshape(request_id, body, version='1.30', **more):
    return Request(request_id, 'POST', '/reshaper', version=version,
                   body=body, headers=dict(SERVICE), **more)


def _inventories(generation, **inventories):
    return {'resource_provider_generation': generation,
            'inventories': {name: ({'total': value}
                                   if isinstance(value, int) else value)
                            for name, value in inventories.items()}}


def _consumer(generation, allocations, **more):
    return dict({'allocations': {
        uuid: {'resources': resources}
        for uuid, resources in allocations.items()},
        'project_id': 'p', 'user_id': 'u',
        'consumer_generation': generation}, **more)


def _state(step):
    """GETs of everything a reshape may change."""
    return [
        Request('%s-cn' % step, 'GET', '/resource_providers/%s' % CN,
                version=LATEST, ignore=['links']),
        Request('%s-gpu0' % step, 'GET', '/resource_providers/%s' % GPU0,
                version=LATEST, ignore=['links']),
        Request('%s-cn-inventories' % step, 'GET',
                '/resource_providers/%s/inventories' % CN, version=LATEST),
        Request('%s-gpu0-inventories' % step, 'GET',
                '/resource_providers/%s/inventories' % GPU0,
                version=LATEST),
        Request('%s-vm1' % step, 'GET', '/allocations/%s' % VM1,
                version=LATEST),
        Request('%s-vm2' % step, 'GET', '/allocations/%s' % VM2,
                version=LATEST),
        Request('%s-cn-usages' % step, 'GET',
                '/resource_providers/%s/usages' % CN, version=LATEST),
    ]


SET_UP = [
    Request('create-cn', 'POST', '/resource_providers', version='1.20',
            body={'name': 'cn', 'uuid': CN}),
    Request('create-gpu0', 'POST', '/resource_providers', version='1.20',
            body={'name': 'gpu0', 'uuid': GPU0, 'parent_provider_uuid': CN}),
    Request('create-other', 'POST', '/resource_providers', version='1.20',
            body={'name': 'other', 'uuid': OTHER}),
    Request('cn-inventories', 'PUT',
            '/resource_providers/%s/inventories' % CN, version='1.26',
            body=_inventories(0, VCPU=8, VGPU=4)),
    Request('other-inventories', 'PUT',
            '/resource_providers/%s/inventories' % OTHER, version='1.26',
            body=_inventories(0, DISK_GB=100)),
    Request('vm1-claims', 'PUT', '/allocations/%s' % VM1, version='1.28',
            body=_consumer(None, {CN: {'VCPU': 2, 'VGPU': 1}})),
    Request('vm2-claims', 'PUT', '/allocations/%s' % VM2, version='1.28',
            body=_consumer(None, {CN: {'VCPU': 1, 'VGPU': 2}})),
] + _state('before')

# What the reshape below sends, at CN generation 3 and GPU0 0.
_MOVE_INVENTORIES = {CN: _inventories(3, VCPU=8),
                     GPU0: _inventories(0, VGPU=4)}
_MOVE_ALLOCATIONS = {
    VM1: _consumer(1, {CN: {'VCPU': 2}, GPU0: {'VGPU': 1}}),
    VM2: _consumer(1, {CN: {'VCPU': 1}, GPU0: {'VGPU': 2}}),
}


def _move(**changes):
    """The reshape's body with some of its parts changed."""
    body = {'inventories': dict(_MOVE_INVENTORIES),
            'allocations': dict(_MOVE_ALLOCATIONS)}
    for part, entries in changes.items():
        body[part] = dict(body[part], **entries)
    return body


REFUSED_BEFORE = [
    _reshape('before-1.30', _move(), version='1.29'),
    Request('not-a-service', 'POST', '/reshaper', version='1.30',
            body=_move()),
    _reshape('empty-body', {}),
    _reshape('no-allocations', {'inventories': _MOVE_INVENTORIES}),
    _reshape('no-inventories', {'inventories': {},
                                'allocations': _MOVE_ALLOCATIONS}),
    _reshape('inventories-bad-key', {'inventories': {'nope': _inventories(
        0, VGPU=4)}, 'allocations': {}}),
    _reshape('inventories-without-generation', {'inventories': {
        GPU0: {'inventories': {'VGPU': {'total': 4}}}}, 'allocations': {}}),
    _reshape('inventory-without-total', _move(inventories={
        GPU0: _inventories(0, VGPU={'reserved': 1})})),
    _reshape('consumer-without-generation', _move(allocations={
        VM1: {'allocations': {}, 'project_id': 'p', 'user_id': 'u'}})),
    _reshape('consumer-type-before-1.38', _move(allocations={
        VM1: _consumer(1, {GPU0: {'VGPU': 1}}, consumer_type='INSTANCE')})),
    _reshape('consumer-type-missing-at-1.38', _move(), version='1.38'),
    _reshape('mappings-before-1.34', _move(allocations={
        VM1: _consumer(1, {GPU0: {'VGPU': 1}}, mappings={'': [GPU0]})})),
    _reshape('unknown-provider', _move(inventories={
        MISSING: _inventories(0, VGPU=1)})),
    _reshape('stale-generation', _move(inventories={
        CN: _inventories(2, VCPU=8)})),
    _reshape('stale-generation-before-unknown-provider', {
        'inventories': {CN: _inventories(2, VCPU=8),
                        MISSING: _inventories(0, VGPU=1)},
        'allocations': {}}),
    _reshape('unknown-provider-before-stale-generation', {
        'inventories': {MISSING: _inventories(0, VGPU=1),
                        CN: _inventories(2, VCPU=8)},
        'allocations': {}}),
    _reshape('uppercase-provider', {'inventories': {
        CN.upper(): _inventories(3, VCPU=8)}, 'allocations': {}}),
    _reshape('stale-generation-before-unknown-class', _move(inventories={
        CN: _inventories(2, CUSTOM_NOPE=8)})),
    _reshape('unknown-inventory-class', _move(inventories={
        GPU0: _inventories(0, CUSTOM_NOPE=4)})),
    _reshape('unknown-allocation-class', _move(allocations={
        VM1: _consumer(1, {GPU0: {'CUSTOM_NOPE': 1}})})),
    _reshape('stale-consumer', _move(allocations={
        VM1: _consumer(0, {CN: {'VCPU': 2}, GPU0: {'VGPU': 1}})})),
    _reshape('existing-consumer-as-new', _move(allocations={
        VM1: _consumer(None, {CN: {'VCPU': 2}, GPU0: {'VGPU': 1}})})),
    _reshape('new-consumer-with-generation', _move(allocations={
        NEW_VM: _consumer(3, {GPU0: {'VGPU': 1}})})),
    _reshape('stale-consumer-before-unknown-provider', _move(allocations={
        VM1: _consumer(5, {MISSING: {'VGPU': 1}})})),
    _reshape('unknown-allocation-provider', _move(allocations={
        VM1: _consumer(1, {MISSING: {'VGPU': 1}})})),
    _reshape('unknown-allocation-provider-before-class', _move(allocations={
        VM1: _consumer(1, {MISSING: {'CUSTOM_NOPE': 1}})})),
    _reshape('unknown-allocation-provider-before-inventory-class',
             _move(inventories={GPU0: _inventories(0, CUSTOM_NOPE=4)},
                   allocations={VM1: _consumer(1, {MISSING: {'VGPU': 1}})})),
    _reshape('over-capacity', _move(inventories={
        GPU0: _inventories(0, VGPU=2)})),
    _reshape('max-unit', _move(inventories={
        GPU0: _inventories(0, VGPU={'total': 4, 'max_unit': 1})})),
    _reshape('no-inventory-for-allocation', _move(allocations={
        VM1: _consumer(1, {CN: {'VCPU': 2}, OTHER: {'VGPU': 1}})})),
    # VM2 keeps its VGPU on CN, whose new inventories drop VGPU.
    _reshape('dropped-class-in-use', _move(allocations={
        VM2: _consumer(1, {CN: {'VCPU': 1, 'VGPU': 2}})})),
] + _state('after-refusals')

MOVE = [
    _reshape('move-vgpu-to-child', _move()),
] + _state('after-move') + [
    Request('after-move-gpu0-usages', 'GET',
            '/resource_providers/%s/usages' % GPU0, version=LATEST),
    # Back again, at 1.34 with mappings, and both consumers listed.
    _reshape('move-back-with-mappings', {
        'inventories': {CN: _inventories(6, VCPU=8, VGPU=4),
                        GPU0: _inventories(3)},
        'allocations': {
            VM1: _consumer(2, {CN: {'VCPU': 2, 'VGPU': 1}},
                           mappings={'': [CN]}),
            VM2: _consumer(2, {CN: {'VCPU': 1, 'VGPU': 2}}),
        }}, version='1.34'),
] + _state('after-move-back') + [
    # Only inventories: a provider named with what it has already.
    _reshape('inventories-only', {
        'inventories': {OTHER: _inventories(1, DISK_GB=100)},
        'allocations': {}}),
    Request('after-inventories-only', 'GET',
            '/resource_providers/%s' % OTHER, version=LATEST,
            ignore=['links']),
    # A consumer released and a new one with a type, at 1.38.
    _reshape('release-and-create-at-1.38', {
        'inventories': {OTHER: _inventories(3, DISK_GB=50)},
        'allocations': {
            VM2: _consumer(3, {}, consumer_type='INSTANCE'),
            NEW_VM: _consumer(None, {OTHER: {'DISK_GB': 10}},
                              consumer_type='MIGRATION'),
        }}, version='1.38'),
] + _state('after-release') + [
    Request('after-release-new-vm', 'GET', '/allocations/%s' % NEW_VM,
            version=LATEST),
    Request('after-release-other', 'GET', '/resource_providers/%s' % OTHER,
            version=LATEST, ignore=['links']),
    Request('after-release-usages', 'GET', '/usages?project_id=p',
            version=LATEST),
    Request('get-reshaper', 'GET', '/reshaper', version=LATEST),
]


def _accepted_upstream(request_id, inventory, allocations=None):
    """A provider of its own, then a reshape that OpenStack Placement
    accepts and we refuse: last, as it changes upstream's state."""
    uuid = 'e%07d-0000-4000-8000-00000000000e' % len(request_id)
    return [
        Request('create-for-' + request_id, 'POST', '/resource_providers',
                version='1.20', body={'name': request_id, 'uuid': uuid}),
        _reshape(request_id, {
            'inventories': {uuid: _inventories(0, DISK_GB=inventory)},
            'allocations': {
                consumer: _consumer(None, {uuid: {'DISK_GB': 1}})
                for consumer in allocations or ()}}),
    ]


ACCEPTED_UPSTREAM = (
    _accepted_upstream('reserved-over-total', {'total': 10,
                                               'reserved': 11})
    + _accepted_upstream('negative-ratio-reshape', {
        'total': 10, 'allocation_ratio': -1.0})
    + _accepted_upstream('malformed-consumer', {'total': 10}, [
        VM1.replace('-', '') + '----']))


class TestSideBySideReshaper(Catalogue):
    REQUESTS = SET_UP + REFUSED_BEFORE + MOVE + ACCEPTED_UPSTREAM
    DELIBERATE_DIFFERENCES = {
        'reserved-over-total': 'An inventory must have a capacity, as '
        'in PUT /resource_providers/{uuid}/inventories: we answer 400, '
        'OpenStack Placement stores it.',
        'negative-ratio-reshape': 'As reserved-over-total.',
        'malformed-consumer': 'A consumer key that is no uuid is '
        'refused as in POST /allocations; OpenStack Placement stores it.',
    }
    KNOWN_DIFFERENCES = {}
