"""The filter syntaxes of query strings: member_of, required, resources,
and the request groups of GET /allocation_candidates."""
import microversion_parse
import pytest
import webob

from placement import errors
from placement import exception
from placement import microversion
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
    with pytest.raises(exception.BadRequest) as raised:
        queryparams.extract(_request('color=blue'), SCHEMA)
    # OpenStack Placement's words and code.
    assert raised.value.detail == (
        "Invalid query string parameters: Additional properties are not "
        "allowed ('color' was unexpected)")
    assert raised.value.code == errors.DEFAULT


def test_extract_names_the_parameter_at_fault():
    with pytest.raises(exception.BadRequest) as raised:
        queryparams.extract(_request('name=a&member_of=x'), SCHEMA)
    assert raised.value.detail == (
        "Invalid query string parameters: 'x' is not of type 'array' "
        "(parameter 'member_of')")


# uuids in member_of: any form OpenStack Placement takes, normalized

@pytest.mark.parametrize('value', [AGG1, AGG1.upper(),
                                   AGG1.replace('-', ''),
                                   '{%s}' % AGG1, 'urn:uuid:' + AGG1])
def test_member_of_takes_uuid_forms(value):
    assert queryparams.member_of([value]) == ([{AGG1}], set())


@pytest.mark.parametrize('value', ['nope', AGG1[:-1], AGG1 + ' ',
                                   AGG1 + '0', 'x' * 32])
def test_member_of_refuses_what_is_no_uuid(value):
    with pytest.raises(exception.BadRequest) as raised:
        queryparams.member_of([value])
    assert raised.value.detail == (
        "Invalid query string parameters: Expected 'member_of' parameter "
        "to contain valid UUID(s). Got: %s" % value)


# resources

def test_resources():
    assert queryparams.resources('VCPU:2,MEMORY_MB:1024') == {
        'VCPU': 2, 'MEMORY_MB': 1024}


def test_resources_later_amount_wins():
    assert queryparams.resources('VCPU:2,VCPU:3') == {'VCPU': 3}


BADLY_FORMED = (
    'Badly formed resources parameter. Expected resources query string '
    'parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. Got: %s.')


@pytest.mark.parametrize('value, message', [
    ('', BADLY_FORMED % 'empty string'),
    ('  ', BADLY_FORMED % 'empty string'),
    ('VCPU', BADLY_FORMED % 'VCPU'),
    ('VCPU:1:2', BADLY_FORMED % 'VCPU:1:2'),
    ('VCPU:1,', BADLY_FORMED % ''),
    ('VCPU:two', 'Requested resource VCPU expected positive integer '
                 'amount. Got: two.'),
    ('VCPU:0', 'Requested resource VCPU requires amount >= 1. Got: 0.'),
    ('VCPU:-1', 'Requested resource VCPU requires amount >= 1. Got: -1.'),
    # Where OpenStack Placement has no bound.
    ('VCPU:2147483648', 'Requested resource VCPU requires amount <= '
                        '2147483647. Got: 2147483648.'),
])
def test_bad_resources(value, message):
    with pytest.raises(exception.BadRequest) as raised:
        queryparams.resources(value)
    assert raised.value.detail == message


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
    with pytest.raises(exception.BadRequest,
                       match='^Multiple member_of parameters are not '
                             'supported$'):
        queryparams.member_of([AGG1, AGG2], allow_repeat=False)
    assert queryparams.member_of([AGG1], allow_repeat=False) == (
        [{AGG1}], set())


@pytest.mark.parametrize('value', ['!%s' % AGG1, '!in:%s' % AGG1])
def test_member_of_forbidden_needs_1_32(value):
    with pytest.raises(exception.BadRequest,
                       match='^Forbidden member_of parameters are not '
                             'supported in the specified microversion$'):
        queryparams.member_of([value], allow_forbidden=False)


NO_UUID = ("Invalid query string parameters: Expected 'member_of' "
           "parameter to contain valid UUID(s). Got: %s")


@pytest.mark.parametrize('value, message', [
    ('%s,%s' % (AGG1, AGG2),
     "Multiple values for 'member_of' must be prefixed with the 'in:' or "
     "'!in:' keyword using the valid microversion. Got: %s,%s"
     % (AGG1, AGG2)),
    ('', NO_UUID % ''),
    ('in:', NO_UUID % ''),
    ('in:%s,' % AGG1, NO_UUID % ''),
    ('in:%s,nope' % AGG1, NO_UUID % 'nope'),
    ('!nope', NO_UUID % 'nope'),
    ('in:!%s' % AGG1, NO_UUID % ('!' + AGG1)),
])
def test_bad_member_of(value, message):
    with pytest.raises(exception.BadRequest) as raised:
        queryparams.member_of([value])
    assert raised.value.detail == message


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


