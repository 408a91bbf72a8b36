"""/resource_providers/{uuid}/traits (from 1.6)."""
from placement import context
from placement import exception
from placement import jsonio
from placement import microversion
from placement.objects import provider_trait
from placement.policies import trait as policies
from placement.schemas import provider_trait as schema

CACHE_HEADERS_FROM = (1, 15)


def _traits_response(want, generation, names, last_modified):
    return jsonio.response(
        {'traits': names, 'resource_provider_generation': generation},
        last_modified=last_modified,
        cache_headers=want.matches(CACHE_HEADERS_FROM))


@microversion.since((1, 6))
def list_traits_for_resource_provider(req):
    ctx = context.of(req.environ)
    ctx.can(policies.RP_TRAIT_LIST)
    want = microversion.of(req.environ)
    try:
        result = provider_trait.get_for_provider(ctx, req.urlvars['uuid'])
    except exception.ResourceProviderNotFound as exc:
        # OpenStack Placement says it twice here, and clients may match
        # the whole of it.
        raise exception.ResourceProviderNotFound(
            '%s: %s' % (exc.detail, exc.detail))
    return _traits_response(want, *result)


@microversion.since((1, 6))
def update_traits_for_resource_provider(req):
    ctx = context.of(req.environ)
    ctx.can(policies.RP_TRAIT_UPDATE)
    want = microversion.of(req.environ)
    data = jsonio.extract(req, schema.PUT_TRAITS)
    try:
        result = provider_trait.set_for_provider(
            ctx, req.urlvars['uuid'], data['traits'],
            seen_generation=data['resource_provider_generation'])
    except exception.TraitNotFound as exc:
        raise exception.BadRequest(exc.detail)
    return _traits_response(want, *result)


@microversion.since((1, 6))
def delete_traits_for_resource_provider(req):
    ctx = context.of(req.environ)
    ctx.can(policies.RP_TRAIT_DELETE)
    provider_trait.delete_for_provider(ctx, req.urlvars['uuid'])
    return jsonio.no_content()
