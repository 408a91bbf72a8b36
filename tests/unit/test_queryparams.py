"""The filter syntaxes of query strings: member_of, required, resources."""
import pytest
import webob

from placement import errors
from placement import exception
from placement import queryparams

AGG1 = '11111111-2222-3333-4444-555555555555'
AGG2 = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'

SCHEMA = {
    'type': 'object',
    'properties': {
        'name': {'type': 'string'},
        'member_of': {'type': 'array', 'items': {'type': 'string'}},
    },
    'additionalProperties': False,
}


def _request(query):
    return webob.Request.blank('/?' + query)


# extract

def test_extract_collects_repeatable_parameters():
    params = queryparams.extract(
        _request('name=a&member_of=x&member_of=y'), SCHEMA,
        repeatable=('member_of',))
    assert params == {'name': 'a', 'member_of': ['x', 'y']}


def test_extract_refuses_other_repeats():
    with pytest.raises(exception.BadRequest) as raised:
        queryparams.extract(_request('name=a&name=b'), SCHEMA)
    assert raised.value.code == errors.ILLEGAL_DUPLICATE_QUERYPARAM


def test_extract_refuses_unknown_parameters():
    with pytest.raises(exception.BadRequest, match='color'):
        queryparams.extract(_request('color=blue'), SCHEMA)


# uuids in member_of: any form OpenStack Placement takes, normalized

@pytest.mark.parametrize('value', [AGG1, AGG1.upper(),
                                   AGG1.replace('-', ''),
                                   '{%s}' % AGG1, 'urn:uuid:' + AGG1])
def test_member_of_takes_uuid_forms(value):
    assert queryparams.member_of([value]) == ([{AGG1}], set())


@pytest.mark.parametrize('value', ['nope', AGG1[:-1], AGG1 + ' ',
                                   AGG1 + '0', 'x' * 32])
def test_member_of_refuses_what_is_no_uuid(value):
    with pytest.raises(exception.BadRequest, match='is not a uuid'):
        queryparams.member_of([value])


# resources

def test_resources():
    assert queryparams.resources('VCPU:2,MEMORY_MB:1024') == {
        'VCPU': 2, 'MEMORY_MB': 1024}


def test_resources_later_amount_wins():
    assert queryparams.resources('VCPU:2,VCPU:3') == {'VCPU': 3}


@pytest.mark.parametrize('value, message', [
    ('', 'is empty'),
    ('  ', 'is empty'),
    ('VCPU', 'Cannot read'),
    ('VCPU:1:2', 'Cannot read'),
    ('VCPU:1,', 'Cannot read'),
    ('VCPU:two', 'positive integer'),
    ('VCPU:0', 'amount from 1'),
    ('VCPU:-1', 'amount from 1'),
    ('VCPU:2147483648', 'amount from 1'),
])
def test_bad_resources(value, message):
    with pytest.raises(exception.BadRequest, match=message):
        queryparams.resources(value)


def test_largest_amount():
    assert queryparams.resources('VCPU:2147483647') == {'VCPU': 2147483647}


# member_of

def test_member_of_single():
    assert queryparams.member_of([AGG1]) == ([{AGG1}], set())


def test_member_of_any_of():
    assert queryparams.member_of(['in:%s,%s' % (AGG1, AGG2)]) == (
        [{AGG1, AGG2}], set())


def test_member_of_normalizes_uuids():
    assert queryparams.member_of([AGG1.replace('-', '').upper()]) == (
        [{AGG1}], set())


def test_member_of_repeated_means_all_of():
    assert queryparams.member_of([AGG1, 'in:%s' % AGG2]) == (
        [{AGG1}, {AGG2}], set())


def test_member_of_forbidden():
    assert queryparams.member_of(['!%s' % AGG1, '!in:%s' % AGG2]) == (
        [], {AGG1, AGG2})


def test_member_of_required_and_forbidden():
    assert queryparams.member_of([AGG1, '!%s' % AGG2]) == (
        [{AGG1}], {AGG2})


def test_member_of_repeat_needs_1_24():
    with pytest.raises(exception.BadRequest, match='1.24'):
        queryparams.member_of([AGG1, AGG2], allow_repeat=False)
    assert queryparams.member_of([AGG1], allow_repeat=False) == (
        [{AGG1}], set())


@pytest.mark.parametrize('value', ['!%s' % AGG1, '!in:%s' % AGG1])
def test_member_of_forbidden_needs_1_32(value):
    with pytest.raises(exception.BadRequest, match='1.32'):
        queryparams.member_of([value], allow_forbidden=False)


@pytest.mark.parametrize('value, message', [
    ('%s,%s' % (AGG1, AGG2), "'in:'"),
    ('', 'is not a uuid'),
    ('in:', 'is not a uuid'),
    ('in:%s,' % AGG1, 'is not a uuid'),
    ('in:%s,nope' % AGG1, "'nope' is not a uuid"),
    ('!nope', "'nope' is not a uuid"),
    ('in:!%s' % AGG1, 'is not a uuid'),
])
def test_bad_member_of(value, message):
    with pytest.raises(exception.BadRequest, match=message):
        queryparams.member_of([value])


# required

def test_required_all_of():
    assert queryparams.required_traits(['A,B']) == ([{'A'}, {'B'}], set())


def test_required_strips_spaces():
    assert queryparams.required_traits([' A , B ']) == (
        [{'A'}, {'B'}], set())


def test_required_forbidden():
    assert queryparams.required_traits(['A,!B']) == ([{'A'}], {'B'})


def test_required_any_of():
    assert queryparams.required_traits(['in:A,B']) == ([{'A', 'B'}], set())


def test_required_repeated_from_1_39():
    assert queryparams.required_traits(['in:A,B', 'C,!D']) == (
        [{'A', 'B'}, {'C'}], {'D'})


def test_required_repeated_before_1_39_takes_the_last():
    assert queryparams.required_traits(
        ['A', 'B'], allow_any_of=False) == ([{'B'}], set())


def test_required_forbidden_needs_1_22():
    with pytest.raises(exception.BadRequest,
                       match='need a later microversion'):
        queryparams.required_traits(['A,!B'], allow_forbidden=False,
                                    allow_any_of=False)


def test_required_any_of_needs_1_39():
    with pytest.raises(exception.BadRequest, match='1.39'):
        queryparams.required_traits(['in:A,B'], allow_any_of=False)


@pytest.mark.parametrize('value, message', [
    ('', 'empty trait'),
    ('A,', 'empty trait'),
    ('!', 'empty trait'),
    ('A,,B', 'empty trait'),
    ('in:', 'empty trait'),
    ('in:A,', 'empty trait'),
    ('in:A,!B', 'cannot forbid'),
])
def test_bad_required(value, message):
    with pytest.raises(exception.BadRequest, match=message):
        queryparams.required_traits([value])


def test_member_of_one_bang_only():
    with pytest.raises(exception.BadRequest, match='is not a uuid'):
        queryparams.member_of(['!!%s' % AGG1])
