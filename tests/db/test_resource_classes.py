"""Resource class objects on every backend: the ids they get, renames,
deletes, and creators racing each other."""
import threading

import os_resource_classes as orc
import pytest
import sqlalchemy as sa

from placement import context
from placement.db import tables
from placement import errors
from placement import exception
from placement.objects import resource_class

_rc = tables.resource_classes


@pytest.fixture
def ctx(db):
    return context.RequestContext(user_id='admin', project_id='admin',
                                  roles=['admin'], db=db)


def _ids_by_name(ctx):
    with ctx.db.reader(ctx) as conn:
        return dict(conn.execute(sa.select(_rc.c.name, _rc.c.id)).all())


def test_standard_classes_have_their_position_as_id(ctx):
    ids = _ids_by_name(ctx)

    assert ids == {name: index for index, name in enumerate(orc.STANDARDS)}
    assert ids['VCPU'] == 0


def test_custom_classes_are_numbered_from_10000(ctx):
    resource_class.create(ctx, 'CUSTOM_FIRST')
    resource_class.create(ctx, 'CUSTOM_SECOND')

    ids = _ids_by_name(ctx)

    assert ids['CUSTOM_FIRST'] == resource_class.MIN_CUSTOM_ID == 10000
    assert ids['CUSTOM_SECOND'] == 10001


def test_list_holds_standard_then_custom_classes_in_id_order(ctx):
    resource_class.create(ctx, 'CUSTOM_B')
    resource_class.create(ctx, 'CUSTOM_A')

    names = [rc['name'] for rc in resource_class.get_all(ctx)]

    assert names == list(orc.STANDARDS) + ['CUSTOM_B', 'CUSTOM_A']


def test_every_class_has_a_modification_time(ctx):
    resource_class.create(ctx, 'CUSTOM_DATED')

    assert all(rc['updated_at'] is not None
               for rc in resource_class.get_all(ctx))


def test_create_is_found_at_once(ctx):
    with ctx.db.reader(ctx) as conn:
        with pytest.raises(exception.ResourceClassNotFound):
            resource_class.id_of(ctx, conn, 'CUSTOM_CACHED')
    resource_class.create(ctx, 'CUSTOM_CACHED')

    with ctx.db.reader(ctx) as conn:
        assert resource_class.id_of(ctx, conn, 'CUSTOM_CACHED') == 10000
        assert resource_class.ids_of(ctx, conn, ['VCPU', 'CUSTOM_CACHED']) \
            == {'VCPU': 0, 'CUSTOM_CACHED': 10000}
        assert resource_class.names_of(ctx, conn, [0, 10000]) == {
            0: 'VCPU', 10000: 'CUSTOM_CACHED'}


def test_create_twice_is_a_duplicate(ctx):
    resource_class.create(ctx, 'CUSTOM_TWICE')

    with pytest.raises(exception.ResourceClassExists) as raised:
        resource_class.create(ctx, 'CUSTOM_TWICE')
    # OpenStack Placement's words and (generic) code.
    assert raised.value.detail == (
        'Conflicting resource class already exists: CUSTOM_TWICE')
    assert raised.value.code == errors.DEFAULT


def test_ensure_says_whether_it_created(ctx):
    assert resource_class.ensure(ctx, 'CUSTOM_ENSURED') is True
    assert resource_class.ensure(ctx, 'CUSTOM_ENSURED') is False
    assert _ids_by_name(ctx)['CUSTOM_ENSURED'] == 10000


def test_rename_keeps_the_id(ctx):
    resource_class.create(ctx, 'CUSTOM_BEFORE')

    renamed = resource_class.rename(ctx, 'CUSTOM_BEFORE', 'CUSTOM_AFTER')

    assert renamed['name'] == 'CUSTOM_AFTER'
    assert renamed['updated_at'] is not None
    ids = _ids_by_name(ctx)
    assert ids['CUSTOM_AFTER'] == 10000
    assert 'CUSTOM_BEFORE' not in ids
    with ctx.db.reader(ctx) as conn:
        with pytest.raises(exception.ResourceClassNotFound):
            resource_class.id_of(ctx, conn, 'CUSTOM_BEFORE')


