"""Reading query strings: check them against a JSON schema, as bodies are
checked, so that an unknown or malformed parameter gets a 400 that names
it. The messages are OpenStack Placement's, jsonschema's own after
"Invalid query string parameters: "."""
import dataclasses
import re

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
        raise _bad('%s%s' % (error.message, where))
    return params


# Filter syntaxes shared by GET /resource_providers and
# GET /allocation_candidates. Each parser takes the raw string(s) and says
# what is malformed in a 400.

MAX_AMOUNT = 2147483647


def _bad(message):
    """The 400 of a query string that breaks its schema or a parameter's
    form; the generic code, as OpenStack Placement gives it."""
    return exception.BadRequest('Invalid query string parameters: %s'
                                % message)


def _badly_formed_resources(got):
    return exception.BadRequest(
        'Badly formed resources parameter. Expected resources query string '
        'parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. Got: %s.'
        % got)


def resources(value):
    """{resource class name: amount} from ``VCPU:2,MEMORY_MB:1024``."""
    if not value.strip():
        raise _badly_formed_resources('empty string')
    amounts = {}
    for item in value.split(','):
        name, colon, amount = item.partition(':')
        if not colon or ':' in amount:
            raise _badly_formed_resources(item)
        amounts[name] = _amount(name, amount)
    return amounts


def _amount(name, text):
    try:
        amount = int(text)
    except ValueError:
        raise exception.BadRequest(
            'Requested resource %s expected positive integer amount. '
            'Got: %s.' % (name, text))
    if amount < 1:
        raise exception.BadRequest(
            'Requested resource %s requires amount >= 1. Got: %d.'
            % (name, amount))
    if amount > MAX_AMOUNT:
        # OpenStack Placement has no upper bound (and no answer then).
        raise exception.BadRequest(
            'Requested resource %s requires amount <= %d. Got: %d.'
            % (name, MAX_AMOUNT, amount))
    return amount


def _member_of_value(value, allow_forbidden):
    """(required uuids, forbidden uuids) for one member_of value."""
    forbidden = value.startswith('!')
    if forbidden and not allow_forbidden:
        raise exception.BadRequest(
            'Forbidden member_of parameters are not supported in the '
            'specified microversion')
    if ',' in value and not value.startswith(('in:', '!in:')):
        raise exception.BadRequest(
            "Multiple values for 'member_of' must be prefixed with the "
            "'in:' or '!in:' keyword using the valid microversion. Got: %s"
            % value)
    listed = value[1:] if forbidden else value
    if listed.startswith('in:'):
        listed = listed[len('in:'):]
    uuids = listed.split(',')
    for aggregate in uuids:
        if not common.is_uuid(aggregate):
            raise _bad("Expected 'member_of' parameter to contain valid "
                       "UUID(s). Got: %s" % aggregate)
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
            'Multiple member_of parameters are not supported')
    required, forbidden = [], set()
    for value in values:
        any_of, none_of = _member_of_value(value, allow_forbidden)
        if any_of:
            required.append(any_of)
        forbidden |= none_of
    return required, forbidden


_ANY_OF_FORM = 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC'


def _empty_trait(form, value):
    return _bad("Expected 'required' parameter value of the form: %s. Got "
                "an empty trait in: %s" % (form, value))


def _any_of_traits(value):
    names = {name.strip() for name in value[len('in:'):].split(',')}
    if not all(names):
        raise _empty_trait(_ANY_OF_FORM, value)
    if any(name.startswith('!') for name in names):
        raise _bad("The format '%s' does not support forbidden traits. "
                   "Got: %s" % (_ANY_OF_FORM, value))
    return names