def _required_refusal(values, **allowed):
    with pytest.raises(exception.BadRequest) as raised:
        queryparams.required_traits(values, **allowed)
    return raised.value.detail


def test_required_forbidden_needs_1_22():
    assert _required_refusal(
        ['A,!B'], allow_forbidden=False, allow_any_of=False) == (
        "Invalid query string parameters: Expected 'required' parameter "
        "value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: A,!B")


def test_required_any_of_needs_1_39():
    assert _required_refusal(['in:A,B'], allow_any_of=False) == (
        "Invalid query string parameters: The format "
        "'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only supported since "
        "microversion 1.39. Got: in:A,B")


EMPTY_TRAIT = ("Invalid query string parameters: Expected 'required' "
               "parameter value of the form: %s. Got an empty trait in: %s")


@pytest.mark.parametrize('value, message', [
    ('', EMPTY_TRAIT % ('HW_CPU_X86_VMX,!CUSTOM_MAGIC', '')),
    ('A,', EMPTY_TRAIT % ('HW_CPU_X86_VMX,!CUSTOM_MAGIC', 'A,')),
    ('!', EMPTY_TRAIT % ('HW_CPU_X86_VMX,!CUSTOM_MAGIC', '!')),
    ('A,,B', EMPTY_TRAIT % ('HW_CPU_X86_VMX,!CUSTOM_MAGIC', 'A,,B')),
    ('in:', EMPTY_TRAIT % ('in:HW_CPU_X86_VMX,CUSTOM_MAGIC', 'in:')),
    ('in:A,', EMPTY_TRAIT % ('in:HW_CPU_X86_VMX,CUSTOM_MAGIC', 'in:A,')),
    ('in:A,!B', "Invalid query string parameters: The format "
                "'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' does not support "
                "forbidden traits. Got: in:A,!B"),
])
def test_bad_required(value, message):
    assert _required_refusal([value]) == message


def test_member_of_one_bang_only():
    with pytest.raises(exception.BadRequest,
                       match="Got: !%s$" % AGG1):
        queryparams.member_of(['!!%s' % AGG1])


# request groups of GET /allocation_candidates

def _version(text):
    return microversion_parse.extract_version(
        {'openstack-api-version': 'placement %s' % text}, 'placement',
        microversion.VERSIONS)


def _groups(query, version):
    return queryparams.request_groups(_request(query).GET, _version(version))


def _refusal(query, version):
    with pytest.raises(exception.BadRequest) as raised:
        _groups(query, version)
    return raised.value


def test_unsuffixed_group():
    groups = _groups('resources=VCPU:2,MEMORY_MB:512&required=A,!B'
                     '&member_of=%s&in_tree=%s&limit=5' % (AGG1, AGG2),
                     '1.31')
    assert groups == [queryparams.RequestGroup(
        suffix='', resources={'VCPU': 2, 'MEMORY_MB': 512},
        required_traits=[{'A'}], forbidden_traits={'B'},
        member_of=[{AGG1}], in_tree=AGG2)]


def test_granular_groups_unsuffixed_first():
    groups = _groups('resources2=VCPU:1&resources=DISK_GB:10'
                     '&resources1=SRIOV_NET_VF:1&required1=CUSTOM_PHYSNET1'
                     '&member_of1=!%s&group_policy=isolate' % AGG1, '1.32')
    assert [group.suffix for group in groups] == ['', '1', '2']
    assert groups[0].resources == {'DISK_GB': 10}
    assert groups[1] == queryparams.RequestGroup(
        suffix='1', resources={'SRIOV_NET_VF': 1},
        required_traits=[{'CUSTOM_PHYSNET1'}], forbidden_aggregates={AGG1})
    assert groups[2] == queryparams.RequestGroup(
        suffix='2', resources={'VCPU': 1})


def test_a_group_with_only_resources_needs_no_unsuffixed_group():
    assert _groups('resources1=VCPU:1', '1.25') == [
        queryparams.RequestGroup(suffix='1', resources={'VCPU': 1})]


