"""Transactions against the placement database.

oslo.db's enginefacade opens the transactions. On SQLite, which several
worker processes may share through one file, connections are tuned so that
writers queue instead of failing: WAL journal (readers never block the
writer), a busy timeout, and ``BEGIN IMMEDIATE`` for writer transactions so
that a read-then-write transaction holds the write lock from its start and
cannot fail half way with "database is locked".
"""
import contextlib
import contextvars
import functools
import os
import sqlite3
import time
import weakref

from oslo_db import api as oslo_db_api
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from oslo_log import log as logging
import sqlalchemy as sa
from sqlalchemy import event

from placement.conf import database as database_conf
from placement import exception

LOG = logging.getLogger(__name__)

# Long enough for a queue of writers, short enough to stay within the
# retry bounds below.
SQLITE_BUSY_TIMEOUT_MS = 10000

_writer_transaction = contextvars.ContextVar('writer_transaction',
                                             default=False)


@event.listens_for(sa.pool.Pool, 'connect')
def _tune_sqlite_connection(dbapi_connection, connection_record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute('PRAGMA busy_timeout = %d' % SQLITE_BUSY_TIMEOUT_MS)
    cursor.execute('PRAGMA journal_mode = WAL')
    cursor.close()


def in_writer_transaction():
    """Whether the current thread is inside a writer transaction."""
    return _writer_transaction.get()


def _begin_sqlite_transaction(connection):
    # Marked as oslo.db marks it, so that its commit and rollback hooks
    # clear the marker.
    if 'in_transaction' in connection.info:
        return
    if _writer_transaction.get():
        connection.exec_driver_sql('BEGIN IMMEDIATE')
    else:
        connection.exec_driver_sql('BEGIN')
    connection.info['in_transaction'] = True


def _pool_sqlite_file_connections(engine, pool_size, max_overflow):
    """Keep an SQLite file's connections open between transactions.

    oslo.db gives SQLite files a NullPool, so every transaction paid for
    a new connection and its PRAGMAs and, when it closed the last
    connection open, for a checkpoint of the WAL into the database file:
    together about 2 ms, up to half of a small write. An open connection
    holds no state between transactions: each BEGIN reads the file as
    every process last committed it. The pool keeps the old one's event
    listeners (oslo.db's and ours, which tune each new connection).
    """
    if not isinstance(engine.pool, sa.pool.NullPool):
        return
    # For a file, the dialect already lets any thread use a connection.
    cargs, cparams = engine.dialect.create_connect_args(engine.url)

    def connect():
        return engine.dialect.connect(*cargs, **cparams)

    old = engine.pool
    sizes = {name: value for name, value in (
        ('pool_size', pool_size), ('max_overflow', max_overflow))
        if value is not None}
    engine.pool = sa.pool.QueuePool(
        connect, pre_ping=True, dialect=engine.dialect,
        _dispatch=old.dispatch, **sizes)
    old.dispose()


def _begin_postgresql_transaction(connection):
    # A reader's statements all see the database as it was at its first:
    # under READ COMMITTED each saw it anew, and a search that found a
    # provider with room in one statement could miss its inventory in the
    # next, moved meanwhile by a reshape. Read-only, a REPEATABLE READ
    # transaction never fails for it. Writers keep READ COMMITTED, under
    # which their compare-and-swaps see what others committed.
    if not _writer_transaction.get():
        connection.exec_driver_sql(
            'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ')


def _on_engine_create(engine, pool_size, max_overflow):
    """Per backend: on SQLite, pool connections to a file, and begin
    writer transactions with BEGIN IMMEDIATE; on PostgreSQL, give readers
    one snapshot. (MariaDB's REPEATABLE READ and SQLite's WAL already read
    one snapshot per transaction.)

    oslo.db emits a plain (deferred) BEGIN for every SQLite transaction; a
    deferred transaction that reads and then writes fails at once with
    "database is locked" when another process wrote in between. Its hook
    is replaced by one that takes the write lock up front for writers.
    """
    if engine.dialect.name == 'postgresql':
        event.listen(engine, 'begin', _begin_postgresql_transaction)
    if engine.dialect.name != 'sqlite':
        return
    _pool_sqlite_file_connections(engine, pool_size, max_overflow)
    for listener in list(engine.dispatch.begin):
        if getattr(listener, '__name__', '') == '_sqlite_emit_begin':
            event.remove(engine, 'begin', listener)
    event.listen(engine, 'begin', _begin_sqlite_transaction)


class LostRace(Exception):
    """A compare-and-swap found a row changed by a writer that committed
    after this transaction read it; a fresh transaction, which reads it
    again, may succeed."""


# Every write transaction runs under one retry policy: at most
# ``[placement] allocation_conflict_retry_count`` retries, and none begun
# after this many seconds, so that no request runs for minutes.
RETRY_SECONDS = 20
_RETRY_INTERVAL = 0.01
_MAX_RETRY_INTERVAL = 0.5


def is_retriable(exc):
    """True for errors after which the whole transaction may be retried:
    a lost race, a deadlock, a duplicate insert by a concurrent creator
    (the retry finds the row, or names the clash), SQLite's busy error."""
    if isinstance(exc, (LostRace, db_exc.DBDeadlock,
                        db_exc.DBDuplicateEntry)):
        return True
    return (isinstance(exc, (db_exc.DBError, sa.exc.OperationalError))
            and 'database is locked' in str(exc))


# What a write that keeps losing races answers, unless it says otherwise.
GAVE_UP = ('Another thread concurrently updated the resource provider '
           'data. Please retry your update')


def run_writer(ctx, work, gave_up=GAVE_UP):
    """``work(conn)`` in a writer transaction, run again in a fresh
    transaction while it fails in a retriable way, within the bounds
    above; ConcurrentUpdate with the detail ``gave_up`` when the bounds
    run out.

    This is the outermost transaction boundary: nothing called inside it
    may open a retrying transaction of its own.
    """
    if in_writer_transaction():
        raise RuntimeError('A retrying write transaction was opened inside '
                           'another; call the inner write with .within.')
    attempts = ctx.db.write_attempts
    deadline = time.monotonic() + RETRY_SECONDS
    failures = 0

    def worth_retrying(exc):
        nonlocal failures
        failures += 1
        retry = (is_retriable(exc) and failures < attempts
                 and time.monotonic() < deadline)
        if retry:
            LOG.debug('A write lost a race (%s); trying again.', exc)
        return retry

    @oslo_db_api.wrap_db_retry(
        max_retries=attempts, retry_interval=_RETRY_INTERVAL,
        inc_retry_interval=True, max_retry_interval=_MAX_RETRY_INTERVAL,
        jitter=True, exception_checker=worth_retrying)
    def attempt():
        with ctx.db.writer(ctx) as conn:
            return work(conn)

    try:
        return attempt()
    except Exception as exc:
        if not is_retriable(exc):
            raise
        LOG.warning('A write gave up after %d attempts: %s', failures, exc)
        raise exception.ConcurrentUpdate(gave_up)


def writer(function=None, gave_up=GAVE_UP):
    """Decorate ``function(ctx, conn, *args)``, a write that works inside
    a transaction.

    Called as ``function(ctx, *args)`` it runs in a transaction of its
    own under the retry policy of run_writer (``gave_up`` is its detail
    when retries run out); ``function.within(ctx, conn, *args)`` runs it
    inside a transaction that the caller owns, so that several writes can
    be combined into one.
    """
    if function is None:
        return functools.partial(writer, gave_up=gave_up)

    @functools.wraps(function)
    def in_own_transaction(ctx, *args, **kwargs):
        return run_writer(
            ctx, lambda conn: function(ctx, conn, *args, **kwargs),
            gave_up)
    in_own_transaction.within = function
    return in_own_transaction


def reader(function):
    """Decorate ``function(ctx, conn, *args)``, a read: called as
    ``function(ctx, *args)`` it runs in a reader transaction (joining the
    caller's transaction if one is open); ``.within`` takes the caller's
    connection."""
    @functools.wraps(function)
    def in_own_transaction(ctx, *args, **kwargs):
        with ctx.db.reader(ctx) as conn:
            return function(ctx, conn, *args, **kwargs)
    in_own_transaction.within = function
    return in_own_transaction


@contextlib.contextmanager
def _opened(scope, context):
    """A transaction of an enginefacade scope (reader or writer).

    oslo.db names a connection lost inside a transaction DBConnectionError,
    but lets a failure to connect at its start (the database down, the
    pool's check of a connection failing to replace it) pass as the
    driver's error: named so here too, so that the client is told the
    database is unavailable. SQLite's busy error at BEGIN stays as it is,
    for the retry policy.
    """
    with contextlib.ExitStack() as stack:
        try:
            conn = stack.enter_context(scope.connection.using(context))
        except sa.exc.DBAPIError as exc:
            if is_retriable(exc):
                raise
            raise db_exc.DBConnectionError(exc) from exc
        yield conn


def _forget_connections_after_fork(database):
    """A worker forked from a process that had pooled connections (a
    server that loads the application before it forks, as uwsgi does and
    gunicorn --preload) opens its own: a connection shared by two
    processes would interleave their transactions. The inherited ones are
    dropped without being closed, which would end them for the parent
    too."""
    database = weakref.ref(database)

    def forget():
        if database() is not None:
            for engine in database()._engines:
                engine.dispose(close=False)
    os.register_at_fork(after_in_child=forget)


class Database:
    """One database: its engine and reader and writer transactions."""

    def __init__(self, conf):
        self._manager = enginefacade.transaction_context()
        options = database_conf.engine_options(conf)
        self._manager.configure(sqlite_fk=True, **options)
        self._engines = []
        self._manager.append_on_engine_create(functools.partial(
            _on_engine_create,
            pool_size=conf.placement_database.max_pool_size,
            max_overflow=conf.placement_database.max_overflow))
        self._manager.append_on_engine_create(self._engines.append)
        _forget_connections_after_fork(self)
        self.write_attempts = (
            conf.placement.allocation_conflict_retry_count + 1)

    @property
    def engine(self):
        return self._manager.writer.get_engine()

    @contextlib.contextmanager
    def writer(self, context):
        """A read-write transaction, committed when the block ends."""
        token = _writer_transaction.set(True)
        try:
            with _opened(self._manager.writer, context) as conn:
                yield conn
        finally:
            _writer_transaction.reset(token)

    @contextlib.contextmanager
    def reader(self, context):
        """A read-only transaction."""
        with _opened(self._manager.reader, context) as conn:
            yield conn

    def dispose(self):
        self._manager.dispose_pool()


@enginefacade.transaction_context_provider
class AdminContext:
    """A context for work outside a request: start-up sync, commands."""
