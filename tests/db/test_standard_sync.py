"""The start-up sync of standard resource classes and traits, on every
backend: the ids it gives, what it leaves alone, and several threads or
processes doing it at once on one empty database."""
import multiprocessing
import threading

import os_resource_classes as orc
import os_traits
import pytest
import sqlalchemy as sa

from placement import context
from placement.db import api as db_api
from placement.db import tables
from placement.objects import resource_class
from placement.objects import standard
from tests import databases

WORKERS = 4
JOIN_TIMEOUT = 120


@pytest.fixture
def ctx(db):
    return context.RequestContext(user_id='admin', project_id='admin',
                                  roles=['admin'], db=db)


@pytest.fixture
def empty_url(database_url):
    """The database with not even the standard rows in it."""
    databases.empty_database(database_url)
    return database_url


def _classes(url):
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            rc = tables.resource_classes
            return conn.execute(
                sa.select(rc.c.id, rc.c.name).order_by(rc.c.id)).all()
    finally:
        engine.dispose()


def _trait_names(url):
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return list(conn.execute(
                sa.select(tables.traits.c.name)).scalars())
    finally:
        engine.dispose()


def _assert_each_standard_row_once(url):
    assert _classes(url) == list(enumerate(orc.STANDARDS))
    names = _trait_names(url)
    assert len(names) == len(set(names))
    assert sorted(names) == sorted(os_traits.get_traits())


def _sync(url):
    db = db_api.Database(databases.make_conf(url))
    try:
        standard.ensure_synced(db)
    finally:
        db.dispose()


def test_standard_classes_get_their_position_as_id(empty_url):
    _sync(empty_url)

    _assert_each_standard_row_once(empty_url)
    assert _classes(empty_url)[0] == (0, 'VCPU')


def test_sync_again_changes_nothing(empty_url):
    _sync(empty_url)
    before = _classes(empty_url), sorted(_trait_names(empty_url))

    _sync(empty_url)

    assert (_classes(empty_url), sorted(_trait_names(empty_url))) == before


def test_sync_restores_a_missing_class_with_its_id(ctx, database_url):
    with ctx.db.writer(ctx) as conn:
        conn.execute(tables.resource_classes.delete().where(
            tables.resource_classes.c.name.in_(['VCPU', 'DISK_GB'])))
        conn.execute(tables.traits.delete().where(
            tables.traits.c.name == 'HW_CPU_X86_AVX'))

    _sync(database_url)

    _assert_each_standard_row_once(database_url)


def test_sync_leaves_the_mysql_session_as_it_was(ctx, backend):
    if backend != 'mysql':
        pytest.skip('only MySQL has a session sql_mode to restore')
    with ctx.db.writer(ctx) as conn:
        conn.execute(tables.resource_classes.delete().where(
            tables.resource_classes.c.name == 'VCPU'))

    resource_class.sync_standard(ctx)

    with ctx.db.reader(ctx) as conn:
        mode = conn.exec_driver_sql('SELECT @@SESSION.sql_mode').scalar()
        vcpu = resource_class.id_of(ctx, conn, 'VCPU')
    assert 'NO_AUTO_VALUE_ON_ZERO' not in mode
    assert vcpu == 0


def test_sync_keeps_custom_classes_and_traits(ctx, database_url):
    resource_class.create(ctx, 'CUSTOM_KEPT')
    with ctx.db.writer(ctx) as conn:
        conn.execute(tables.traits.insert().values(name='CUSTOM_KEPT'))

    _sync(database_url)

    assert _classes(database_url)[-1] == (10000, 'CUSTOM_KEPT')
    assert 'CUSTOM_KEPT' in _trait_names(database_url)


def test_custom_ids_start_at_10000_after_sync(ctx):
    resource_class.create(ctx, 'CUSTOM_FIRST')

    with ctx.db.reader(ctx) as conn:
        assert resource_class.id_of(ctx, conn, 'CUSTOM_FIRST') == 10000
        assert resource_class.id_of(ctx, conn, orc.STANDARDS[-1]) == len(
            orc.STANDARDS) - 1


def test_concurrent_syncs_in_threads(empty_url):
    start = threading.Barrier(WORKERS)
    failures = []

    def sync():
        start.wait()
        try:
            _sync(empty_url)
        except Exception as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=sync) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT)

    assert not failures
    _assert_each_standard_row_once(empty_url)


def _sync_in_child(url, start):
    start.wait(timeout=JOIN_TIMEOUT)
    _sync(url)


def test_concurrent_syncs_in_processes(empty_url):
    # Spawned, not forked: a fork would copy this process's pools and
    # threads into the children.
    spawn = multiprocessing.get_context('spawn')
    start = spawn.Barrier(WORKERS)
    children = [spawn.Process(target=_sync_in_child, args=(empty_url, start))
                for _ in range(WORKERS)]
    for child in children:
        child.start()
    try:
        for child in children:
            child.join(timeout=JOIN_TIMEOUT)
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()

    assert [child.exitcode for child in children] == [0] * WORKERS
    _assert_each_standard_row_once(empty_url)