@pytest.mark.parametrize('suffix', ['_NET', '-', 'a1', '01', 'x' * 64])
def test_string_suffixes_from_1_33(suffix):
    groups = _groups('resources%s=VCPU:1&required%s=A' % (suffix, suffix),
                     '1.33')
    assert [(group.suffix, group.required_traits) for group in groups] == [
        (suffix, [{'A'}])]


def test_group_from_the_dict_extract_makes():
    params = {'resources1': 'VCPU:1', 'required1': ['in:A,B', 'C'],
              'in_tree1': AGG1.upper(), 'limit': '1'}
    assert queryparams.request_groups(params, _version('1.39')) == [
        queryparams.RequestGroup(suffix='1', resources={'VCPU': 1},
                                 required_traits=[{'A', 'B'}, {'C'}],
                                 in_tree=AGG1)]


@pytest.mark.parametrize('query, version, why', [
    ('resources1=VCPU:1', '1.24', 'suffixed request groups need'),
    ('resources=VCPU:1&required1=A', '1.24', 'suffixed request groups need'),
    ('resourcesX=VCPU:1', '1.25', 'a number from 1 up'),
    ('resources_x=VCPU:1', '1.32', 'a number from 1 up'),
    ('resources0=VCPU:1', '1.25', 'a number from 1 up'),
    ('resources01=VCPU:1', '1.32', 'a number from 1 up'),
    ('resources%s=VCPU:1' % ('x' * 65), '1.33', '1 to 64'),
    ('resources.x=VCPU:1', '1.33', '1 to 64'),
    ('resources%C3%A9=VCPU:1', '1.39', '1 to 64'),
    ('resources=VCPU:1&in_tree=%s' % AGG1, '1.30', 'in_tree needs 1.31'),
    ('resources1=VCPU:1&in_tree1=%s' % AGG1, '1.30', 'in_tree needs 1.31'),
    ('resources=VCPU:1&member_of=%s' % AGG1, '1.20', 'member_of needs 1.21'),
    ('resources=VCPU:1&required=A', '1.16', 'required needs 1.17'),
])
def test_group_parameter_unknown_at_the_microversion(query, version, why):
    refused = _refusal(query, version)
    name = query.split('&')[-1].split('=')[0].replace('%C3%A9', '\xe9')
    assert refused.detail.startswith(
        'Unknown query parameter %r at microversion %s: '
        % (name, version))
    assert why.replace('needs ', 'needs microversion ') in refused.detail
    assert refused.code == errors.DEFAULT


ORPHAN_TRAITS = ('All traits parameters must be associated with '
                 'resources.  Found the following orphaned traits keys: %s')
ORPHAN_AGGREGATES = ('All member_of parameters must be associated with '
                     'resources. Found the following orphaned member_of '
                     'keys: %s')
ORPHAN_TREE = 'All request groups must specify resources.'


@pytest.mark.parametrize('query, message', [
    ('required1=A', ORPHAN_TRAITS % 'required1'),
    ('resources=VCPU:1&required1=A', ORPHAN_TRAITS % 'required1'),
    ('resources=VCPU:1&member_of1=%s' % AGG1,
     ORPHAN_AGGREGATES % 'member_of1'),
    ('resources=VCPU:1&in_tree1=%s' % AGG1, ORPHAN_TREE),
    ('resources1=VCPU:1&required=A', ORPHAN_TRAITS % 'required'),
    ('resources1=VCPU:1&member_of=%s' % AGG1,
     ORPHAN_AGGREGATES % 'member_of'),
    ('resources1=VCPU:1&in_tree=%s' % AGG1, ORPHAN_TREE),
    # In the order of the query.
    ('required2=A&required1=B', ORPHAN_TRAITS % 'required2, required1'),
    # Traits first, then aggregates, then trees.
    ('resources=VCPU:1&in_tree1=%s&member_of3=%s&required2=A'
     % (AGG1, AGG1), ORPHAN_TRAITS % 'required2'),
    ('resources=VCPU:1&in_tree1=%s&member_of3=%s' % (AGG1, AGG1),
     ORPHAN_AGGREGATES % 'member_of3'),
    # Before 1.36 same_subtree saves no group.
    ('resources1=VCPU:1&required2=A&same_subtree=1,2',
     ORPHAN_TRAITS % 'required2'),
])
@pytest.mark.parametrize('version', ['1.31', '1.35'])
def test_group_without_resources_before_1_36(query, message, version):
    refused = _refusal(query, version)
    assert refused.detail == message
    assert refused.code == errors.DEFAULT


