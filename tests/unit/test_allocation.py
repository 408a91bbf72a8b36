"""Pure allocation logic: the fit check, and the request schemas of each
microversion."""
import microversion_parse
import pytest

from placement import exception
from placement import jsonio
from placement import microversion
from placement.objects import allocation_write
from placement.schemas import allocation as schema

RP = '11111111-1111-1111-1111-111111111111'
RP2 = '22222222-2222-2222-2222-222222222222'
KEY = (RP, 'VCPU')


def inventory(total=8, reserved=0, min_unit=1, max_unit=8, step_size=1,
              allocation_ratio=1.0):
    return dict(total=total, reserved=reserved, min_unit=min_unit,
                max_unit=max_unit, step_size=step_size,
                allocation_ratio=allocation_ratio)


def check(requested, inventories=None, used=None, released=None,
          class_names=None):
    """check_claims of ``requested``, a list of (provider, class, amount)
    or {key: [amounts]} for the providers' VCPU."""
    if isinstance(requested, dict):
        requested = [key + (amount,) for key, amounts in requested.items()
                     for amount in amounts]
    allocation_write.check_claims(
        requested, {KEY: inventory()} if inventories is None
        else inventories, used or {}, released or {}, class_names)


def refusal(*args, **kwargs):
    with pytest.raises(exception.Conflict) as raised:
        check(*args, **kwargs)
    assert raised.value.status == 409
    return raised.value.detail


CAPACITY = ("Unable to allocate inventory: Unable to create allocation for "
            "'%s' on resource provider '%s'. The requested amount would "
            "exceed the capacity.")
CONSTRAINTS = ("Unable to allocate inventory: Unable to create allocation "
               "for '%s' on resource provider '%s'. The requested amount "
               "would violate inventory constraints.")
INVALID = ("Unable to allocate inventory: Inventory for '%s' on resource "
           "provider '%s' invalid.")


def test_fits_exactly():
    check({KEY: [3, 5]})
    check({KEY: [2]}, used={KEY: 6})


def test_beyond_capacity():
    assert refusal({KEY: [3]}, used={KEY: 6}) == CAPACITY % ('VCPU', RP)


def test_capacity_counts_reserved_and_ratio():
    inventories = {KEY: inventory(total=4, reserved=1, max_unit=10,
                                  allocation_ratio=1.5)}
    check({KEY: [4]}, inventories)
    refusal({KEY: [5]}, inventories)


def test_released_units_are_free_again():
    check({KEY: [8]}, used={KEY: 8}, released={KEY: 8})
    refusal({KEY: [8]}, used={KEY: 8}, released={KEY: 7})


def test_over_capacity_may_shrink_but_not_grow():
    inventories = {KEY: inventory(total=4, max_unit=8)}
    check({KEY: [6]}, inventories, used={KEY: 8}, released={KEY: 8})
    check({KEY: [8]}, inventories, used={KEY: 8}, released={KEY: 8})
    refusal({KEY: [1]}, inventories, used={KEY: 8})


def test_missing_inventory_of_a_class():
    inventories = {KEY: inventory()}
    assert refusal([(RP, 'VCPU', 1), (RP, 'DISK_GB', 1)],
                   inventories) == INVALID % ('DISK_GB', RP)


def test_provider_without_inventory_of_any_class_asked_for():
    # Every class asked for is named, in the order given, and every such
    # provider, before any allocation is looked at.
    detail = refusal([(RP, 'VCPU', 100), (RP2, 'DISK_GB', 1),
                      (RP2, 'MEMORY_MB', 1)],
                     class_names=['MEMORY_MB', 'VCPU', 'DISK_GB'])
    assert detail == INVALID % ('MEMORY_MB, VCPU, DISK_GB', RP2)


@pytest.mark.parametrize('amount', [1, 7, 12])
def test_unit_constraints(amount):
    inventories = {KEY: inventory(total=100, min_unit=2, max_unit=10,
                                  step_size=2)}
    assert refusal({KEY: [amount]}, inventories) == CONSTRAINTS % (
        'VCPU', RP)


