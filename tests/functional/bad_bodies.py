"""Malformed request bodies for the bad-input sweep (bad_requests.py).

A body template is the good body built of Field, Obj, Map and Array
nodes; ``variants()`` gives every body that differs from the good one in
one way that must be refused: one value of a wrong type or out of
bounds, a required property missing, an unknown one added, a bad key.
GENERIC_BODIES are bodies that no route takes.
"""
import json

MEGABYTE = 2 ** 20
MAX_INT = 2 ** 31 - 1


class Raw(str):
    """JSON text to put into a body as it is (1e400, NaN), where
    json.dumps would quote it."""


def encode(value):
    """The body bytes for ``value``, with any Raw inside it verbatim."""
    raws = []

    def swap(item):
        if isinstance(item, Raw):
            raws.append(str(item))
            return '\x00raw%d\x00' % (len(raws) - 1)
        if isinstance(item, dict):
            return {swap(key): swap(val) for key, val in item.items()}
        if isinstance(item, list):
            return [swap(val) for val in item]
        return item

    text = json.dumps(swap(value))
    for index, raw in enumerate(raws):
        text = text.replace('"\\u0000raw%d\\u0000"' % index, raw)
    return text.encode('utf-8')


def short(value):
    """``value`` as a case label shows it."""
    text = repr(value)
    return text if len(text) <= 100 else '%s...(%d chars)' % (
        text[:20], len(text))


_NOT_AN_OBJECT = ([], 'an object', 1, None)
_NOT_AN_ARRAY = ({}, 'an array', 1, None)


class Field:
    """A value in a body, with the values that must be refused there."""

    def __init__(self, good, bad):
        self.good, self.bad = good, tuple(bad)

    def render(self):
        return self.good

    def variants(self):
        for value in self.bad:
            yield '=%s' % short(value), value


class Obj:
    """An object of named properties."""

    def __init__(self, fields, required=()):
        self.fields, self.required = fields, tuple(required)

    def render(self):
        return {key: render(value) for key, value in self.fields.items()}

    def variants(self):
        good = self.render()
        for key, value in self.fields.items():
            for label, bad in _variants(value):
                yield '.%s%s' % (key, label), dict(good, **{key: bad})
        for key in self.required:
            yield ' without %s' % key, {name: value
                                        for name, value in good.items()
                                        if name != key}
        yield ' with an unknown field', dict(good, bogus_field=1)
        for value in _NOT_AN_OBJECT:
            yield '=%s' % short(value), value


class Map:
    """An object keyed by names (resource classes, uuids): besides its
    values going bad, its first key may be replaced by a bad one."""

    def __init__(self, entries, bad_keys, empty_is_bad=True):
        self.entries, self.bad_keys = entries, tuple(bad_keys)
        self.empty_is_bad = empty_is_bad

    def render(self):
        return {key: render(value) for key, value in self.entries.items()}

    def variants(self):
        good = self.render()
        first = next(iter(good))
        for key, value in self.entries.items():
            for label, bad in _variants(value):
                yield '.%s%s' % (key, label), dict(good, **{key: bad})
        for bad_key in self.bad_keys:
            renamed = {(bad_key if key == first else key): value
                       for key, value in good.items()}
            yield ' key %s' % short(bad_key), renamed
        if self.empty_is_bad:
            yield '={}', {}
        for value in _NOT_AN_OBJECT:
            yield '=%s' % short(value), value


class Array:
    """A list whose first item may go bad."""

    def __init__(self, items, unique=False):
        self.items, self.unique = items, unique

    def render(self):
        return [render(item) for item in self.items]

    def variants(self):
        good = self.render()
        for label, bad in _variants(self.items[0]):
            yield '[0]%s' % label, [bad] + good[1:]
        if self.unique:
            yield ' with a duplicate', good + good[:1]
        for value in _NOT_AN_ARRAY:
            yield '=%s' % short(value), value


def render(node):
    """The good body (or part) of a template; plain values are as good as
    they are."""
    return node.render() if hasattr(node, 'render') else node


def _variants(node):
    return node.variants() if hasattr(node, 'variants') else ()


# --- Kinds of values, each with what must be refused where it goes.

