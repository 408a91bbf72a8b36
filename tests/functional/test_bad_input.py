"""Every route and method, fed malformed input at several microversions,
answers with a JSON 4xx error document and never a 5xx."""
import json
import uuid

import pytest
import webob

from placement import deploy
from placement import router
from tests import databases

VERSIONS = ('1.0', '1.14', '1.23', '1.38', 'latest')

BAD_BODIES = (
    b'',
    b'not json',
    b'null',
    b'[]',
    b'"a string"',
    b'{}',
    b'{"name": 1}',
    b'{"resource_provider_generation": "one"}',
    b'{"resource_provider_generation": -1, "inventories": {"VCPU": {}}}',
    b'{"inventories": {"\\u0000": {"total": 1}}}',
    b'{"allocations": {"not-a-uuid": {"resources": {"VCPU": 1}}}}',
    b'{"allocations": [{"resource_provider": {"uuid": 1}}]}',
    b'{"traits": ["\\u0000"], "resource_provider_generation": 0}',
    b'{"aggregates": [1, 2], "resource_provider_generation": 0}',
    b'{"total": 1e400}',
    b'{"name": "' + b'x' * 5000 + b'"}',
    b'[' * 2000 + b']' * 2000,
    b'\xff\xfe',
)

BAD_PATH_VALUES = ('not-a-uuid', '%00', 'x' * 300, '%C3%28', "'; DROP")

BAD_QUERIES = (
    'resources=VCPU', 'resources=VCPU:-1', 'member_of=nope',
    'required=!', 'in_tree=1', 'uuid=%00', 'name=%ff', 'project_id=',
    'limit=-1', 'associated=maybe', 'consumer_type=%00',
    'name=startswith:%00', 'member_of=in:', 'required=in:,',
)


@pytest.fixture
def app(db, database_url):
    return deploy.make_app(databases.make_conf(database_url), db=db)


def _paths():
    for template, methods in router.ROUTES.items():
        for value in BAD_PATH_VALUES + (str(uuid.uuid4()),):
            path = template
            for variable in ('{uuid}', '{consumer_uuid}', '{name}',
                             '{resource_class}'):
                path = path.replace(variable, value)
            yield path, methods


def _check(app, method, path, body=None, version='latest'):
    headers = {'X-Auth-Token': 'admin',
               'OpenStack-API-Version': 'placement %s' % version}
    if body is not None:
        headers['Content-Type'] = 'application/json'
    request = webob.Request.blank(path, method=method, headers=headers)
    if body is not None:
        request.body = body
    response = request.get_response(app)
    where = '%s %s at %s with %r' % (method, path, version,
                                     (body or b'')[:60])
    assert response.status_int < 500, where + ': ' + response.text[:300]
    if response.status_int >= 400:
        document = json.loads(response.body)
        assert document['errors'][0]['status'] == response.status_int, where
    return response.status_int


def test_bad_bodies_and_paths(app):
    checked = 0
    for path, methods in _paths():
        for method in methods:
            for version in VERSIONS:
                if method in ('PUT', 'POST'):
                    for body in BAD_BODIES:
                        _check(app, method, path, body, version)
                        checked += 1
                else:
                    _check(app, method, path, version=version)
                    checked += 1
    print('%d requests with bad input, no 5xx' % checked)


def test_bad_query_strings(app):
    for template, methods in router.ROUTES.items():
        if 'GET' not in methods or '{' in template:
            continue
        for query in BAD_QUERIES:
            for version in VERSIONS:
                _check(app, 'GET', '%s?%s' % (template, query),
                       version=version)
