"""GET /allocation_candidates: which sets of providers could satisfy a
request, and a summary of each provider involved."""
import jsonschema

from placement import context
from placement import errors
from placement import exception
from placement import jsonio
from placement import microversion
from placement.objects.candidates import find as find_obj
from placement.objects.candidates import summaries
from placement.policies import allocation_candidate as policies
from placement import queryparams
from placement.schemas import allocation_candidate as schema
from placement.schemas import common

DICT_REQUESTS_FROM = (1, 12)
CACHE_HEADERS_FROM = (1, 15)
LIMIT_FROM = (1, 16)
GROUP_POLICY_FROM = (1, 25)
NESTED_FROM = (1, 29)
MAPPINGS_FROM = (1, 34)
ROOT_REQUIRED_FROM = (1, 35)
SAME_SUBTREE_FROM = (1, 36)


def _bad_value(message):
    return exception.BadRequest(message, code=errors.QUERYPARAM_BAD_VALUE)


def _validate(req, want):
    """The query string against the microversion's schema, the last value
    of each parameter, as OpenStack Placement checks it."""
    version_schema = next(found for since, found in schema.BY_MICROVERSION
                          if want.matches(since))
    last_values = {name: req.GET.getall(name)[-1] for name in req.GET}
    error = jsonschema.exceptions.best_match(
        common.validator(version_schema).iter_errors(last_values))
    if error is not None:
        where = (' (parameter %r)' % error.path[0]) if error.path else ''
        raise exception.BadRequest('Invalid query string parameters: %s%s'
                                   % (error.message, where))


def _root_required(req):
    values = req.GET.getall('root_required')
    if not values:
        return set(), set()
    if len(values) > 1:
        raise exception.BadRequest(
            "Query parameter 'root_required' may be specified only once.",
            code=errors.ILLEGAL_DUPLICATE_QUERYPARAM)
    required, forbidden = queryparams.required_traits(
        values, allow_forbidden=True, allow_any_of=False)
    required = set().union(*required)
    conflicts = sorted(required & forbidden)
    if conflicts:
        raise _bad_value('Conflicting required and forbidden traits found '
                         'in root_required: %s' % ', '.join(conflicts))
    return required, forbidden


def _same_subtrees(req):
    subtrees = []
    for value in req.GET.getall('same_subtree'):
        suffixes = {suffix.strip() for suffix in value.split(',')}
        if '' in suffixes:
            raise _bad_value('Empty string (unsuffixed group) can not be '
                             'specified in `same_subtree` ')
        subtrees.append(suffixes)
    return subtrees


def _wide(req, want):
    limits = req.GET.getall('limit')
    policies_given = req.GET.getall('group_policy')
    required, forbidden = _root_required(req)
    return find_obj.Wide(
        limit=int(limits[0]) if limits else None,
        group_policy=policies_given[0] if policies_given else None,
        root_required=required, root_forbidden=forbidden,
        same_subtrees=_same_subtrees(req),
        nested_aware=want.matches(NESTED_FROM))


def _last_resources_only(query):
    """The query with only the last value of a repeated resources
    parameter, as OpenStack Placement reads it; the others must still be
    well formed."""
    trimmed = query.copy()
    for name in set(query.keys()):
        values = query.getall(name)
        if name.startswith('resources') and len(values) > 1:
            for value in values[:-1]:
                queryparams.resources(value)
            trimmed[name] = values[-1]
    return trimmed


def _in_query_order(req, groups):
    """The groups in the order their first parameter is given, the order
    OpenStack Placement searches them in."""
    position = {}
    for index, name in enumerate(req.GET.keys()):
        for group in groups:
            if name.endswith(group.suffix) and name[
                    :len(name) - len(group.suffix)] in (
                    'resources', 'required', 'member_of', 'in_tree'):
                position.setdefault(group.suffix, index)
    return sorted(groups, key=lambda group: position.get(group.suffix, 0))


def _check_groups(groups, wide, want):
    suffixes = [group.suffix for group in groups]
    named = set().union(*wide.same_subtrees)
    unknown = [suffix for suffix in sorted(named) if suffix not in suffixes]
    if unknown:
        raise _bad_value('Real suffixes should be specified in '
                         '`same_subtree`: %s not found in %s.'
                         % (unknown, suffixes))
    if want.matches(queryparams.FORBIDDEN_TRAITS_FROM):
        conflicts = sorted(
            'required%s: (%s)' % (group.suffix, ', '.join(sorted(any_of)))
            for group in groups for any_of in group.required_traits
            if any_of <= group.forbidden_traits)
        if conflicts:
            raise exception.BadRequest(
                'Conflicting required and forbidden traits found in the '
                'following traits keys: %s' % ', '.join(conflicts))
    if not wide.group_policy and sum(1 for s in suffixes if s) > 1:
        raise exception.BadRequest(
            'The "group_policy" parameter is required when specifying '
            'more than one "resources{N}" parameter.')


def _allocation_requests(found, want):
    uuids = {provider_id: provider.uuid
             for provider_id, provider in found.providers.items()}
    if not want.matches(DICT_REQUESTS_FROM):
        return [{'allocations': [
            {'resource_provider': {'uuid': uuids[provider_id]},
             'resources': amounts}
            for provider_id, amounts in candidate.resources.items()]}
            for candidate in found.candidates]
    with_mappings = want.matches(MAPPINGS_FROM)
    shaped = []
    for candidate in found.candidates:
        request = {'allocations': {
            uuids[provider_id]: {'resources': amounts}
            for provider_id, amounts in candidate.resources.items()}}
        if with_mappings:
            request['mappings'] = {
                suffix: sorted(uuids[p] for p in providers)
                for suffix, providers in candidate.mappings.items()}
        shaped.append(request)
    return shaped


def _provider_summaries(found, wide, want):
    summariser = summaries.Summariser(found.providers,
                                      wide.summarised_classes, want)
    providers, inventories, traits = (found.providers, found.inventories,
                                      found.traits)
    written = found.resources_json
    return {providers[provider_id].uuid: summariser.summary(
        providers[provider_id], inventories.get(provider_id, ()),
        traits.get(provider_id, {}),
        None if written is None else written.get(provider_id, '{}'))
        for provider_id in sorted(found.summary_ids)}


@microversion.since((1, 10))
def list_allocation_candidates(req):
    ctx = context.of(req.environ)
    ctx.can(policies.LIST)
    want = microversion.of(req.environ)
    _validate(req, want)
    wide = _wide(req, want)
    groups = _in_query_order(req, queryparams.request_groups(
        _last_resources_only(req.GET), want))
    _check_groups(groups, wide, want)
    if not want.matches(summaries.ALL_CLASSES_FROM):
        wide.summarised_classes = {name for group in groups
                                   for name in group.resources}
    try:
        found = find_obj.find(ctx, groups, wide)
    except exception.ResourceClassNotFound as exc:
        raise exception.BadRequest(
            'Invalid resource class in resources parameter: %s'
            % exc.detail)
    except exception.TraitNotFound as exc:
        raise exception.BadRequest(exc.detail)
    return jsonio.response(
        {'allocation_requests': _allocation_requests(found, want),
         'provider_summaries': _provider_summaries(found, wide, want)},
        cache_headers=want.matches(CACHE_HEADERS_FROM))