@pytest.mark.parametrize('version', ['1.25', '1.35'])
def test_no_group_at_all_before_1_36(version):
    refused = _refusal('limit=1&group_policy=none', version)
    assert refused.detail == ('At least one request group (`resources` or '
                              '`resources{$S}`) is required.')


def test_values_are_checked_before_groups():
    # As OpenStack Placement does: the empty trait, not the orphan.
    assert 'Got an empty trait in: ' in _refusal(
        'resources=VCPU:1&required1=', '1.25').detail


@pytest.mark.parametrize('query', ['resources=', 'resources1=',
                                   'resources=VCPU:1&resources1=',
                                   'resources1=VCPU:1&resources1= '])
def test_empty_resources(query):
    assert BADLY_FORMED % 'empty string' == _refusal(query, '1.25').detail


def test_resourceless_groups_named_in_same_subtree_from_1_36():
    groups = _groups('resources1=VCPU:1&required2=A&member_of_x=%s'
                     '&same_subtree=1,2&same_subtree=_x' % AGG1, '1.36')
    assert [(group.suffix, group.resources) for group in groups] == [
        ('1', {'VCPU': 1}), ('2', {}), ('_x', {})]


@pytest.mark.parametrize('query, unnamed', [
    ('resources=VCPU:1&required1=A', "'1'"),
    ('resources1=VCPU:1&required=A', "''"),
    ('resources1=VCPU:1&in_tree2=%s&required3=A&same_subtree=1,3' % AGG1,
     "'2'"),
    ('resources1=VCPU:1&required2=A&member_of3=%s' % AGG1, "'2', '3'"),
])
def test_resourceless_group_not_in_same_subtree_from_1_36(query, unnamed):
    refused = _refusal(query, '1.36')
    assert refused.detail == (
        'Resourceless suffixed group request should be specified in '
        '`same_subtree` query param: bad group(s) - [%s].' % unnamed)
    assert refused.code == errors.QUERYPARAM_BAD_VALUE


@pytest.mark.parametrize('query', ['', 'required=A',
                                   'required2=A&same_subtree=2'])
def test_no_resources_at_all_from_1_36(query):
    refused = _refusal(query, '1.39')
    assert refused.detail == ('There must be at least one resources or '
                              'resources[$S] parameter.')
    assert refused.code == errors.QUERYPARAM_MISSING_VALUE


def test_repeated_resources_all_checked_later_amount_wins():
    assert _groups('resources1=VCPU:1,DISK_GB:5&resources1=VCPU:2',
                   '1.25')[0].resources == {'VCPU': 2, 'DISK_GB': 5}
    assert BADLY_FORMED % 'VCPU' == _refusal(
        'resources=VCPU&resources=VCPU:1', '1.25').detail


def test_repeated_in_tree_all_checked_last_wins():
    assert _groups('resources1=VCPU:1&in_tree1=%s&in_tree1=%s'
                   % (AGG1, AGG2.replace('-', '')),
                   '1.31')[0].in_tree == AGG2
    assert "to be a format of uuid. Got: nope" in _refusal(
        'resources=VCPU:1&in_tree=nope&in_tree=%s' % AGG1, '1.31').detail


def test_repeated_required_before_and_from_1_39():
    query = 'resources1=VCPU:1&required1=A&required1=B'
    assert _groups(query, '1.38')[0].required_traits == [{'B'}]
    assert _groups(query, '1.39')[0].required_traits == [{'A'}, {'B'}]


def test_repeated_member_of_in_a_group():
    groups = _groups('resources1=VCPU:1&member_of1=%s&member_of1=in:%s,%s'
                     % (AGG1, AGG1, AGG2), '1.25')
    assert groups[0].member_of == [{AGG1}, {AGG1, AGG2}]
    assert 'Multiple member_of parameters are not supported' == _refusal(
        'resources=VCPU:1&member_of=%s&member_of=%s' % (AGG1, AGG2),
        '1.23').detail


def test_forbidden_in_groups_by_microversion():
    assert 'not supported in the specified microversion' in _refusal(
        'resources1=VCPU:1&member_of1=!%s' % AGG1, '1.31').detail
    assert _groups('resources1=VCPU:1&required1=!A',
                   '1.25')[0].forbidden_traits == {'A'}
    assert 'HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: !A' in _refusal(
        'resources=VCPU:1&required=!A', '1.21').detail
    assert 'since microversion 1.39' in _refusal(
        'resources1=VCPU:1&required1=in:A,B', '1.38').detail
