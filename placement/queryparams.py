"""Reading query strings: check them against a JSON schema, as bodies are
checked, so that an unknown or malformed parameter gets a 400 that names
it."""
import jsonschema

from placement import errors
from placement import exception
from placement.schemas import common


def extract(req, schema, repeatable=()):
    """The query parameters as a dict, checked against ``schema``.

    Parameters named in ``repeatable`` become lists of every value given;
    any other parameter given more than once is refused.
    """
    # The router has refused a query string that is not UTF-8.
    query = req.GET
    params = {}
    for name in query.keys():
        values = query.getall(name)
        if name in repeatable:
            params[name] = values
        elif len(values) > 1:
            raise exception.BadRequest(
                'Query parameter %r may be given only once.' % name,
                code=errors.ILLEGAL_DUPLICATE_QUERYPARAM)
        else:
            params[name] = values[0]
    error = jsonschema.exceptions.best_match(
        common.validator(schema).iter_errors(params))
    if error is not None:
        # Name the parameter where the message itself does not.
        where = (' (parameter %r)' % error.path[0]) if error.path else ''
        raise exception.BadRequest(
            'Bad query string: %s%s' % (error.message, where),
            code=errors.QUERYPARAM_BAD_VALUE)
    return params


# Filter syntaxes shared by GET /resource_providers and
# GET /allocation_candidates. Each parser takes the raw string(s) and says
# what is malformed in a 400.

MAX_AMOUNT = 2147483647
_RESOURCES_FORM = '?resources=VCPU:2,MEMORY_MB:1024'


def _bad(message):
    return exception.BadRequest('Bad query string: %s'
                                % message)


def resources(value):
    """{resource class name: amount} from ``VCPU:2,MEMORY_MB:1024``."""
    if not value.strip():
        raise exception.BadRequest(
            'The resources parameter is empty; it takes the form %s.'
            % _RESOURCES_FORM)
    amounts = {}
    for item in value.split(','):
        name, colon, amount = item.partition(':')
        if not colon or ':' in amount:
            raise exception.BadRequest(
                'Cannot read %r in the resources parameter, which takes '
                'the form %s.' % (item, _RESOURCES_FORM))
        amounts[name] = _amount(name, amount)
    return amounts


def _amount(name, text):
    try:
        amount = int(text)
    except ValueError:
        raise exception.BadRequest(
            'The amount of %s in the resources parameter must be a '
            'positive integer, not %r.' % (name, text))
    if not 1 <= amount <= MAX_AMOUNT:
        raise exception.BadRequest(
            'Requested resource %s requires an amount from 1 to %d. '
            'Got: %d.' % (name, MAX_AMOUNT, amount))
    return amount


def _member_of_value(value, allow_forbidden):
    """(required uuids, forbidden uuids) for one member_of value."""
    if ',' in value and not value.startswith(('in:', '!in:')):
        raise exception.BadRequest(
            "A member_of value naming several aggregates starts with "
            "'in:' (any of them) or '!in:' (none of them): %r" % value)
    forbidden = value.startswith('!')
    if forbidden and not allow_forbidden:
        raise exception.BadRequest(
            'Forbidden member_of values (with "!") are supported only '
            'from microversion 1.32. Got: %s' % value)
    listed = value[1:] if forbidden else value
    if listed.startswith('in:'):
        listed = listed[len('in:'):]
    uuids = listed.split(',')
    for aggregate in uuids:
        if not common.is_uuid(aggregate):
            raise _bad('member_of names aggregates by uuid; %r is not a '
                       'uuid.' % aggregate)
    normalized = {common.canonical_uuid(aggregate) for aggregate in uuids}
    return (set(), normalized) if forbidden else (normalized, set())


def member_of(values, allow_repeat=True, allow_forbidden=True):
    """(list of sets of aggregate uuids of which a provider must be in at
    least one each, set of aggregate uuids it must be in none of).

    ``values`` are every member_of value given; repeating member_of is
    allowed from 1.24 (``allow_repeat``), "!" from 1.32
    (``allow_forbidden``).
    """
    if len(values) > 1 and not allow_repeat:
        raise exception.BadRequest(
            'Multiple member_of parameters are supported only from '
            'microversion 1.24.')
    required, forbidden = [], set()
    for value in values:
        any_of, none_of = _member_of_value(value, allow_forbidden)
        if any_of:
            required.append(any_of)
        forbidden |= none_of
    return required, forbidden


def _any_of_traits(value):
    names = {name.strip() for name in value[len('in:'):].split(',')}
    if not all(names):
        raise _bad('An in: list in the required parameter has an empty '
                   'trait name: %r' % value)
    if any(name.startswith('!') for name in names):
        raise _bad('An in: list in the required parameter cannot forbid '
                   'traits with "!": %r' % value)
    return names


def _required_value(value, allow_forbidden, allow_any_of):
    """(list of sets of trait names, set of forbidden names) for one
    required value."""
    if value.startswith('in:'):
        if not allow_any_of:
            raise _bad('Any-of trait lists (in:A,B) in the required '
                       'parameter need microversion 1.39: %r' % value)
        return [_any_of_traits(value)], set()
    names = [name.strip() for name in value.split(',')]
    form = ('HW_CPU_X86_VMX,!CUSTOM_MAGIC' if allow_forbidden
            else 'HW_CPU_X86_VMX,CUSTOM_MAGIC')
    # As in OpenStack Placement, any number of leading "!" forbid.
    forbidden = {name.lstrip('!') for name in names if name.startswith('!')}
    if not all(names) or not all(forbidden):
        raise _bad('The required parameter (%s) has an empty trait name: '
                   '%r' % (form, value))
    if forbidden and not allow_forbidden:
        raise _bad('Forbidden traits (!TRAIT) need a later microversion; '
                   'the required parameter takes %s here, not %r.'
                   % (form, value))
    return ([{name} for name in names if not name.startswith('!')],
            forbidden)


def required_traits(values, allow_forbidden=True, allow_any_of=True):
    """(list of sets of trait names of which a provider must have at least
    one each, set of trait names it must have none of).

    "!" forbids a trait from 1.22 (``allow_forbidden``); from 1.39
    (``allow_any_of``) "in:A,B" asks for either and the parameter may be
    repeated, where before only the last value counts.
    """
    if not allow_any_of:
        values = values[-1:]
    required, forbidden = [], set()
    for value in values:
        all_of, none_of = _required_value(value, allow_forbidden,
                                          allow_any_of)
        required += all_of
        forbidden |= none_of
    return required, forbidden
