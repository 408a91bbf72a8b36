"""SQL functions that each backend names or computes in its own way.

JSON built by the database serves answers so large that building them
row by row in Python costs more than the query: the database hands over
one JSON text per provider, which the response embeds as it is
(orjson.Fragment). SQLite (3.38 and later, or with JSON1), PostgreSQL,
and MySQL 5.7.22 or MariaDB 10.5 and later have these functions under
different names.
"""
import sqlalchemy as sa
from sqlalchemy.ext import compiler
from sqlalchemy.sql import functions


class json_object(functions.FunctionElement):
    """A JSON object of key, value, key, value, ... SQL expressions."""
    type = sa.Text()
    inherit_cache = True
    name = 'json_object'


class json_object_agg(functions.FunctionElement):
    """Aggregate: a JSON object of (key, value) over the group's rows."""
    type = sa.Text()
    inherit_cache = True
    name = 'json_object_agg'


class whole_floor_div(functions.FunctionElement):
    """Integer ``a // b`` for a positive whole ``b``, rounded down as in
    Python, negative ``a`` included: SQL's integer division truncates
    towards zero."""
    type = sa.BigInteger()
    inherit_cache = True
    name = 'whole_floor_div'


def _render(compiler_, element, kw, name):
    return '%s(%s)' % (name, compiler_.process(element.clauses, **kw))


# {element: {dialect (None for the others): what it is called there}}.
_NAMES = {
    json_object: {None: 'json_object', 'postgresql': 'json_build_object'},
    json_object_agg: {None: 'json_group_object',
                      'postgresql': 'json_object_agg',
                      'mysql': 'JSON_OBJECTAGG'},
}
# As text: psycopg would decode a json value into Python objects.
_AS_TEXT = {(json_object_agg, 'postgresql')}


def _named(element_class, dialect, name):
    def render(element, compiler_, **kw):
        sql = _render(compiler_, element, kw, name)
        if (element_class, dialect) in _AS_TEXT:
            sql += '::text'
        return sql
    dialects = () if dialect is None else (dialect,)
    compiler.compiles(element_class, *dialects)(render)


for _element_class, _names in _NAMES.items():
    for _dialect, _name in _names.items():
        _named(_element_class, _dialect, _name)


def _floor_div(element, compiler_, kw, operator):
    a, b = [compiler_.process(clause, **kw)
            for clause in element.clauses]
    return ('(CASE WHEN ({a}) >= 0 THEN ({a}) {op} {b} '
            'ELSE -((({b}) - 1 - ({a})) {op} {b}) END)'
            .format(a=a, b=b, op=operator))


@compiler.compiles(whole_floor_div)
def _whole_floor_div(element, compiler_, **kw):
    return _floor_div(element, compiler_, kw, '/')


@compiler.compiles(whole_floor_div, 'mysql')
def _whole_floor_div_mysql(element, compiler_, **kw):
    return _floor_div(element, compiler_, kw, 'DIV')
