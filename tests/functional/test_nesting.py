"""Deeply nested JSON bodies, through the whole application: Python's
recursion limit is the only bound, and reaching it is a 400, never a
500."""
import json

import pytest
import webob

from placement import deploy
from placement import jsonio
from tests import databases

# Around the decoder's limit (which depends on the stack the request
# arrives with), and far beyond it.
DEPTHS = list(range(800, 1010, 10)) + [2000, 100000]


@pytest.fixture
def app(db, database_url):
    return deploy.make_app(databases.make_conf(database_url), db=db)


def _post(app, path, body):
    request = webob.Request.blank(path, method='POST', headers={
        'X-Auth-Token': 'admin', 'OpenStack-API-Version': 'placement latest',
        'Content-Type': 'application/json'})
    request.body = body.encode()
    return request.get_response(app)


@pytest.mark.parametrize('depth', DEPTHS)
@pytest.mark.parametrize('path, wrap', [
    ('/resource_providers', '{"name": %s}'),
    ('/allocations', '%s'),
])
def test_deep_nesting_is_a_400(app, depth, path, wrap):
    body = wrap % ('[' * depth + ']' * depth)
    response = _post(app, path, body)
    assert response.status_int == 400, response.text[:300]
    error = json.loads(response.body)['errors'][0]
    assert error['status'] == 400
    assert error['code'] == 'placement.undefined_code'


def test_absurd_nesting_says_so(app):
    response = _post(app, '/resource_providers', '[' * 100000)
    assert response.status_int == 400
    assert json.loads(response.body)['errors'][0]['detail'] == (
        jsonio.TOO_DEEP)
