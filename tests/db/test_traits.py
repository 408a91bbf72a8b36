"""Trait objects on every backend: filters, creation and deletion."""
import threading

import os_traits
import pytest
import webob

from placement import context
from placement.db import tables
from placement import deploy
from placement import exception
from placement.objects import trait
from tests import databases


@pytest.fixture
def ctx(db):
    return context.RequestContext(user_id='admin', project_id='admin',
                                  roles=['admin'], db=db)


@pytest.fixture
def customs(ctx):
    names = ['CUSTOM_A', 'CUSTOM_AB', 'CUSTOM_A_B', 'CUSTOM_AXB']
    for name in reversed(names):
        trait.ensure(ctx, name)
    return names


def test_every_standard_trait_is_there(ctx):
    assert trait.get_all(ctx) == sorted(os_traits.get_traits())


def test_records_are_sorted_with_modification_times(ctx, customs):
    records = trait.get_all_records(ctx)

    names = [record['name'] for record in records]
    assert names == sorted(os_traits.get_traits() + customs)
    assert all(record['updated_at'] is not None for record in records)


def test_name_in(ctx, customs):
    found = trait.get_all(ctx, name_in=['CUSTOM_AB', 'HW_CPU_X86_AVX',
                                        'CUSTOM_NONE'])

    assert found == ['CUSTOM_AB', 'HW_CPU_X86_AVX']


def test_name_in_nothing(ctx, customs):
    assert trait.get_all(ctx, name_in=[]) == []


def test_name_prefix(ctx, customs):
    assert trait.get_all(ctx, name_prefix='CUSTOM_A') == sorted(customs)


def test_name_prefix_wildcards_are_literal(ctx, customs):
    assert trait.get_all(ctx, name_prefix='CUSTOM_A_') == ['CUSTOM_A_B']
    assert trait.get_all(ctx, name_prefix='CUSTOM%') == []
    assert trait.get_all(ctx, name_prefix='_') == []


def test_filters_combine(ctx, customs):
    found = trait.get_all(
        ctx, name_in=['CUSTOM_A', 'CUSTOM_AB', 'HW_NUMA_ROOT'],
        name_prefix='CUSTOM_', associated=False)

    assert found == ['CUSTOM_A', 'CUSTOM_AB']


def test_no_trait_is_associated_without_providers(ctx, customs):
    assert trait.get_all(ctx, associated=True) == []
    assert len(trait.get_all(ctx, associated=False)) == len(
        trait.get_all(ctx))


def test_ensure_creates_once(ctx):
    created, first_time = trait.ensure(ctx, 'CUSTOM_ONCE')
    again, second_time = trait.ensure(ctx, 'CUSTOM_ONCE')

    assert (created, again) == (True, False)
    assert first_time is not None
    # Both answers date the trait by its creation.
    assert second_time.replace(microsecond=0) == first_time.replace(
        microsecond=0)


def test_ensure_is_found_at_once(ctx):
    with ctx.db.reader(ctx) as conn:
        with pytest.raises(exception.TraitNotFound):
            trait.id_of(ctx, conn, 'CUSTOM_CACHED')
    trait.ensure(ctx, 'CUSTOM_CACHED')

    with ctx.db.reader(ctx) as conn:
        trait_id = trait.id_of(ctx, conn, 'CUSTOM_CACHED')
        assert trait.ids_of(ctx, conn, ['CUSTOM_CACHED']) == {
            'CUSTOM_CACHED': trait_id}


def test_get_by_name(ctx):
    record = trait.get_by_name(ctx, 'HW_CPU_X86_AVX')

    assert record['name'] == 'HW_CPU_X86_AVX'
    assert record['updated_at'] is not None
    with pytest.raises(exception.TraitNotFound):
        trait.get_by_name(ctx, 'CUSTOM_NONE')


def test_delete(ctx):
    trait.ensure(ctx, 'CUSTOM_GONE')

    trait.delete(ctx, 'CUSTOM_GONE')

    with pytest.raises(exception.TraitNotFound):
        trait.get_by_name(ctx, 'CUSTOM_GONE')
    with ctx.db.reader(ctx) as conn:
        with pytest.raises(exception.TraitNotFound):
            trait.id_of(ctx, conn, 'CUSTOM_GONE')


def test_delete_standard_trait_is_refused(ctx):
    with pytest.raises(exception.BadRequest,
                       match='^Cannot delete standard trait HW_CPU_X86_AVX.$'):
        trait.delete(ctx, 'HW_CPU_X86_AVX')
    assert trait.get_by_name(ctx, 'HW_CPU_X86_AVX')


def test_delete_unknown_trait(ctx):
    with pytest.raises(exception.TraitNotFound,
                       match=r'^No such trait\(s\): CUSTOM_NONE.$'):
        trait.delete(ctx, 'CUSTOM_NONE')


def test_concurrent_ensures_create_once(db):
    start = threading.Barrier(4)
    created = []

    def ensure():
        ctx = context.RequestContext(user_id='admin', project_id='admin',
                                     db=db)
        start.wait()
        created.append(trait.ensure(ctx, 'CUSTOM_CONTESTED')[0])

    threads = [threading.Thread(target=ensure) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(created) == [False, False, False, True]


def test_a_trait_without_timestamps_is_dated_now(db, database_url, ctx):
    with ctx.db.writer(ctx) as conn:
        conn.execute(tables.traits.insert().values(name='CUSTOM_UNDATED'))
    app = deploy.make_app(databases.make_conf(database_url), db=db)

    for method in ('GET', 'PUT'):
        resp = webob.Request.blank(
            '/traits/CUSTOM_UNDATED', method=method,
            headers={'x-auth-token': 'admin',
                     'openstack-api-version': 'placement 1.15'},
        ).get_response(app)
        assert resp.status_int == 204
        assert resp.last_modified is not None
        assert resp.cache_control.no_cache
