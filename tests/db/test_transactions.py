"""Reader and writer transactions, as the database sees them, and the
retry policy of writes."""
import os
import threading
import time

from oslo_db import exception as db_exc
import pytest
import sqlalchemy as sa
from sqlalchemy import event

from placement.db import api as db_api
from placement.db import tables
from placement import exception
from tests import databases


def _statements(db):
    seen = []

    @event.listens_for(db.engine, 'before_cursor_execute')
    def record(conn, cursor, statement, *args):
        seen.append(statement.split()[0:2])
    return seen


def test_sqlite_writers_take_the_write_lock_up_front(db, backend):
    if backend != 'sqlite':
        pytest.skip('only SQLite has deferred transactions')
    seen = _statements(db)
    ctx = db_api.AdminContext()
    with db.writer(ctx) as conn:
        conn.execute(sa.select(tables.traits.c.id).limit(1))
    with db.reader(ctx) as conn:
        conn.execute(sa.select(tables.traits.c.id).limit(1))
    begins = [statement for statement in seen if statement[0] == 'BEGIN']
    assert begins == [['BEGIN', 'IMMEDIATE'], ['BEGIN']]


def test_writer_commits_and_failure_rolls_back(db):
    ctx = db_api.AdminContext()
    with db.writer(ctx) as conn:
        conn.execute(tables.projects.insert().values(external_id='kept'))
    with pytest.raises(RuntimeError):
        with db.writer(ctx) as conn:
            conn.execute(tables.projects.insert().values(
                external_id='rolled-back'))
            raise RuntimeError('abandon the transaction')
    with db.reader(ctx) as conn:
        names = set(conn.execute(
            sa.select(tables.projects.c.external_id)).scalars())
    assert names == {'kept'}


# The retry policy of every write transaction.

class _Ctx(db_api.AdminContext):
    def __init__(self, db):
        self.db = db


class _Attempts:
    """A write that fails with ``error`` (made fresh each time) the first
    ``failures`` attempts, inserting a project each attempt; counts the
    attempts."""

    def __init__(self, error, failures):
        self.error = error
        self.failures = failures
        self.count = 0

    def __call__(self, conn):
        self.count += 1
        conn.execute(tables.projects.insert().values(
            external_id='attempt-%d' % self.count))
        if self.count <= self.failures:
            raise self.error()
        return 'done'


def _projects(db):
    with db.reader(db_api.AdminContext()) as conn:
        return set(conn.execute(
            sa.select(tables.projects.c.external_id)).scalars())


RETRIABLE = [
    lambda: db_api.LostRace('moved'),
    lambda: db_exc.DBDeadlock(),
    lambda: db_exc.DBDuplicateEntry(columns=['name']),
    lambda: db_exc.DBError('(sqlite3.OperationalError) database is locked'),
]


@pytest.mark.parametrize('error', RETRIABLE)
def test_retriable_errors_are_retried_in_fresh_transactions(db, error):
    write = _Attempts(error, failures=2)
    assert db_api.run_writer(_Ctx(db), write) == 'done'
    assert write.count == 3
    # Only the last attempt's work is committed.
    assert _projects(db) == {'attempt-3'}


def test_attempts_follow_the_retry_count_option(database_url):
    db = db_api.Database(databases.make_conf(database_url, {
        ('placement', 'allocation_conflict_retry_count'): 3}))
    try:
        assert db.write_attempts == 4
        write = _Attempts(lambda: db_api.LostRace('moved'), failures=100)
        with pytest.raises(exception.ConcurrentUpdate) as raised:
            db_api.run_writer(_Ctx(db), write)
        assert write.count == 4
        assert raised.value.code == 'placement.concurrent_update'
    finally:
        db.dispose()


def test_retries_stop_after_the_time_bound(db, monkeypatch):
    monkeypatch.setattr(db_api, 'RETRY_SECONDS', 0.3)
    slow_deadlocks = _Attempts(db_exc.DBDeadlock, failures=100)

    def write(conn):
        time.sleep(0.1)
        return slow_deadlocks(conn)

    started = time.monotonic()
    with pytest.raises(exception.ConcurrentUpdate):
        db_api.run_writer(_Ctx(db), write)
    assert time.monotonic() - started < 2
    assert 2 <= slow_deadlocks.count <= 5