def test_each_amount_meets_constraints_not_just_the_sum():
    inventories = {KEY: inventory(total=100, max_unit=4)}
    check({KEY: [4, 4]}, inventories)
    refusal({KEY: [2, 5]}, inventories)


def test_the_first_allocation_that_does_not_fit_is_named():
    inventories = {KEY: inventory(max_unit=100), (RP, 'DISK_GB'): inventory(
        total=100, max_unit=100, step_size=5)}
    over, off_step = (RP, 'VCPU', 9), (RP, 'DISK_GB', 12)
    assert refusal([over, off_step], inventories) == CAPACITY % ('VCPU', RP)
    assert refusal([off_step, over], inventories) == CONSTRAINTS % (
        'DISK_GB', RP)


def test_capacity_is_named_where_the_sum_first_exceeds_it():
    # Two consumers' 5 VCPU each exceed 8 at the second; the DISK_GB in
    # between is beyond its own capacity too, and comes first.
    inventories = {KEY: inventory(), (RP, 'DISK_GB'): inventory(total=1)}
    assert refusal([(RP, 'VCPU', 5), (RP, 'DISK_GB', 2), (RP, 'VCPU', 5)],
                   inventories) == CAPACITY % ('DISK_GB', RP)
    assert refusal([(RP, 'VCPU', 5), (RP, 'VCPU', 5), (RP, 'DISK_GB', 2)],
                   inventories) == CAPACITY % ('VCPU', RP)


def _version(text):
    return microversion_parse.extract_version(
        {microversion.HEADER.lower(): 'placement %s' % text},
        microversion.SERVICE_TYPE, microversion.VERSIONS)


def _put_schema(version):
    return schema.for_version(schema.PUT_BY_VERSION, _version(version))


def _post_schema(version):
    return schema.for_version(schema.POST_BY_VERSION, _version(version))


LIST_BODY = {'allocations': [{'resource_provider': {'uuid': RP},
                              'resources': {'VCPU': 1}}]}
DICT_BODY = {'allocations': {RP: {'resources': {'VCPU': 1}}},
             'project_id': 'p', 'user_id': 'u'}


def valid(data, schema_):
    try:
        jsonio.validate(data, schema_)
    except exception.BadRequest:
        return False
    return True


def test_list_body_before_1_12():
    assert valid(LIST_BODY, _put_schema('1.0'))
    assert not valid(dict(LIST_BODY, project_id='p', user_id='u'),
                     _put_schema('1.7'))
    assert not valid(LIST_BODY, _put_schema('1.8'))
    assert valid(dict(LIST_BODY, project_id='p', user_id='u'),
                 _put_schema('1.11'))
    assert not valid(DICT_BODY, _put_schema('1.11'))


def test_dict_body_from_1_12():
    assert valid(DICT_BODY, _put_schema('1.12'))
    assert valid(dict(DICT_BODY, allocations={
        RP: {'generation': 3, 'resources': {'VCPU': 1}}}),
        _put_schema('1.27'))
    assert not valid(dict(DICT_BODY, allocations={}), _put_schema('1.27'))
    assert not valid(DICT_BODY, _put_schema('1.28'))


def test_consumer_generation_from_1_28():
    for generation in (None, 0, 5):
        body = dict(DICT_BODY, consumer_generation=generation)
        assert valid(body, _put_schema('1.28'))
        assert not valid(body, _put_schema('1.27'))
    assert valid(dict(DICT_BODY, allocations={}, consumer_generation=1),
                 _put_schema('1.28'))
    # Any integer: one that is no generation is a conflict.
    assert valid(dict(DICT_BODY, consumer_generation=-1),
                 _put_schema('1.28'))
    assert not valid(dict(DICT_BODY, consumer_generation='1'),
                     _put_schema('1.28'))