def _required_value(value, allow_forbidden, allow_any_of):
    """(list of sets of trait names, set of forbidden names) for one
    required value."""
    if value.startswith('in:'):
        if not allow_any_of:
            raise _bad("The format '%s' only supported since microversion "
                       "1.39. Got: %s" % (_ANY_OF_FORM, value))
        return [_any_of_traits(value)], set()
    names = [name.strip() for name in value.split(',')]
    form = ('HW_CPU_X86_VMX,!CUSTOM_MAGIC' if allow_forbidden
            else 'HW_CPU_X86_VMX,CUSTOM_MAGIC')
    # As in OpenStack Placement, any number of leading "!" forbid.
    forbidden = {name.lstrip('!') for name in names if name.startswith('!')}
    if forbidden and not allow_forbidden:
        raise _bad("Expected 'required' parameter value of the form: %s. "
                   "Got: %s" % (form, value))
    if not all(names) or not all(forbidden):
        raise _empty_trait(form, value)
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


# Request groups of GET /allocation_candidates: the unsuffixed group
# (resources, required, member_of, in_tree) and, from 1.25, groups whose
# parameters share a suffix (resources1, required1, ...).

# The microversion from which each group parameter exists.
_GROUP_PARAMETERS = {
    'resources': (1, 10),
    'required': (1, 17),
    'member_of': (1, 21),
    'in_tree': (1, 31),
}
SUFFIXES_FROM = (1, 25)
STRING_SUFFIXES_FROM = (1, 33)
FORBIDDEN_TRAITS_FROM = (1, 22)
REPEATED_MEMBER_OF_FROM = (1, 24)
FORBIDDEN_AGGREGATES_FROM = (1, 32)
# From 1.36 a group may go without resources if same_subtree names it.
RESOURCELESS_GROUPS_FROM = (1, 36)
ANY_OF_TRAITS_FROM = (1, 39)

_GROUP_PARAMETER = re.compile(r'(resources|required|member_of|in_tree)(.*)',
                              re.DOTALL)
_NUMBER_SUFFIX = re.compile(r'[1-9][0-9]*')
_STRING_SUFFIX = re.compile(r'[a-zA-Z0-9_-]{1,64}')


@dataclasses.dataclass
class RequestGroup:
    """What one provider must satisfy (the unsuffixed group: what a tree
    must satisfy between its providers)."""
    suffix: str = ''
    # {resource class name: amount}
    resources: dict = dataclasses.field(default_factory=dict)
    # Sets of trait names: a provider needs at least one of each set.
    required_traits: list = dataclasses.field(default_factory=list)
    forbidden_traits: set = dataclasses.field(default_factory=set)
    # Sets of aggregate uuids: a provider is in at least one of each set.
    member_of: list = dataclasses.field(default_factory=list)
    forbidden_aggregates: set = dataclasses.field(default_factory=set)
    # The uuid of a provider in whose tree the group must be found.
    in_tree: str | None = None


def request_groups(query, want):
    """The RequestGroups of a GET /allocation_candidates query, the
    unsuffixed one (if given) first, then by suffix.

    ``query`` is the request's query (a webob MultiDict) or the dict
    ``extract`` made of it; ``want`` the microversion. Parameters that are
    no group parameters (limit, group_policy, ...) are left to the caller,
    but a group parameter this microversion does not know is refused.
    """
    given = _values_by_group(query, want)
    groups = [_group(suffix, given[suffix], want) for suffix in sorted(given)]
    if want.matches(RESOURCELESS_GROUPS_FROM):
        _refuse_resourceless(groups, _same_subtree(query))
    else:
        _refuse_orphans(given)
    return groups


def _all_values(query, name):
    if hasattr(query, 'getall'):
        return query.getall(name)
    value = query[name]
    return value if isinstance(value, list) else [value]


def _values_by_group(query, want):
    """{suffix: {parameter: [every value given]}}"""
    by_group = {}
    for name in dict.fromkeys(query.keys()):
        match = _GROUP_PARAMETER.fullmatch(name)
        if match is None:
            continue
        parameter, suffix = match.groups()
        _refuse_unknown(name, parameter, suffix, want)
        by_group.setdefault(suffix, {})[parameter] = _all_values(query, name)
    return by_group


