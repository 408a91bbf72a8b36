"""Secrets stay out of logs and error bodies.

A request carries a token that keystonemiddleware (through its own test
fixture) accepts; the database URL carries a password (on PostgreSQL,
whose trust authentication ignores it). With every logger at DEBUG, the
service serves good requests, refused ones and one that fails
unexpectedly, and logs its configuration as a service does at start-up:
no log record holds the token or the password, and no error body holds a
traceback, a source file, SQL or either secret.
"""
import json
import logging
import uuid

from keystonemiddleware import fixture as keystone_fixture
import pytest
import sqlalchemy as sa
import webob

from placement import deploy
from placement.db import api as db_api
from placement.objects import resource_provider
from tests import databases

TOKEN = 'token-%s' % uuid.uuid4().hex
PASSWORD = 'password-%s' % uuid.uuid4().hex

# What an error body must not show, whatever went wrong.
LEAKS = ('Traceback', '.py"', '.py:', 'sqlalche.me', 'SELECT ', 'INSERT ',
         'psycopg2', 'pymysql', 'sqlite3', TOKEN, PASSWORD)


def _with_password(url, backend):
    if backend != 'postgresql':
        return url
    return sa.engine.make_url(url).set(password=PASSWORD).render_as_string(
        hide_password=False)


@pytest.fixture
def keystone(db, database_url, backend):
    """(conf, application) on the emptied database of ``db``, reached
    through a URL that carries PASSWORD, accepting TOKEN."""
    url = _with_password(database_url, backend)
    conf = databases.make_conf(url, {
        ('api', 'auth_strategy'): 'keystone',
        ('keystone_authtoken', 'www_authenticate_uri'):
            'http://identity.invalid/v3',
    })
    tokens = keystone_fixture.AuthTokenFixture()
    tokens.setUp()
    tokens.add_token_data(token_id=TOKEN, user_id='operator',
                          project_id=uuid.uuid4().hex,
                          role_list=['admin', 'member', 'reader'])
    db = db_api.Database(conf)
    try:
        yield conf, deploy.make_app(conf, db=db)
    finally:
        db.dispose()
        tokens.cleanUp()


def _call(app, method, path, body=None):
    request = webob.Request.blank(path, method=method, headers={
        'X-Auth-Token': TOKEN,
        'OpenStack-API-Version': 'placement 1.39'})
    if body is not None:
        request.body = json.dumps(body).encode()
        request.content_type = 'application/json'
    return request.get_response(app)


def _leaks(text):
    return [leak for leak in LEAKS if leak in text]


def test_no_secret_in_logs_or_error_bodies(keystone, caplog, monkeypatch,
                                           backend, capsys):
    conf, app = keystone
    caplog.set_level(logging.DEBUG)
    conf.log_opt_values(logging.getLogger('placement.test'), logging.DEBUG)
    created = _call(app, 'POST', '/resource_providers', {'name': 'secret'})
    assert created.status_int == 200, created.body
    answers = [
        _call(app, 'GET', '/resource_providers'),
        _call(app, 'PUT', '/resource_providers/%s/inventories'
              % created.json['uuid'], {'inventories': 'none'}),
        _call(app, 'GET', '/resource_providers/%s' % uuid.uuid4()),
        _call(app, 'POST', '/resource_providers', {'name': 'secret'}),
    ]

    def fail(*args, **kwargs):
        raise sa.exc.OperationalError(
            'SELECT * FROM resource_providers WHERE name = %(name)s',
            {'name': 'secret'}, RuntimeError('the database said no'))
    monkeypatch.setattr(resource_provider, 'get_all', fail)
    answers.append(_call(app, 'GET', '/resource_providers'))

    assert [answer.status_int for answer in answers] == [
        200, 400, 404, 409, 500]
    for answer in answers[1:]:
        assert not _leaks(answer.text), answer.text
    # The failure was logged, traceback and all, but without the secrets.
    assert any(record.exc_info for record in caplog.records)
    with capsys.disabled():
        print('\nsecrets %s: %d log records and %d error bodies checked, '
              '%d showing the token, %d the password' % (
                  backend, len(caplog.records), len(answers) - 1,
                  caplog.text.count(TOKEN), caplog.text.count(PASSWORD)))
    assert TOKEN not in caplog.text
    assert PASSWORD not in caplog.text
    # The token did reach the service: it was who created the provider.
    assert created.json['name'] == 'secret'