def test_mappings_from_1_34():
    body = dict(DICT_BODY, consumer_generation=None,
                mappings={'': [RP], '_COMPUTE': [RP, RP2]})
    assert valid(body, _put_schema('1.34'))
    assert not valid(body, _put_schema('1.33'))
    assert not valid(dict(body, mappings={'_X': []}), _put_schema('1.34'))
    assert not valid(dict(body, mappings={'_X': ['nope']}),
                     _put_schema('1.34'))
    assert not valid(dict(body, mappings={'_X': 'x'}), _put_schema('1.34'))
    # Keys unlike a suffix are taken with anything, as upstream takes them.
    assert valid(dict(body, mappings={'!': 'x', '': 5}),
                 _put_schema('1.34'))


def test_consumer_type_from_1_38():
    body = dict(DICT_BODY, consumer_generation=None)
    assert not valid(body, _put_schema('1.38'))
    assert valid(dict(body, consumer_type='INSTANCE'), _put_schema('1.38'))
    assert not valid(dict(body, consumer_type='instance'),
                     _put_schema('1.38'))
    assert not valid(dict(body, consumer_type='INSTANCE'),
                     _put_schema('1.37'))


@pytest.mark.parametrize('resources', [
    {}, {'VCPU': 0}, {'VCPU': -1}, {'VCPU': 1.5}, {'VCPU': '1'},
    {'vcpu': 1}, {'': 1}])
def test_bad_resources(resources):
    assert not valid(dict(DICT_BODY, allocations={
        RP: {'resources': resources}}), _put_schema('1.12'))


@pytest.mark.parametrize('provider', ['nope', RP[:-1], RP + '1'])
def test_bad_provider_uuid(provider):
    assert not valid(dict(DICT_BODY, allocations={
        provider: {'resources': {'VCPU': 1}}}), _put_schema('1.12'))
    assert not valid({'allocations': [{
        'resource_provider': {'uuid': provider},
        'resources': {'VCPU': 1}}]}, _put_schema('1.0'))


# Amounts beyond any max_unit and classes that no class has are refused
# when the claim is checked, as upstream refuses them.
@pytest.mark.parametrize('resources', [
    {'VCPU': 2147483648}, {'X' * 256: 1}])
def test_resources_refused_later(resources):
    assert valid(dict(DICT_BODY, allocations={
        RP: {'resources': resources}}), _put_schema('1.12'))


# The forms OpenStack Placement takes; the handler normalizes them. As a
# key (1.12 on), a uuid is 36 hex digits and dashes.
@pytest.mark.parametrize('provider', [RP.replace('-', ''), RP.upper(),
                                      '{%s}' % RP])
def test_provider_uuid_forms(provider):
    assert valid({'allocations': [{
        'resource_provider': {'uuid': provider},
        'resources': {'VCPU': 1}}]}, _put_schema('1.0'))
    assert valid(dict(DICT_BODY, allocations={
        provider: {'resources': {'VCPU': 1}}}), _put_schema('1.12')) == (
        len(provider) == 36)


def test_owner_bounds():
    assert not valid(dict(DICT_BODY, project_id=''), _put_schema('1.12'))
    assert not valid(dict(DICT_BODY, user_id='u' * 256),
                     _put_schema('1.12'))
    assert valid(dict(DICT_BODY, user_id='u' * 255), _put_schema('1.12'))


def test_post_bodies():
    consumer = '33333333-3333-3333-3333-333333333333'
    assert valid({consumer: DICT_BODY}, _post_schema('1.13'))
    assert valid({consumer: dict(DICT_BODY, allocations={})},
                 _post_schema('1.13'))
    assert not valid({}, _post_schema('1.13'))
    assert not valid({'nope': DICT_BODY}, _post_schema('1.13'))
    assert not valid({consumer: DICT_BODY}, _post_schema('1.28'))
    at_1_38 = dict(DICT_BODY, consumer_generation=None,
                   consumer_type='MIGRATION', mappings={'': [RP]})
    assert valid({consumer: at_1_38}, _post_schema('1.38'))
    assert not valid({consumer: at_1_38}, _post_schema('1.37'))


def test_no_post_schema_before_1_13():
    with pytest.raises(LookupError):
        _post_schema('1.12')
