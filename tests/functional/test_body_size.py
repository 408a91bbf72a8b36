"""Request body size: the largest bodies real callers send are accepted at
the default [api] max_request_body_size, and larger ones are answered with
the JSON 413 error document."""
import io
import json
import uuid

import pytest
import webob

from placement.conf import api as api_conf
from placement import deploy
from tests import databases

VERSION = 'placement 1.39'
CONSUMERS = 1000
# The default before issue 13: it refused the bodies below.
OLD_LIMIT = 114688
LIMIT = next(opt.default for opt in api_conf.OPTS
             if opt.name == 'max_request_body_size')

COMPUTE_USE = {'VCPU': 2, 'MEMORY_MB': 4096, 'DISK_GB': 40}
NIC_USE = {'NET_BW_EGR_KILOBIT_PER_SEC': 1000,
           'NET_BW_IGR_KILOBIT_PER_SEC': 1000,
           'NET_PACKET_RATE_KILOPACKET_PER_SEC': 10}


@pytest.fixture
def app(db, database_url):
    # The configuration's defaults, so that the default limit is tested.
    return deploy.make_app(databases.make_conf(database_url), db=db)


def _request(app, method, path, body=None):
    request = webob.Request.blank(path, method=method, headers={
        'X-Auth-Token': 'admin', 'OpenStack-API-Version': VERSION,
        'Accept': 'application/json'})
    if body is not None:
        request.content_type = 'application/json'
        request.body = body if isinstance(body, bytes) else (
            json.dumps(body).encode())
    return request.get_response(app)


def _create_provider(app, name, use, parent=None):
    rp_uuid = str(uuid.uuid4())
    body = {'name': name, 'uuid': rp_uuid}
    if parent:
        body['parent_provider_uuid'] = parent
    assert _request(app, 'POST', '/resource_providers', body).status_int == 200
    inventories = {name: {'total': amount * CONSUMERS, 'max_unit': amount}
                   for name, amount in use.items()}
    response = _request(
        app, 'PUT', '/resource_providers/%s/inventories' % rp_uuid,
        {'resource_provider_generation': 0, 'inventories': inventories})
    assert response.status_int == 200, response.text
    return rp_uuid


def _moving_consumers(compute, nic):
    """The body nova would send: each consumer with its instance's
    resources on the compute node and its port's on the NIC."""
    return {str(uuid.uuid4()): {
        'allocations': {compute: {'resources': COMPUTE_USE},
                        nic: {'resources': NIC_USE}},
        'project_id': uuid.uuid4().hex,
        'user_id': uuid.uuid4().hex,
        'consumer_generation': None,
        'consumer_type': 'INSTANCE',
        'mappings': {'': [compute], str(uuid.uuid4()): [nic]},
    } for _ in range(CONSUMERS)}


def _error(response):
    assert response.content_type == 'application/json'
    [error] = json.loads(response.body)['errors']
    return error


def _assert_too_large(response):
    assert response.status_int == 413, response.text[:300]
    error = _error(response)
    assert error['status'] == 413
    assert error['title'] == 'Request Entity Too Large'
    assert error['code'] == 'placement.undefined_code'
    assert error['detail'] == (
        'The request body is larger than %d bytes.' % LIMIT)


def test_allocations_for_a_thousand_consumers_are_accepted(app):
    compute = _create_provider(app, 'compute-1', COMPUTE_USE)
    nic = _create_provider(app, 'compute-1-nic', NIC_USE, parent=compute)
    body = json.dumps(_moving_consumers(compute, nic)).encode()
    assert len(body) > 5 * OLD_LIMIT

    response = _request(app, 'POST', '/allocations', body)

    assert response.status_int == 204, response.text[:300]
    usages = json.loads(_request(
        app, 'GET', '/resource_providers/%s/usages' % nic).body)['usages']
    assert usages == {name: amount * CONSUMERS
                      for name, amount in NIC_USE.items()}


def test_body_at_the_limit_is_read(app):
    # Valid JSON, padded to the limit: refused by the schema, not the size.
    body = b'{}' + b' ' * (LIMIT - 2)
    response = _request(app, 'POST', '/allocations', body)
    assert response.status_int == 400, response.text[:300]


@pytest.mark.parametrize('size', [LIMIT + 1, 10 * 1024 * 1024],
                         ids=['one-byte-over', '10MiB'])
def test_body_over_the_limit_is_json_413(app, size):
    body = b'{}' + b' ' * (size - 2)
    _assert_too_large(_request(app, 'POST', '/allocations', body))


def test_body_over_the_limit_without_content_length_is_json_413(app):
    # A chunked body declares no length (the server says it can be read
    # to its end): the router counts what it reads.
    request = webob.Request.blank('/allocations', method='POST', headers={
        'X-Auth-Token': 'admin', 'OpenStack-API-Version': VERSION,
        'Content-Type': 'application/json',
        'Transfer-Encoding': 'chunked'})
    request.environ.pop('CONTENT_LENGTH', None)
    request.environ['wsgi.input'] = io.BytesIO(b' ' * (LIMIT + 1))
    request.environ['wsgi.input_terminated'] = True
    _assert_too_large(request.get_response(app))
