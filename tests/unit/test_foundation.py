"""Pure pieces of the foundation: microversions, JSON bodies, the error
document and configuration sources."""
import json

import pytest
import webob

from placement import conf as placement_conf
from placement import exception
from placement import fault
from placement import jsonio
from placement import microversion


def test_versions_are_complete_and_ordered():
    assert microversion.VERSIONS == ['1.%d' % n for n in range(40)]


@pytest.mark.parametrize('header, expected', [
    (None, '1.0'),
    ('placement latest', '1.39'),
    ('placement 1.23', '1.23'),
    ('compute 2.1', '1.0'),
])
def test_requested_version(header, expected):
    environ = webob.Request.blank('/').environ
    if header:
        environ['HTTP_OPENSTACK_API_VERSION'] = header
    assert str(microversion.MicroversionMiddleware._requested_version(
        environ)) == expected


@pytest.mark.parametrize('header, error', [
    ('placement 1.40', exception.NotAcceptable),
    ('placement 0.9', exception.NotAcceptable),
    ('placement 1.x', exception.BadRequest),
])
def test_bad_versions(header, error):
    environ = webob.Request.blank(
        '/', headers={'OpenStack-API-Version': header}).environ
    with pytest.raises(error):
        microversion.MicroversionMiddleware._requested_version(environ)


SCHEMA = {'type': 'object', 'properties': {'name': {'type': 'string'}},
          'required': ['name'], 'additionalProperties': False}


def _request(body):
    req = webob.Request.blank('/', method='POST',
                              content_type='application/json')
    req.body = body if isinstance(body, bytes) else body.encode()
    return req


def test_extract_accepts_valid_body():
    assert jsonio.extract(_request('{"name": "x"}'), SCHEMA) == {'name': 'x'}


@pytest.mark.parametrize('body, fragment', [
    ('{"name": 1}', "1 is not of type 'string'"),
    ('{}', "'name' is a required property"),
    ('{"name": "x", "extra": 1}', 'Additional properties'),
    ('{"name": ', 'Malformed JSON'),
    (b'{"name": "\xff"}', 'not UTF-8'),
    ('[' * 1000 + ']' * 1000, 'nested more than'),
])
def test_extract_refuses_bad_bodies(body, fragment):
    with pytest.raises(exception.BadRequest) as raised:
        jsonio.extract(_request(body), SCHEMA)
    assert fragment in raised.value.detail


def test_nesting_inside_strings_does_not_count():
    body = json.dumps({'name': '[' * 1000})
    assert jsonio.extract(_request(body), SCHEMA)['name'] == '[' * 1000


def _version(number):
    return microversion.microversion_parse.extract_version(
        {'openstack-api-version': 'placement ' + number}, 'placement',
        microversion.VERSIONS)


def test_error_document_has_code_only_from_1_23():
    environ = {microversion.ENVIRON_KEY: _version('1.22')}
    body = fault.error_body(environ, 409, 'taken', 'placement.x')
    assert 'code' not in body['errors'][0]
    environ[microversion.ENVIRON_KEY] = _version('1.23')
    error = fault.error_body(environ, 409, 'taken', 'placement.x')['errors'][0]
    assert error == {'status': 409, 'title': 'Conflict', 'detail': 'taken',
                     'request_id': None, 'code': 'placement.x'}


def test_environment_overrides_config_file(tmp_path, monkeypatch):
    (tmp_path / 'placement.conf').write_text(
        '[placement]\nallocation_conflict_retry_count = 3\n'
        '[api]\nauth_strategy = noauth2\n')
    monkeypatch.setenv('OS_PLACEMENT_CONFIG_DIR', str(tmp_path))
    monkeypatch.setenv('OS_PLACEMENT__ALLOCATION_CONFLICT_RETRY_COUNT', '7')
    conf = placement_conf.load()
    assert conf.api.auth_strategy == 'noauth2'
    assert conf.placement.allocation_conflict_retry_count == 7