def _refuse_unknown(name, parameter, suffix, want):
    if not want.matches(_GROUP_PARAMETERS[parameter]):
        why = '%s needs microversion %d.%d' % (
            (parameter,) + _GROUP_PARAMETERS[parameter])
    elif not suffix:
        return
    elif not want.matches(SUFFIXES_FROM):
        why = 'suffixed request groups need microversion 1.25'
    elif want.matches(STRING_SUFFIXES_FROM):
        if _STRING_SUFFIX.fullmatch(suffix):
            return
        why = ('a group suffix is 1 to 64 letters, digits, "_" or "-"')
    elif _NUMBER_SUFFIX.fullmatch(suffix):
        return
    else:
        why = ('a group suffix is a number from 1 up before microversion '
               '1.33')
    raise exception.BadRequest(
        'Unknown query parameter %r at microversion %s: %s.'
        % (name, want, why))


def required_traits_at(values, want):
    """required_traits with the forms microversion ``want`` allows."""
    return required_traits(
        values, allow_forbidden=want.matches(FORBIDDEN_TRAITS_FROM),
        allow_any_of=want.matches(ANY_OF_TRAITS_FROM))


def member_of_at(values, want):
    """member_of with the forms microversion ``want`` allows."""
    return member_of(
        values, allow_repeat=want.matches(REPEATED_MEMBER_OF_FROM),
        allow_forbidden=want.matches(FORBIDDEN_AGGREGATES_FROM))


def _group(suffix, values, want):
    group = RequestGroup(suffix=suffix)
    # Every value is checked; a later amount of a class wins.
    for value in values.get('resources', ()):
        group.resources.update(resources(value))
    if 'required' in values:
        group.required_traits, group.forbidden_traits = required_traits_at(
            values['required'], want)
    if 'member_of' in values:
        group.member_of, group.forbidden_aggregates = member_of_at(
            values['member_of'], want)
    if 'in_tree' in values:
        group.in_tree = _in_tree(values['in_tree'])
    return group


def _in_tree(values):
    """The provider uuid of the last in_tree value; every one is
    checked."""
    for value in values:
        if not common.is_uuid(value):
            raise _bad("Expected 'in_tree' parameter to be a format of "
                       "uuid. Got: %s" % value)
    return common.canonical_uuid(values[-1])


# Before 1.36, what a group given without resources is told, by the
# first of its parameters found so (traits first, as OpenStack Placement
# looks); the orphans are named in the order the query gives them.
_ORPHANS = (
    ('required', 'All traits parameters must be associated with '
                 'resources.  Found the following orphaned traits keys: '
                 '{}'),
    ('member_of', 'All member_of parameters must be associated with '
                  'resources. Found the following orphaned member_of '
                  'keys: {}'),
    ('in_tree', 'All request groups must specify resources.'),
)


def _refuse_orphans(given):
    """Before 1.36 every group given has resources, and some group
    does."""
    for parameter, message in _ORPHANS:
        orphans = [parameter + suffix for suffix, values in given.items()
                   if parameter in values and 'resources' not in values]
        if orphans:
            raise exception.BadRequest(message.format(', '.join(orphans)))
    if not given:
        raise exception.BadRequest(
            'At least one request group (`resources` or `resources{$S}`) '
            'is required.')


def _same_subtree(query):
    """The suffixes that same_subtree names."""
    if 'same_subtree' not in query:
        return set()
    return {suffix for value in _all_values(query, 'same_subtree')
            for suffix in value.split(',')}


def _refuse_resourceless(groups, same_subtree):
    """From 1.36 a group without resources must be named in
    same_subtree, and some group must have resources."""
    if not any(group.resources for group in groups):
        raise exception.BadRequest(
            'There must be at least one resources or resources[$S] '
            'parameter.', code=errors.QUERYPARAM_MISSING_VALUE)
    unnamed = [group.suffix for group in groups
               if not group.resources and group.suffix not in same_subtree]
    if unnamed:
        raise exception.BadRequest(
            'Resourceless suffixed group request should be specified in '
            '`same_subtree` query param: bad group(s) - %s.' % unnamed,
            code=errors.QUERYPARAM_BAD_VALUE)
