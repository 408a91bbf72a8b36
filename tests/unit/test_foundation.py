"""Pure pieces of the foundation: microversions, JSON bodies, the error
document and configuration sources."""
import json
import sys

import microversion_parse
import pytest
import webob
import webob.util

from placement import conf as placement_conf
from placement import exception
from placement import fault
from placement import jsonio
from placement import microversion
from placement import router


def test_versions_are_complete_and_ordered():
    assert microversion.VERSIONS == ['1.%d' % n for n in range(40)]


def _seen_by_application(environ, start_response):
    """An application that answers with what it saw of the request."""
    seen = {'version': str(microversion.of(environ)),
            'accept': environ.get('HTTP_ACCEPT')}
    start_response('200 OK', [('Content-Type', 'application/json')])
    return [json.dumps(seen).encode()]


def _through_middleware(headers, application=_seen_by_application):
    app = microversion.middleware(application, fault.error_body)
    return webob.Request.blank('/', headers=headers).get_response(app)


@pytest.mark.parametrize('header, expected', [
    (None, '1.0'),
    ('placement latest', '1.39'),
    ('placement 1.23', '1.23'),
    ('compute 2.1', '1.0'),
])
def test_requested_version(header, expected):
    headers = {'OpenStack-API-Version': header} if header else {}
    response = _through_middleware(headers)
    assert response.json['version'] == expected
    assert response.headers['OpenStack-API-Version'] == (
        'placement %s' % expected)
    assert response.headers['Vary'] == 'openstack-api-version'


def test_version_named_in_error_responses_of_the_application():
    def refusing(environ, start_response):
        return fault.error_response(environ, 409, 'taken')(
            environ, start_response)
    response = _through_middleware(
        {'OpenStack-API-Version': 'placement 1.23'}, refusing)
    assert response.status_int == 409
    assert response.json['errors'][0]['code'] == 'placement.undefined_code'
    assert response.headers['OpenStack-API-Version'] == 'placement 1.23'
    assert response.headers['Vary'] == 'openstack-api-version'


# Details as OpenStack Placement 16.0.0 gives them (webob's explanation,
# then the library's message).
@pytest.mark.parametrize('header, status, detail', [
    ('placement 1.40', 406,
     'The resource could not be generated that was acceptable to your '
     'browser (content of type application/json. \n\n Invalid '
     'microversion: Unacceptable version header: 1.40'),
    ('placement 0.9', 406,
     'The resource could not be generated that was acceptable to your '
     'browser (content of type application/json. \n\n Invalid '
     'microversion: Unacceptable version header: 0.9'),
    ('placement 1.x', 400,
     'The server could not comply with the request since it is either '
     'malformed or otherwise incorrect.\n\n Invalid microversion: invalid '
     "version string: 1.x; invalid literal for int() with base 10: 'x'  "),
])
@pytest.mark.parametrize('accept', [None, 'text/html', 'text/plain'])
def test_bad_versions_answer_the_error_document(header, status, detail,
                                                accept):
    headers = {'OpenStack-API-Version': header}
    if accept:
        headers['Accept'] = accept
    response = _through_middleware(headers)
    assert response.status_int == status
    assert response.content_type == 'application/json'
    error = response.json['errors'][0]
    assert error['detail'] == detail
    assert error['title'] == webob.util.status_reasons[status]
    # Without a version there is no code, as before 1.23.
    assert 'code' not in error
    if status == 406:
        assert (error['min_version'], error['max_version']) == (
            '1.0', '1.39')
    assert 'OpenStack-API-Version' not in response.headers


@pytest.mark.parametrize('accept', [None, 'text/html', '*/*'])
def test_application_sees_the_clients_accept_header(accept):
    headers = {'Accept': accept} if accept else {}
    assert _through_middleware(headers).json['accept'] == accept


SCHEMA = {'type': 'object', 'properties': {'name': {'type': 'string'}},
          'required': ['name'], 'additionalProperties': False}


def _request(body):
    req = webob.Request.blank('/', method='POST',
                              content_type='application/json')
    req.body = body if isinstance(body, bytes) else body.encode()
    return req


def test_extract_accepts_valid_body():
    assert jsonio.extract(_request('{"name": "x"}'), SCHEMA) == {'name': 'x'}


# OpenStack Placement's words: jsonschema's or the decoder's own message
# after its preamble; ours says where, when the message does not.
@pytest.mark.parametrize('body, detail', [
    ('{"name": 1}',
     "JSON does not validate: 1 is not of type 'string' (at 'name')"),
    ('{}', "JSON does not validate: 'name' is a required property"),
    ('{"name": "x", "extra": 1}', "JSON does not validate: Additional "
                                  "properties are not allowed ('extra' "
                                  "was unexpected)"),
    ('{"name": ', 'Malformed JSON: Expecting value: line 1 column 10 '
                  '(char 9)'),
    (b'{"name": "\xff"}', "Malformed JSON: 'utf-8' codec can't decode "
                          "byte 0xff in position 10: invalid start byte"),
    ('{"name": "x\\u0000"}', 'The body contains a NUL character, which '
                             'no field accepts.'),
])
def test_extract_refuses_bad_bodies(body, detail):
    with pytest.raises(exception.BadRequest) as raised:
        jsonio.extract(_request(body), SCHEMA)
    assert raised.value.detail == detail


