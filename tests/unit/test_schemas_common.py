"""The one uuid check (bodies, query strings, paths) and the validators
built once per schema."""
import pytest
import webob

from placement import exception
from placement import jsonio
from placement import queryparams
from placement.schemas import allocation
from placement.schemas import common

UUID = '5d1e3ca8-63b1-4b5b-8f1a-3f8c1b0e9a2d'

# The forms OpenStack Placement takes in bodies (oslo's is_uuid_like).
UUID_FORMS = [UUID, UUID.upper(), UUID.replace('-', ''), '{%s}' % UUID,
              'urn:uuid:' + UUID, UUID.replace('-', '', 1) + '-']
NOT_UUIDS = ['', 'nope', UUID[:-1], UUID + '0', UUID + ' ', ' ' + UUID,
             'g' * 32, UUID.replace('-', '_'), None, 42]


@pytest.mark.parametrize('value', UUID_FORMS)
def test_uuid_forms(value):
    assert common.is_uuid(value)
    assert common.canonical_uuid(value) == UUID
    assert common.path_uuid(value) == UUID


@pytest.mark.parametrize('value', NOT_UUIDS)
def test_not_uuids(value):
    assert not common.is_uuid(value)


@pytest.mark.parametrize('value', [value for value in NOT_UUIDS
                                   if isinstance(value, str)])
def test_path_without_uuid(value):
    assert common.path_uuid(value) is None


BODY = {'type': 'object', 'properties': {'uuid': common.UUID},
        'additionalProperties': False}


@pytest.mark.parametrize('value', UUID_FORMS)
def test_body_takes_uuid_forms(value):
    jsonio.validate({'uuid': value}, BODY)


@pytest.mark.parametrize('value', ['nope', UUID[:-1]])
def test_body_refuses_what_is_no_uuid(value):
    with pytest.raises(exception.BadRequest) as raised:
        jsonio.validate({'uuid': value}, BODY)
    assert raised.value.detail == (
        "JSON does not validate: %r is not a 'uuid' (at 'uuid')" % value)


def test_body_refuses_a_uuid_of_another_type():
    with pytest.raises(exception.BadRequest,
                       match="42 is not of type 'string'"):
        jsonio.validate({'uuid': 42}, BODY)


def test_keys_are_checked_by_upstreams_pattern():
    # Keys take OpenStack Placement's pattern, and so its message; a key
    # that matches it but is no uuid is refused later, by name.
    consumer = {'allocations': {}, 'project_id': 'p', 'user_id': 'u'}
    jsonio.validate({UUID.upper(): consumer}, allocation.POST_ALLOCATIONS_1_13)
    with pytest.raises(exception.BadRequest,
                       match="'nope' does not match any of the regexes"):
        jsonio.validate({'nope': consumer}, allocation.POST_ALLOCATIONS_1_13)


def test_query_string_gets_the_same_check():
    def params(query):
        return queryparams.extract(webob.Request.blank('/?' + query), BODY)

    assert params('uuid=' + UUID.replace('-', '')) == {
        'uuid': UUID.replace('-', '')}
    with pytest.raises(exception.BadRequest,
                       match="'nope' is not a 'uuid'"):
        params('uuid=nope')


def test_validator_is_built_once_per_schema(monkeypatch):
    built = []
    real = common._Validator

    def counting(*args, **kwargs):
        built.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(common, '_Validator', counting)
    schema = {'type': 'object', 'properties': {'uuid': common.UUID}}
    for _request in range(3):
        jsonio.validate({'uuid': UUID}, schema)
        queryparams.extract(webob.Request.blank('/?uuid=' + UUID), schema)
    assert built == [schema]


def test_equal_schemas_keep_their_own_validators():
    first = {'type': 'string'}
    second = {'type': 'string'}
    assert common.validator(first) is common.validator(first)
    assert common.validator(first) is not common.validator(second)
    assert common.validator(second).schema is second
