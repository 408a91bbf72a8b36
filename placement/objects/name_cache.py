"""Name-to-id caches for resource classes and traits, one per database.

A miss reloads the whole table, so that a name created by another process
is found; creating or deleting through this process clears the cache.
"""
import threading
import weakref

import sqlalchemy as sa


class NameCache:

    def __init__(self, table):
        self._table = table
        self._lock = threading.Lock()
        self._by_db = weakref.WeakKeyDictionary()

    def _load(self, conn):
        rows = conn.execute(sa.select(self._table.c.id, self._table.c.name))
        ids_by_name = {name: id_ for id_, name in rows}
        return ids_by_name, {id_: name for name, id_ in ids_by_name.items()}

    def _maps(self, db, conn, reload=False):
        with self._lock:
            maps = self._by_db.get(db)
        if maps is None or reload:
            maps = self._load(conn)
            with self._lock:
                self._by_db[db] = maps
        return maps

    def id_of(self, db, conn, name):
        """The id for ``name``, or None if there is no such row."""
        id_ = self._maps(db, conn)[0].get(name)
        if id_ is None:
            id_ = self._maps(db, conn, reload=True)[0].get(name)
        return id_

    def name_of(self, db, conn, id_):
        name = self._maps(db, conn)[1].get(id_)
        if name is None:
            name = self._maps(db, conn, reload=True)[1].get(id_)
        return name

    def ids_of(self, db, conn, names):
        """{name: id} for those of ``names`` that exist."""
        ids_by_name = self._maps(db, conn)[0]
        if any(name not in ids_by_name for name in names):
            ids_by_name = self._maps(db, conn, reload=True)[0]
        return {name: ids_by_name[name] for name in names
                if name in ids_by_name}

    def names_of(self, db, conn, ids):
        """{id: name} for those of ``ids`` that exist."""
        names_by_id = self._maps(db, conn)[1]
        if any(id_ not in names_by_id for id_ in ids):
            names_by_id = self._maps(db, conn, reload=True)[1]
        return {id_: names_by_id[id_] for id_ in ids if id_ in names_by_id}

    def clear(self, db):
        with self._lock:
            self._by_db.pop(db, None)
