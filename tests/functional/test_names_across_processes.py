"""Resource class and trait names seen by two server processes on one
database: what one process deletes or creates, the other sees at once.

Process B uses a custom class (and a custom trait); process A deletes it
and creates another, which may take the deleted one's id. B must then
refuse the old name, and A must never read B's write under the new name,
nor answer 500.
"""
import uuid

from tests import databases
from tests import servers

call = servers.call


def _provider(server, name):
    uuid_ = str(uuid.uuid4())
    status, _ = call(server, 'POST', '/resource_providers',
                     {'name': name, 'uuid': uuid_})
    assert status == 200
    return uuid_


def _inventories(generation, **totals):
    return {'resource_provider_generation': generation,
            'inventories': {name: {'total': total}
                            for name, total in totals.items()}}


def _error(body):
    return body['errors'][0]['code'], body['errors'][0]['detail']


def _class_sequence(a, b, create_after_delete):
    assert call(a, 'PUT', '/resource_classes/CUSTOM_A')[0] == 201
    used = _provider(b, 'uses-a')
    target = _provider(b, 'target')
    # B looks the class up, and writes and removes an inventory of it.
    assert call(b, 'GET', '/resource_providers?resources=CUSTOM_A:1')[0] \
        == 200
    assert call(b, 'PUT', '/resource_providers/%s/inventories' % used,
                _inventories(0, CUSTOM_A=4))[0] == 200
    assert call(b, 'DELETE',
                '/resource_providers/%s/inventories' % used)[0] == 204

    assert call(a, 'DELETE', '/resource_classes/CUSTOM_A')[0] == 204
    if create_after_delete:
        assert call(a, 'PUT', '/resource_classes/CUSTOM_B')[0] == 201

    status, body = call(b, 'PUT',
                        '/resource_providers/%s/inventories' % target,
                        _inventories(0, CUSTOM_A=4))
    assert status == 400, body
    assert 'CUSTOM_A' in _error(body)[1]
    for server in (a, b):
        status, body = call(server, 'GET',
                            '/resource_providers/%s/inventories' % target)
        assert (status, body['inventories']) == (200, {})
    status, body = call(a, 'GET', '/resource_providers?resources=CUSTOM_A:1')
    assert status == 400, body


def test_class_deleted_and_another_created(database_url, tmp_path):
    databases.fresh_database(database_url).dispose()
    with servers.running(database_url, tmp_path, count=2) as (a, b):
        _class_sequence(a, b, create_after_delete=True)


def test_class_deleted(database_url, tmp_path):
    databases.fresh_database(database_url).dispose()
    with servers.running(database_url, tmp_path, count=2) as (a, b):
        _class_sequence(a, b, create_after_delete=False)


def test_trait_deleted_and_another_created(database_url, tmp_path):
    databases.fresh_database(database_url).dispose()
    with servers.running(database_url, tmp_path, count=2) as (a, b):
        assert call(a, 'PUT', '/traits/CUSTOM_T')[0] == 201
        provider = _provider(b, 'traited')
        assert call(b, 'GET',
                    '/resource_providers?required=CUSTOM_T')[0] == 200
        assert call(a, 'DELETE', '/traits/CUSTOM_T')[0] == 204
        assert call(a, 'PUT', '/traits/CUSTOM_U')[0] == 201
        status, body = call(b, 'PUT',
                            '/resource_providers/%s/traits' % provider,
                            {'resource_provider_generation': 0,
                             'traits': ['CUSTOM_T']})
        assert status == 400, body
        assert 'CUSTOM_T' in _error(body)[1]
        for server in (a, b):
            status, body = call(server, 'GET',
                                '/resource_providers/%s/traits' % provider)
            assert (status, body['traits']) == (200, [])
        assert call(b, 'GET',
                    '/resource_providers?required=CUSTOM_T')[0] == 400
        assert call(b, 'GET', '/traits/CUSTOM_U')[0] == 204