def test_other_errors_are_not_retried(db):
    write = _Attempts(lambda: ValueError('a bug'), failures=1)
    with pytest.raises(ValueError):
        db_api.run_writer(_Ctx(db), write)
    assert write.count == 1
    assert _projects(db) == set()


def test_a_retrying_write_inside_another_is_refused(db):
    ctx = _Ctx(db)
    with pytest.raises(RuntimeError, match='within'):
        db_api.run_writer(ctx, lambda conn: db_api.run_writer(
            ctx, lambda inner: None))


def test_writes_combine_in_the_callers_transaction(db):
    @db_api.writer
    def add(ctx, conn, name):
        conn.execute(tables.projects.insert().values(external_id=name))

    def both(conn):
        add.within(ctx, conn, 'first')
        add.within(ctx, conn, 'second')
        raise db_exc.DBError('give up after both writes')

    ctx = _Ctx(db)
    with pytest.raises(db_exc.DBError):
        db_api.run_writer(ctx, both)
    assert _projects(db) == set()
    add(ctx, 'alone')
    assert _projects(db) == {'alone'}


# Pooled connections: kept between transactions, never stale, never
# shared with a forked worker.

def _raw_connection(db):
    with db.reader(db_api.AdminContext()) as conn:
        return conn.connection.dbapi_connection


def test_connections_are_kept_between_transactions(db, backend):
    # oslo.db would give an SQLite file a new connection each time.
    assert _raw_connection(db) is _raw_connection(db)


def test_a_kept_connection_reads_what_another_process_committed(
        database_url, db):
    ctx = db_api.AdminContext()
    _raw_connection(db)
    other = db_api.Database(databases.make_conf(database_url))
    try:
        with other.writer(ctx) as conn:
            conn.execute(tables.projects.insert().values(
                external_id='from-elsewhere'))
    finally:
        other.dispose()
    with db.reader(ctx) as conn:
        assert conn.execute(sa.select(
            tables.projects.c.external_id)).scalars().all() == [
                'from-elsewhere']


def test_a_kept_connection_serves_another_thread(db):
    ctx = db_api.AdminContext()
    first = _raw_connection(db)
    results = []

    def in_thread():
        with db.writer(ctx) as conn:
            conn.execute(tables.projects.insert().values(external_id='t'))
            results.append(conn.connection.dbapi_connection)

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join()
    assert results == [first]


def _pooled_in_forked_child(db):
    """How many idle connections a forked child finds in its pool."""
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(reading)
        try:
            os.write(writing, b'%d' % db.engine.pool.checkedin())
        finally:
            os._exit(0)
    os.close(writing)
    os.waitpid(pid, 0)
    with os.fdopen(reading, 'rb') as answer:
        return int(answer.read())


def test_a_forked_worker_does_not_inherit_pooled_connections(
        database_url, monkeypatch):
    def pooled_after_fork():
        database = db_api.Database(databases.make_conf(database_url))
        try:
            _raw_connection(database)
            assert database.engine.pool.checkedin() == 1
            return _pooled_in_forked_child(database)
        finally:
            database.dispose()

    assert pooled_after_fork() == 0
    # The guard is what empties the child's pool.
    monkeypatch.setattr(db_api, '_forget_connections_after_fork',
                        lambda database: None)
    assert pooled_after_fork() == 1


def test_a_reader_sees_one_snapshot(database_url, db):
    """Every statement of a reader transaction sees the database as its
    first did, on every backend: a candidate search reads in several
    statements, and must not see half of a write committed meanwhile."""
    ctx = db_api.AdminContext()
    other = db_api.Database(databases.make_conf(database_url))
    names = sa.select(tables.projects.c.external_id)
    try:
        with db.reader(ctx) as conn:
            before = conn.execute(names).scalars().all()
            with other.writer(db_api.AdminContext()) as writing:
                writing.execute(tables.projects.insert().values(
                    external_id='committed-meanwhile'))
            after = conn.execute(names).scalars().all()
    finally:
        other.dispose()
    assert before == after == []
    with db.reader(ctx) as conn:
        assert conn.execute(names).scalars().all() == ['committed-meanwhile']