def test_rename_onto_another_class_is_a_duplicate(ctx):
    resource_class.create(ctx, 'CUSTOM_ONE')
    resource_class.create(ctx, 'CUSTOM_TWO')

    with pytest.raises(exception.ResourceClassExists,
                       match='^Resource class already exists: CUSTOM_TWO$'):
        resource_class.rename(ctx, 'CUSTOM_ONE', 'CUSTOM_TWO')
    assert _ids_by_name(ctx)['CUSTOM_ONE'] == 10000


def test_rename_standard_class_is_refused(ctx):
    with pytest.raises(exception.BadRequest,
                       match='^Cannot update standard resource class VCPU$'):
        resource_class.rename(ctx, 'VCPU', 'CUSTOM_VCPU')
    assert _ids_by_name(ctx)['VCPU'] == 0


def test_rename_unknown_class(ctx):
    with pytest.raises(exception.ResourceClassNotFound):
        resource_class.rename(ctx, 'CUSTOM_NONE', 'CUSTOM_SOME')


def test_delete_frees_the_name(ctx):
    resource_class.create(ctx, 'CUSTOM_GONE')

    resource_class.delete(ctx, 'CUSTOM_GONE')

    assert 'CUSTOM_GONE' not in _ids_by_name(ctx)
    with ctx.db.reader(ctx) as conn:
        with pytest.raises(exception.ResourceClassNotFound):
            resource_class.id_of(ctx, conn, 'CUSTOM_GONE')


def test_delete_standard_class_is_refused(ctx):
    with pytest.raises(exception.BadRequest) as raised:
        resource_class.delete(ctx, 'DISK_GB')
    assert raised.value.detail == (
        'Error in delete resource class: Cannot delete standard resource '
        'class DISK_GB.')
    assert 'DISK_GB' in _ids_by_name(ctx)


def test_delete_unknown_class(ctx):
    with pytest.raises(exception.ResourceClassNotFound,
                       match='^No such resource class CUSTOM_NONE.$'):
        resource_class.delete(ctx, 'CUSTOM_NONE')


def test_id_after_the_highest_custom_one(ctx):
    for name in ('CUSTOM_X', 'CUSTOM_Y', 'CUSTOM_Z'):
        resource_class.create(ctx, name)
    resource_class.delete(ctx, 'CUSTOM_Y')

    resource_class.create(ctx, 'CUSTOM_W')

    assert _ids_by_name(ctx)['CUSTOM_W'] == 10003


def test_concurrent_creators_get_distinct_ids(db):
    names = ['CUSTOM_RACER_%d' % number for number in range(6)]
    start = threading.Barrier(len(names))
    failures = []

    def create(name):
        ctx = context.RequestContext(user_id='admin', project_id='admin',
                                     db=db)
        start.wait()
        try:
            resource_class.create(ctx, name)
        except Exception as exc:  # reported below, with its name
            failures.append((name, exc))

    threads = [threading.Thread(target=create, args=(name,))
               for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not failures
    ctx = context.RequestContext(user_id='admin', project_id='admin', db=db)
    ids = _ids_by_name(ctx)
    custom_ids = sorted(ids[name] for name in names)
    assert custom_ids == list(range(10000, 10000 + len(names)))


def test_concurrent_creators_of_one_name(db):
    start = threading.Barrier(4)
    outcomes = []

    def create():
        ctx = context.RequestContext(user_id='admin', project_id='admin',
                                     db=db)
        start.wait()
        try:
            resource_class.create(ctx, 'CUSTOM_CONTESTED')
            outcomes.append('created')
        except exception.ResourceClassExists:
            outcomes.append('duplicate')

    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(outcomes) == ['created'] + ['duplicate'] * 3
