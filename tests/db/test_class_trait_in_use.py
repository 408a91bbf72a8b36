"""A resource class that an inventory uses, and a trait that a provider
has, cannot be deleted: 409 through the API, on every backend. The
association rows are written straight into the tables."""
import uuid as uuidlib

import pytest
import webob

from placement import context
from placement.db import tables
from placement import deploy
from placement.objects import resource_class
from placement.objects import resource_provider as rp_obj
from placement.objects import trait
from tests import databases


@pytest.fixture
def ctx(db):
    return context.RequestContext(user_id='admin', project_id='admin',
                                  roles=['admin'], db=db)


@pytest.fixture
def app(db, database_url):
    return deploy.make_app(databases.make_conf(database_url), db=db)


@pytest.fixture
def provider_id(ctx):
    created = rp_obj.create(ctx, 'rp-%s' % uuidlib.uuid4().hex[:8])
    with ctx.db.reader(ctx) as conn:
        return rp_obj.get_row(conn, created['uuid']).id


def _call(app, method, path, version='1.23'):
    req = webob.Request.blank(path, method=method, headers={
        'x-auth-token': 'admin',
        'openstack-api-version': 'placement %s' % version})
    return req.get_response(app)


def _add_inventory(ctx, provider_id, class_name):
    with ctx.db.writer(ctx) as conn:
        conn.execute(tables.inventories.insert().values(
            resource_provider_id=provider_id,
            resource_class_id=resource_class.id_of(ctx, conn, class_name),
            total=8, reserved=0, min_unit=1, max_unit=8, step_size=1,
            allocation_ratio=1.0))


def _add_trait(ctx, provider_id, trait_name):
    with ctx.db.writer(ctx) as conn:
        conn.execute(tables.resource_provider_traits.insert().values(
            resource_provider_id=provider_id,
            trait_id=trait.id_of(ctx, conn, trait_name)))


def _remove_associations(ctx):
    with ctx.db.writer(ctx) as conn:
        conn.execute(tables.inventories.delete())
        conn.execute(tables.resource_provider_traits.delete())


def test_class_in_use_is_a_conflict(app, ctx, provider_id):
    assert _call(app, 'PUT', '/resource_classes/CUSTOM_USED').status_int \
        == 201
    _add_inventory(ctx, provider_id, 'CUSTOM_USED')

    resp = _call(app, 'DELETE', '/resource_classes/CUSTOM_USED')

    assert resp.status_int == 409
    error = resp.json['errors'][0]
    assert 'CUSTOM_USED' in error['detail']
    assert 'inventory' in error['detail']
    assert error['code'] == 'placement.undefined_code'
    assert _call(app, 'GET', '/resource_classes/CUSTOM_USED').status_int \
        == 200


def test_class_no_longer_in_use_can_be_deleted(app, ctx, provider_id):
    _call(app, 'PUT', '/resource_classes/CUSTOM_ONCE_USED')
    _add_inventory(ctx, provider_id, 'CUSTOM_ONCE_USED')
    _remove_associations(ctx)

    resp = _call(app, 'DELETE', '/resource_classes/CUSTOM_ONCE_USED')

    assert resp.status_int == 204
    assert _call(app, 'GET', '/resource_classes/CUSTOM_ONCE_USED') \
        .status_int == 404


def test_other_classes_are_free_while_one_is_used(app, ctx, provider_id):
    _call(app, 'PUT', '/resource_classes/CUSTOM_USED')
    _call(app, 'PUT', '/resource_classes/CUSTOM_FREE')
    _add_inventory(ctx, provider_id, 'CUSTOM_USED')

    assert _call(app, 'DELETE', '/resource_classes/CUSTOM_FREE') \
        .status_int == 204


def test_standard_class_in_use_is_refused_as_standard(app, ctx,
                                                      provider_id):
    _add_inventory(ctx, provider_id, 'VCPU')

    resp = _call(app, 'DELETE', '/resource_classes/VCPU')

    assert resp.status_int == 400
    assert 'standard' in resp.json['errors'][0]['detail']


