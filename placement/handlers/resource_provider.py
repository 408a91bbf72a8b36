"""/resource_providers and /resource_providers/{uuid}."""
import webob

from placement import context
from placement import exception
from placement import jsonio
from placement import microversion
from placement.objects import provider_filters
from placement.objects import resource_provider as rp_obj
from placement.policies import resource_provider as policies
from placement import queryparams
from placement.schemas import resource_provider as schema

# (microversion, link rel) for the links added at each microversion.
_LINKS = (
    ((1, 0), 'inventories'),
    ((1, 0), 'usages'),
    ((1, 1), 'aggregates'),
    ((1, 6), 'traits'),
    ((1, 11), 'allocations'),
)
NESTED_FROM = (1, 14)
CACHE_HEADERS_FROM = (1, 15)
BODY_ON_CREATE_FROM = (1, 20)
REPARENTING_FROM = (1, 37)


def provider_url(req, uuid):
    return '%s/resource_providers/%s' % (req.script_name, uuid)


def _link_rels(want):
    """The relations a provider links to at microversion ``want``."""
    return [rel for since, rel in _LINKS if want.matches(since)]


def _links(url, rels):
    links = [{'rel': 'self', 'href': url}]
    links += [{'rel': rel, 'href': url + '/' + rel} for rel in rels]
    return links


def serializer(req, want):
    """A function of a provider dict to the provider as the API shows it
    at microversion ``want``; what the microversion and the request
    decide is worked out once, for lists of thousands."""
    rels = _link_rels(want)
    base = provider_url(req, '')
    nested = want.matches(NESTED_FROM)

    def serialize_one(provider):
        data = {
            'uuid': provider['uuid'],
            'name': provider['name'],
            'generation': provider['generation'],
            'links': _links(base + provider['uuid'], rels),
        }
        if nested:
            data['parent_provider_uuid'] = provider['parent_provider_uuid']
            data['root_provider_uuid'] = provider['root_provider_uuid']
        return data
    return serialize_one


def serialize(req, provider, want):
    """The provider as the API shows it at microversion ``want``."""
    return serializer(req, want)(provider)


def _provider_response(req, provider, want, cache_headers):
    return jsonio.response(serialize(req, provider, want),
                           last_modified=rp_obj.last_modified([provider]),
                           cache_headers=cache_headers)


def _body_schema(want, before_1_14, from_1_14):
    return from_1_14 if want.matches(NESTED_FROM) else before_1_14


def create_resource_provider(req):
    ctx = context.of(req.environ)
    ctx.can(policies.CREATE)
    want = microversion.of(req.environ)
    data = jsonio.extract(req, _body_schema(
        want, schema.POST_PROVIDER, schema.POST_PROVIDER_1_14))
    provider = rp_obj.create(ctx, data['name'], uuid=data.get('uuid'),
                             parent_uuid=data.get('parent_provider_uuid'))
    if want.matches(BODY_ON_CREATE_FROM):
        response = _provider_response(req, provider, want,
                                      cache_headers=True)
    else:
        response = webob.Response(status=201)
        del response.content_type
    response.location = provider_url(req, provider['uuid'])
    return response


def get_resource_provider(req):
    ctx = context.of(req.environ)
    ctx.can(policies.SHOW)
    want = microversion.of(req.environ)
    provider = rp_obj.get_by_uuid(ctx, req.urlvars['uuid'])
    return _provider_response(req, provider, want,
                              cache_headers=want.matches(CACHE_HEADERS_FROM))


def update_resource_provider(req):
    ctx = context.of(req.environ)
    ctx.can(policies.UPDATE)
    want = microversion.of(req.environ)
    uuid = req.urlvars['uuid']
    # A missing provider is a 404 whatever the body says.
    data = jsonio.extract(
        req, _body_schema(want, schema.PUT_PROVIDER, schema.PUT_PROVIDER_1_14),
        before_refusal=lambda: rp_obj.get_by_uuid(ctx, uuid))
    parent = {}
    if 'parent_provider_uuid' in data:
        parent['parent_uuid'] = data['parent_provider_uuid']
    provider = rp_obj.update(
        ctx, uuid, data['name'],
        allow_reparenting=want.matches(REPARENTING_FROM), **parent)
    return _provider_response(req, provider, want,
                              cache_headers=want.matches(CACHE_HEADERS_FROM))


def delete_resource_provider(req):
    ctx = context.of(req.environ)
    ctx.can(policies.DELETE)
    rp_obj.delete(ctx, req.urlvars['uuid'])
    return jsonio.no_content()


def _list_schema(want):
    for since, version_schema in (
            ((1, 18), schema.LIST_PROVIDERS_1_18),
            ((1, 14), schema.LIST_PROVIDERS_1_14),
            ((1, 4), schema.LIST_PROVIDERS_1_4),
            ((1, 3), schema.LIST_PROVIDERS_1_3)):
        if want.matches(since):
            return version_schema
    return schema.LIST_PROVIDERS


def _filters_from(params, want):
    # As in OpenStack Placement, an empty name filters nothing.
    filters = provider_filters.Filters(name=params.get('name') or None)
    for name in ('uuid', 'in_tree'):
        if name in params:
            setattr(filters, name, rp_obj.normalize_uuid(params[name]))
    if 'member_of' in params:
        filters.member_of, filters.forbidden_aggregates = (
            queryparams.member_of_at(params['member_of'], want))
    if 'required' in params:
        filters.required_traits, filters.forbidden_traits = (
            queryparams.required_traits_at(params['required'], want))
    if 'resources' in params:
        filters.resources = queryparams.resources(params['resources'])
    return filters


def _first_in_query_order(names, required_values, want):
    """The one of ``names`` to name as unknown: the first that the
    required parameter asks for, else the first it forbids. OpenStack
    Placement names the first of the traits asked for one by one; among
    several in one any-of list, or several forbidden, it picks one in no
    fixed order, and the query's order is as good as any."""
    if not want.matches(queryparams.ANY_OF_TRAITS_FROM):
        # Only the last value counts.
        required_values = required_values[-1:]
    asked, forbidden = [], []
    for value in required_values:
        if value.startswith('in:'):
            value = value[len('in:'):]
        for name in value.split(','):
            name = name.strip()
            if name.startswith('!'):
                forbidden.append(name.lstrip('!'))
            else:
                asked.append(name)
    return next((name for name in asked + forbidden if name in names),
                min(names))


def list_resource_providers(req):
    ctx = context.of(req.environ)
    ctx.can(policies.LIST)
    want = microversion.of(req.environ)
    params = queryparams.extract(req, _list_schema(want),
                                 repeatable=schema.LIST_REPEATABLE)
    filters = _filters_from(params, want)
    try:
        providers = rp_obj.get_all(ctx, filters)
    except provider_filters.UnknownTraits as exc:
        raise exception.BadRequest(
            'Invalid trait(s) in "required" parameter: No such trait(s): '
            '%s.' % _first_in_query_order(exc.names, params['required'],
                                          want))
    except exception.ResourceClassNotFound as exc:
        raise exception.BadRequest(
            'Invalid resource class in resources parameter: %s'
            % exc.detail)
    serialize_one = serializer(req, want)
    return jsonio.response(
        {'resource_providers': [serialize_one(provider)
                                for provider in providers]},
        last_modified=rp_obj.last_modified(providers),
        cache_headers=want.matches(CACHE_HEADERS_FROM))