def test_schema_speaks_before_the_nul_check():
    schema = {'type': 'object',
              'properties': {'name': {'type': 'string', 'pattern': '^A+$'}}}
    with pytest.raises(exception.BadRequest) as raised:
        jsonio.extract(_request('{"name": "A\\u0000"}'), schema)
    assert raised.value.detail == (
        "JSON does not validate: 'A\\x00' does not match '^A+$' "
        "(at 'name')")


@pytest.mark.parametrize('content_type, shown', [
    ('text/plain', 'text/plain'), ('', 'None'),
    ('application/json-patch+json', 'application/json-patch+json'),
])
def test_body_must_be_json(content_type, shown):
    req = _request('{"name": "x"}')
    req.content_type = content_type
    with pytest.raises(exception.UnsupportedMediaType) as raised:
        jsonio.extract(req, SCHEMA)
    assert raised.value.detail == (
        'The media type %s is not supported, use application/json' % shown)


def test_a_body_needs_a_content_type():
    req = webob.Request.blank('/', method='GET', body=b'x')
    del req.content_type
    with pytest.raises(exception.BadRequest) as raised:
        jsonio.refuse_untyped_body(req)
    assert raised.value.detail == (
        'content-type header required when content-length > 0')
    req.content_type = 'text/plain'
    jsonio.refuse_untyped_body(req)
    empty = webob.Request.blank('/', method='PUT')
    del empty.content_type
    jsonio.refuse_untyped_body(empty)


@pytest.mark.parametrize('body', [
    '[' * 100000 + ']' * 100000,
    '{"a": ' * 100000 + '1' + '}' * 100000,
    '{"name": ' + '[' * 100000,
])
def test_extract_refuses_absurd_nesting(body):
    with pytest.raises(exception.BadRequest) as raised:
        jsonio.extract(_request(body), SCHEMA)
    assert raised.value.detail == jsonio.TOO_DEEP


def _deepest_decodable():
    """The deepest list json.loads decodes from here."""
    low, high = 1, sys.getrecursionlimit()
    while low < high:
        middle = (low + high + 1) // 2
        try:
            json.loads('[' * middle + ']' * middle)
            low = middle
        except RecursionError:
            high = middle - 1
    return low


def test_extract_refuses_the_deepest_body_the_decoder_takes():
    depth = _deepest_decodable()
    for body in ('[' * depth + ']' * depth,
                 '{"name": %s}' % ('[' * (depth - 1) + ']' * (depth - 1))):
        with pytest.raises(exception.BadRequest):
            jsonio.extract(_request(body), SCHEMA)


def _nested(depth):
    value = []
    for _level in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize('data', [_nested(50000), {'name': _nested(50000)}])
def test_validate_refuses_what_it_cannot_describe(data):
    # The validator's message holds the value's repr, which recurses.
    with pytest.raises(exception.BadRequest) as raised:
        jsonio.validate(data, SCHEMA)
    assert raised.value.detail == jsonio.TOO_DEEP


def test_nul_found_at_any_depth():
    data = {'name': _nested(50000)}
    data['name'][0][0].append('\x00')
    with pytest.raises(exception.BadRequest, match='a NUL character'):
        jsonio._refuse_unstorable(data)
    jsonio._refuse_unstorable({'name': _nested(50000)})


def test_lone_surrogate_refused():
    with pytest.raises(exception.BadRequest, match='a lone surrogate'):
        jsonio._refuse_unstorable({'name': ['ok', '\ud800']})


def test_before_refusal_runs_only_for_a_refused_body():
    calls = []
    assert jsonio.extract(_request('{"name": "x"}'), SCHEMA,
                          before_refusal=lambda: calls.append(1))
    assert calls == []
    for body in ('{}', 'not json', b'\xff'):
        with pytest.raises(exception.BadRequest):
            jsonio.extract(_request(body), SCHEMA,
                           before_refusal=lambda: calls.append(1))
    assert calls == [1, 1, 1]


def test_before_refusal_error_wins():
    def missing():
        raise exception.NotFound('no such provider')

    with pytest.raises(exception.NotFound):
        jsonio.extract(_request('{}'), SCHEMA, before_refusal=missing)


def test_nesting_inside_strings_does_not_count():
    body = json.dumps({'name': '[' * 1000})
    assert jsonio.extract(_request(body), SCHEMA)['name'] == '[' * 1000


def _version(number):
    return microversion_parse.extract_version(
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


def test_every_write_says_whether_its_body_is_json():
    # A route added without its entry would read its body unchecked, after
    # policy and the lookup of its target (OpenStack Placement answers 415
    # before either).
    bodiless = {('/traits/{name}', 'PUT')}
    writes = {(path, method) for path, methods in router.ROUTES.items()
              for method in methods if method in ('PUT', 'POST', 'PATCH')}
    assert writes - bodiless == set(router.JSON_BODIES)
