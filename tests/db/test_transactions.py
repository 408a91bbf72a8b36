"""Reader and writer transactions, as the database sees them."""
import pytest
import sqlalchemy as sa
from sqlalchemy import event

from placement.db import api as db_api
from placement.db import tables


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
