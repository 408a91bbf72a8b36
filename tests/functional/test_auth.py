"""Authentication through keystonemiddleware and noauth2, at the HTTP
level, with the in-process application."""
import json

import pytest
import webob

from placement import deploy
from tests import databases


@pytest.fixture
def keystone_app(db, database_url):
    conf = databases.make_conf(database_url, {
        ('api', 'auth_strategy'): 'keystone',
        ('keystone_authtoken', 'www_authenticate_uri'):
            'http://identity.invalid/v3',
    })
    return deploy.make_app(conf, db=db)


def _call(app, path, headers=None):
    return webob.Request.blank(path, headers=headers or {}).get_response(app)


def test_keystone_root_needs_no_token(keystone_app):
    assert _call(keystone_app, '/').status_int == 200


def test_keystone_without_token_is_json_401(keystone_app):
    response = _call(keystone_app, '/resource_providers')
    assert response.status_int == 401
    assert response.content_type == 'application/json'
    error = json.loads(response.body)['errors'][0]
    assert error['status'] == 401 and error['title'] == 'Unauthorized'
    assert 'identity.invalid' in response.headers['WWW-Authenticate']


def test_keystone_unreachable_is_json_503_not_500(keystone_app):
    response = _call(keystone_app, '/resource_providers',
                     {'X-Auth-Token': 'some-token'})
    assert response.status_int == 503
    assert json.loads(response.body)['errors'][0]['status'] == 503


@pytest.fixture
def noauth_app(db, database_url):
    return deploy.make_app(databases.make_conf(database_url), db=db)


def test_noauth_without_token_is_401(noauth_app):
    response = _call(noauth_app, '/resource_providers')
    assert response.status_int == 401
    error = json.loads(response.body)['errors'][0]
    # webob's words, as OpenStack Placement answers.
    assert error['detail'] == (
        'This server could not verify that you are authorized to access '
        'the document you requested. Either you supplied the wrong '
        'credentials (e.g., bad password), or your browser does not '
        'understand how to supply the credentials required.')


def test_noauth_empty_token_is_a_user_without_roles(noauth_app):
    # As in OpenStack Placement: not a 401, but policy's 403 ...
    refused = _call(noauth_app, '/resource_providers', {'X-Auth-Token': ''})
    assert refused.status_int == 403
    assert json.loads(refused.body)['errors'][0]['detail'] == (
        'Policy does not allow placement:resource_providers:list to be '
        'performed.')
    # ... unless the roles say otherwise.
    allowed = _call(noauth_app, '/resource_providers',
                    {'X-Auth-Token': '', 'X-Roles': 'admin'})
    assert allowed.status_int == 200


def test_noauth_roles_from_headers(db, database_url):
    app = deploy.make_app(databases.make_conf(database_url), db=db)
    member = _call(app, '/resource_providers',
                   {'X-Auth-Token': 'alice:p1', 'X-Roles': 'member'})
    assert member.status_int == 403
    assert json.loads(member.body)['errors'][0]['status'] == 403


@pytest.mark.parametrize('scope', [{'OpenStack-System-Scope': 'all'},
                                   {'X-Domain-Id': 'default'}],
                         ids=['system', 'domain'])
def test_noauth_admin_of_another_scope_is_refused(db, database_url, scope):
    # Placement's rules are for project-scoped tokens, and oslo.policy 6
    # checks scope whatever the configuration, as OpenStack Placement
    # 16.0.0 does; with the legacy defaults too.
    conf = databases.make_conf(database_url, {
        ('oslo_policy', 'enforce_new_defaults'): False})
    app = deploy.make_app(conf, db=db)
    admin = {'X-Auth-Token': 'admin'}
    assert _call(app, '/resource_providers', admin).status_int == 200
    refused = _call(app, '/resource_providers', dict(admin, **scope))
    assert refused.status_int == 403
    assert json.loads(refused.body)['errors'][0]['detail'] == (
        'Policy does not allow placement:resource_providers:list to be '
        'performed.')


def test_cors_only_when_an_origin_is_allowed(db, database_url):
    plain = deploy.make_app(databases.make_conf(database_url), db=db)
    request = webob.Request.blank('/resource_providers', method='OPTIONS',
                                  headers={
                                      'Origin': 'http://dashboard.example',
                                      'Access-Control-Request-Method': 'GET'})
    refused = request.get_response(plain)
    assert 'Access-Control-Allow-Origin' not in refused.headers

    conf = databases.make_conf(database_url, {
        ('cors', 'allowed_origin'): ['http://dashboard.example']})
    cors_app = deploy.make_app(conf, db=db)
    allowed = request.get_response(cors_app)
    assert allowed.status_int == 200
    assert allowed.headers['Access-Control-Allow-Origin'] == \
        'http://dashboard.example'
    simple = webob.Request.blank('/', headers={
        'Origin': 'http://dashboard.example'}).get_response(cors_app)
    assert simple.headers['Access-Control-Allow-Origin'] == \
        'http://dashboard.example'
