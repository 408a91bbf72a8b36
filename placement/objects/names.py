"""Resource class and trait names to ids, and back, read from the database
each time.

Nothing is kept beyond the transaction: another process may create,
rename or delete a class or trait at any moment, and custom class ids are
reused. Inside a writer transaction the rows looked up are share-locked
until it ends, so that a concurrent delete of a class or trait (which
locks the row for update before it checks whether the name is in use)
waits for this write and then sees what it wrote.
"""
import functools

import sqlalchemy as sa

from placement.db import api as db_api


@functools.cache
def _lookup_query(key, value, locked):
    query = sa.select(key, value).where(
        key.in_(sa.bindparam('wanted', expanding=True)))
    return query.with_for_update(read=True) if locked else query


def _lookup(conn, key, value, wanted):
    """(key, value) rows of key's table whose key is one of ``wanted``."""
    query = _lookup_query(key, value, db_api.in_writer_transaction())
    return conn.execute(query, {'wanted': wanted})


def ids_of(conn, table, names):
    """{name: id} for those of ``names`` that are rows of ``table``."""
    wanted = sorted(set(names))
    if not wanted:
        return {}
    rows = _lookup(conn, table.c.name, table.c.id, wanted)
    # MySQL's usual collations ignore case and trailing spaces: only the
    # exact name counts.
    exact = set(wanted)
    return {name: id_ for name, id_ in rows if name in exact}


def names_of(conn, table, ids):
    """{id: name} for those of ``ids`` that are rows of ``table``."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return dict(_lookup(conn, table.c.id, table.c.name, wanted).all())
