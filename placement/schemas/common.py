"""What request schemas share: the one definition of a uuid (in bodies,
query strings and paths), and the validator that checks a schema, built
once per schema."""
import functools
import re
import uuid as uuid_lib

import jsonschema
from oslo_utils import uuidutils

# A uuid anywhere in a body or query string, as a value or (with
# propertyNames) as a key.
UUID = {'type': 'string', 'format': 'uuid'}


def is_uuid(value):
    """Whether ``value`` is a uuid in a form OpenStack Placement takes:
    with or without dashes, in either case, braced or as a urn."""
    return isinstance(value, str) and uuidutils.is_uuid_like(value)


def canonical_uuid(value):
    """The dashed lower-case form of a uuid that ``is_uuid`` takes, the
    form in which uuids are stored and compared."""
    return str(uuid_lib.UUID(value))


def path_uuid(value):
    """The canonical form of a uuid given in a path, or None when the
    path holds no uuid at all (nothing can be found under it)."""
    return canonical_uuid(value) if is_uuid(value) else None


FORMAT_CHECKER = jsonschema.FormatChecker()


@FORMAT_CHECKER.checks('uuid')
def _uuid_format(instance):
    # A format speaks only of strings; "type" speaks of the rest.
    return not isinstance(instance, str) or is_uuid(instance)


@functools.lru_cache(maxsize=None)
def _ecma_regex(pattern):
    """``pattern`` compiled with JSON Schema's (ECMA 262) meaning of ``$``:
    the end of the string. Python's ``$`` also matches before a final
    newline, which would let "CUSTOM_A\\n" pass for a custom name."""
    translated, in_class, escaped = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == '\\':
            escaped = True
        elif in_class:
            in_class = char != ']'
        elif char == '[':
            in_class = True
        elif char == '$':
            char = r'\Z'
        translated.append(char)
    return re.compile(''.join(translated))


def _pattern(validator, pattern, instance, schema):
    # jsonschema's own check and message, with ECMA 262's ``$``.
    if validator.is_type(instance, 'string') and not _ecma_regex(
            pattern).search(instance):
        yield jsonschema.ValidationError(
            '%r does not match %r' % (instance, pattern))


# Draft 4, as OpenStack Placement validates (1.0 is no integer there),
# Draft 6's propertyNames, so that a uuid used as a key gets the same
# check as one used as a value, and patterns as JSON Schema means them.
_Validator = jsonschema.validators.extend(
    jsonschema.Draft4Validator,
    validators={'propertyNames':
                jsonschema.Draft7Validator.VALIDATORS['propertyNames'],
                'pattern': _pattern})

# id(schema) -> (schema, its validator). The entry holds the schema, so
# that no other object can take its id while the entry lives.
_validators = {}


def validator(schema):
    """The validator of ``schema`` (which must not change afterwards),
    built on first use and kept: schemas are module constants, built
    once, and so are their validators."""
    entry = _validators.get(id(schema))
    if entry is None:
        entry = (schema, _Validator(schema, format_checker=FORMAT_CHECKER))
        _validators[id(schema)] = entry
    return entry[1]
