"""``column IN (...)`` for lists of integer ids of any length.

A bulk reader may be handed tens of thousands of provider ids. Bound one
parameter each, such a list can overflow SQLite's cap on the parameters of
one statement (999 before SQLite 3.32, 32766 since, and builds differ), and
splitting it into chunks would make the number of queries grow with the
number of providers. So the ids are written into the SQL text as integer
literals instead, which no backend limits short of the statement's length
(a billion bytes on SQLite, max_allowed_packet on MySQL). Every id goes
through ``operator.index`` first, which refuses anything but an integer:
that is what makes writing them inline safe.
"""
import operator

import sqlalchemy as sa


def column_in(column, ids):
    """``column IN (ids)``, the ids rendered inline as integer literals.

    ``ids`` is any iterable of integers (TypeError for anything else);
    duplicates are dropped. An empty one matches no row.
    """
    return column.in_(sa.bindparam(
        'ids', checked(ids), type_=sa.Integer, expanding=True,
        literal_execute=True, unique=True))


def param(name):
    """A list of ids rendered inline as column_in renders them, for a
    statement built once: its value, given when the statement runs, goes
    through checked()."""
    return sa.bindparam(name, type_=sa.Integer, expanding=True,
                        literal_execute=True)


def checked(ids):
    """The ids, sorted and without duplicates; TypeError for anything but
    an integer."""
    return sorted({operator.index(value) for value in ids})
