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
import sqlite3

from oslo_db import api as oslo_db_api
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
import sqlalchemy as sa
from sqlalchemy import event

from placement.conf import database as database_conf

SQLITE_BUSY_TIMEOUT_MS = 30000

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


def _on_engine_create(engine):
    """On SQLite, begin writer transactions with BEGIN IMMEDIATE.

    oslo.db emits a plain (deferred) BEGIN for every SQLite transaction; a
    deferred transaction that reads and then writes fails at once with
    "database is locked" when another process wrote in between. Its hook
    is replaced by one that takes the write lock up front for writers.
    """
    if engine.dialect.name != 'sqlite':
        return
    for listener in list(engine.dispatch.begin):
        if getattr(listener, '__name__', '') == '_sqlite_emit_begin':
            event.remove(engine, 'begin', listener)
    event.listen(engine, 'begin', _begin_sqlite_transaction)


def is_retriable(exc):
    """True for errors after which the whole transaction may be retried."""
    if isinstance(exc, db_exc.DBDeadlock):
        return True
    return (isinstance(exc, (db_exc.DBError, sa.exc.OperationalError))
            and 'database is locked' in str(exc))


def retry_on_deadlock(function):
    """Run a whole transaction again when the database reports a deadlock.

    Decorate the function that opens the transaction, so that every attempt
    starts afresh and re-reads what it depends on.
    """
    return oslo_db_api.wrap_db_retry(
        max_retries=5, retry_interval=0.05, inc_retry_interval=True,
        max_retry_interval=1, exception_checker=is_retriable)(function)


def retry_on_duplicate(function, attempts=5):
    """Run an insert-what-is-missing transaction again when a concurrent
    writer inserted the same row first: the rerun finds it present."""
    @functools.wraps(function)
    def retrying(*args, **kwargs):
        for attempt in range(attempts):
            try:
                return function(*args, **kwargs)
            except db_exc.DBDuplicateEntry:
                if attempt == attempts - 1:
                    raise
    return retrying


class Database:
    """One database: its engine and reader and writer transactions."""

    def __init__(self, conf):
        self._manager = enginefacade.transaction_context()
        options = database_conf.engine_options(conf)
        self._manager.configure(sqlite_fk=True, **options)
        self._manager.append_on_engine_create(_on_engine_create)

    @property
    def engine(self):
        return self._manager.writer.get_engine()

    @contextlib.contextmanager
    def writer(self, context):
        """A read-write transaction, committed when the block ends."""
        token = _writer_transaction.set(True)
        try:
            with self._manager.writer.connection.using(context) as conn:
                yield conn
        finally:
            _writer_transaction.reset(token)

    @contextlib.contextmanager
    def reader(self, context):
        """A read-only transaction."""
        with self._manager.reader.connection.using(context) as conn:
            yield conn

    def dispose(self):
        self._manager.dispose_pool()


@enginefacade.transaction_context_provider
class AdminContext:
    """A context for work outside a request: start-up sync, commands."""