def test_class_in_use_may_be_renamed_before_1_7(app, ctx, provider_id):
    _call(app, 'PUT', '/resource_classes/CUSTOM_OLD', version='1.7')
    _add_inventory(ctx, provider_id, 'CUSTOM_OLD')
    req = webob.Request.blank(
        '/resource_classes/CUSTOM_OLD', method='PUT',
        body=b'{"name": "CUSTOM_NEW"}', content_type='application/json',
        headers={'x-auth-token': 'admin',
                 'openstack-api-version': 'placement 1.6'})

    resp = req.get_response(app)

    assert resp.status_int == 200
    assert resp.json['name'] == 'CUSTOM_NEW'
    with ctx.db.reader(ctx) as conn:
        used = conn.execute(
            tables.inventories.select()).one().resource_class_id
        assert resource_class.id_of(ctx, conn, 'CUSTOM_NEW') == used


def test_trait_in_use_is_a_conflict(app, ctx, provider_id):
    assert _call(app, 'PUT', '/traits/CUSTOM_USED').status_int == 201
    _add_trait(ctx, provider_id, 'CUSTOM_USED')

    resp = _call(app, 'DELETE', '/traits/CUSTOM_USED')

    assert resp.status_int == 409
    error = resp.json['errors'][0]
    assert 'CUSTOM_USED' in error['detail']
    assert error['code'] == 'placement.undefined_code'
    assert _call(app, 'GET', '/traits/CUSTOM_USED').status_int == 204


def test_trait_no_longer_in_use_can_be_deleted(app, ctx, provider_id):
    _call(app, 'PUT', '/traits/CUSTOM_ONCE_USED')
    _add_trait(ctx, provider_id, 'CUSTOM_ONCE_USED')
    _remove_associations(ctx)

    assert _call(app, 'DELETE', '/traits/CUSTOM_ONCE_USED').status_int \
        == 204
    assert _call(app, 'GET', '/traits/CUSTOM_ONCE_USED').status_int == 404


def test_standard_trait_in_use_is_refused_as_standard(app, ctx,
                                                      provider_id):
    _add_trait(ctx, provider_id, 'HW_CPU_X86_AVX')

    resp = _call(app, 'DELETE', '/traits/HW_CPU_X86_AVX')

    assert resp.status_int == 400


def test_associated_filter(app, ctx, provider_id):
    for name in ('CUSTOM_ON', 'CUSTOM_OFF'):
        _call(app, 'PUT', '/traits/%s' % name)
    _add_trait(ctx, provider_id, 'CUSTOM_ON')
    _add_trait(ctx, provider_id, 'HW_CPU_X86_AVX')

    def names(query):
        resp = _call(app, 'GET', '/traits?%s' % query)
        assert resp.status_int == 200, resp.text
        return resp.json['traits']

    assert names('associated=true') == ['CUSTOM_ON', 'HW_CPU_X86_AVX']
    assert names('associated=true&name=startswith:CUSTOM_') == ['CUSTOM_ON']
    assert names('associated=false&name=startswith:CUSTOM_') == [
        'CUSTOM_OFF']
    assert names('associated=false&name=in:CUSTOM_ON,HW_CPU_X86_AVX') == []
    assert 'HW_CPU_X86_SSE' in names('associated=false')
    assert 'HW_CPU_X86_AVX' not in names('associated=false')


def test_associated_filter_counts_a_trait_once(app, ctx, provider_id):
    _call(app, 'PUT', '/traits/CUSTOM_SHARED')
    other = rp_obj.create(ctx, 'rp-other')
    with ctx.db.reader(ctx) as conn:
        other_id = rp_obj.get_row(conn, other['uuid']).id
    _add_trait(ctx, provider_id, 'CUSTOM_SHARED')
    _add_trait(ctx, other_id, 'CUSTOM_SHARED')

    resp = _call(app, 'GET', '/traits?associated=true')

    assert resp.json['traits'] == ['CUSTOM_SHARED']
