"""A write to a provider that does not exist is a 404 whatever its body,
as in OpenStack Placement; the look-up that orders the errors happens
only for a body that is refused, so a good write pays nothing for it."""
import json
import uuid

import pytest
import webob

from placement import deploy
from placement.objects import aggregate as aggregate_obj
from placement.objects import inventory as inv_obj
from placement.objects import resource_provider as rp_obj
from tests import databases

MISSING = str(uuid.uuid4())

# (method, path under the provider, good body at generation 0, look-up
# that orders the errors)
WRITES = [
    ('PUT', '', {'name': 'renamed'}, (rp_obj, 'get_by_uuid')),
    ('PUT', '/aggregates',
     {'aggregates': [str(uuid.uuid4())], 'resource_provider_generation': 0},
     (aggregate_obj, 'get_for_provider')),
    ('PUT', '/inventories',
     {'inventories': {'VCPU': {'total': 4}},
      'resource_provider_generation': 0},
     (inv_obj, 'ensure_provider')),
    ('POST', '/inventories', {'resource_class': 'VCPU', 'total': 4},
     (inv_obj, 'ensure_provider')),
]
IDS = ['%s %s' % (method, path or '/') for method, path, _b, _l in WRITES]


@pytest.fixture
def app(db, database_url):
    return deploy.make_app(databases.make_conf(database_url), db=db)


def _send(app, method, path, body):
    request = webob.Request.blank(path, method=method, headers={
        'X-Auth-Token': 'admin', 'OpenStack-API-Version': 'placement latest',
        'Content-Type': 'application/json'})
    request.body = body if isinstance(body, bytes) else json.dumps(
        body).encode()
    return request.get_response(app)


def _count_calls(monkeypatch, module, name):
    calls = []
    real = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


@pytest.mark.parametrize('method, path, body, lookup', WRITES, ids=IDS)
def test_good_write_makes_no_lookup_first(app, monkeypatch, method, path,
                                          body, lookup):
    created = _send(app, 'POST', '/resource_providers', {'name': 'rp'})
    provider = created.json['uuid']
    calls = _count_calls(monkeypatch, *lookup)
    response = _send(app, method, '/resource_providers/%s%s'
                     % (provider, path), body)
    assert response.status_int in (200, 201), response.text
    assert calls == []


@pytest.mark.parametrize('method, path, body, lookup', WRITES, ids=IDS)
@pytest.mark.parametrize('bad_body', [b'{"bad": 1}', b'not json'])
def test_bad_body_for_missing_provider_is_a_404(
        app, monkeypatch, method, path, body, lookup, bad_body):
    calls = _count_calls(monkeypatch, *lookup)
    response = _send(app, method, '/resource_providers/%s%s'
                     % (MISSING, path), bad_body)
    assert response.status_int == 404, response.text
    assert MISSING in response.json['errors'][0]['detail']
    assert len(calls) == 1


@pytest.mark.parametrize('method, path, body, lookup', WRITES, ids=IDS)
def test_good_body_for_missing_provider_is_a_404(app, method, path, body,
                                                 lookup):
    response = _send(app, method, '/resource_providers/%s%s'
                     % (MISSING, path), body)
    assert response.status_int == 404, response.text