def integer(good, minimum=0, nullable=False):
    bad = ['1', 1.5, True, [], {}, minimum - 1, MAX_INT + 1, 10 ** 30,
           Raw('1e400'), Raw('NaN'), Raw('-Infinity')]
    if not nullable:
        bad.append(None)
    return Field(good, bad)


def ratio(good):
    return Field(good, ['1', True, [], {}, None, -1, 1e39, Raw('1e400'),
                        Raw('Infinity'), Raw('NaN')])


def text(good, max_length, taken=()):
    return Field(good, [1, True, [], {}, None, '', 'x' * (max_length + 1),
                        '\u00e9' * (max_length + 1), 'a\x00b'] + list(taken))


def bad_uuids(good):
    """Strings that are not ``good`` nor any other uuid."""
    return ['not-a-uuid', '', good + '\n', good[:-1] + '\x00', good + '0',
            'x' * 1000,
            # Arabic-Indic digits, which int() would read as 0 to 9.
            '-'.join('\u0660' * length for length in (8, 4, 4, 4, 12))]


def uuid(good, nullable=False, taken=()):
    bad = bad_uuids(good) + [1, [], {}] + list(taken)
    if not nullable:
        bad.append(None)
    return Field(good, bad)


# Names of resource classes and traits, each malformed in its own way.
BAD_NAMES = ('vcpu', 'CUSTOM_\u00c9T\u00c9', 'CUSTOM_\x01', 'CUSTOM_A\n',
             '', 'CUSTOM_' + 'X' * 250, 'VCPU\x00', 'CUSTOM_ A')
# A well-formed name of nothing: wrong where a name must exist.
UNKNOWN_NAME = 'CUSTOM_NO_SUCH_NAME'
NAMES_OF_NOTHING = BAD_NAMES + (UNKNOWN_NAME,)
_NOT_A_STRING = (1, None, [], {})


def name(good):
    """The name of a class or trait that must exist."""
    return Field(good, NAMES_OF_NOTHING + _NOT_A_STRING)


def new_name(good, taken):
    """The name of a custom class to create: only a malformed or taken
    name is refused."""
    return Field(good, BAD_NAMES + _NOT_A_STRING + tuple(taken))


def external_id(good):
    return Field(good, [1, True, [], {}, None, '', 'x' * 256, 'p\x00'])


def consumer_type(good):
    return Field(good, ['instance', '', 'A B', 'X' * 256, 1, None, [],
                        'A\x00', 'INSTANCE\n'])


def generic_bodies(takes_a_list):
    """(label, body) of bodies that no route takes."""
    yield 'empty body', b''
    yield 'not JSON', b'not json'
    yield 'truncated JSON', b'{"name": '
    yield 'trailing garbage', b'{}}'
    yield 'two documents', b'{} {}'
    yield 'null', b'null'
    yield 'a string', b'"x"'
    yield 'a number', b'1'
    yield 'true', b'true'
    yield 'NaN', b'NaN'
    yield 'Infinity in an object', b'{"total": Infinity}'
    if takes_a_list:
        yield 'an object', b'{}'
    else:
        yield 'a list', b'[]'
    yield 'not UTF-8', b'\xff\xfe{}'
    yield 'UTF-16', '{"name": "x"}'.encode('utf-16')
    yield 'UTF-8 byte order mark', b'\xef\xbb\xbf{}'
    yield 'raw NUL', b'{"\x00": 1}'
    yield 'escaped NUL key', b'{"\\u0000": 1}'
    yield 'raw control character', b'{"name": "\x01"}'
    yield 'lone surrogate', b'{"name": "\\ud800"}'
    # Deep, yet well below the body size limit.
    yield 'deeply nested lists', b'[' * 20000 + b']' * 20000
    yield 'deeply nested objects', b'{"a":' * 5000 + b'1' + b'}' * 5000
    yield '1 MB string', b'"' + b'x' * MEGABYTE + b'"'
    yield '1 MB of spaces', b' ' * MEGABYTE + b'{}'
    yield 'a number of 5000 digits', b'{"total": ' + b'7' * 5000 + b'}'
    yield 'a huge exponent', b'{"total": 1e999999999}'


# Content types that are not JSON, to send a good body with.
WRONG_CONTENT_TYPES = ('text/plain', '', 'application/jsonx',
                       'application/x-www-form-urlencoded',
                       'multipart/form-data; boundary=x')
