"""/resource_providers/{uuid}/aggregates (from 1.1)."""
from placement import context
from placement import jsonio
from placement import microversion
from placement.objects import aggregate as aggregate_obj
from placement.policies import aggregate as policies
from placement.schemas import aggregate as schema

GENERATION_FROM = (1, 19)
CACHE_HEADERS_FROM = (1, 15)


def _aggregates_response(want, generation, uuids):
    body = {'aggregates': uuids}
    if want.matches(GENERATION_FROM):
        body['resource_provider_generation'] = generation
    # Associations carry no time of their own, so the response is as new
    # as the moment it is made.
    return jsonio.response(body,
                           cache_headers=want.matches(CACHE_HEADERS_FROM))


@microversion.since((1, 1))
def get_aggregates(req):
    ctx = context.of(req.environ)
    ctx.can(policies.LIST)
    want = microversion.of(req.environ)
    generation, uuids = aggregate_obj.get_for_provider(
        ctx, req.urlvars['uuid'])
    return _aggregates_response(want, generation, uuids)


@microversion.since((1, 1))
def set_aggregates(req):
    ctx = context.of(req.environ)
    ctx.can(policies.UPDATE)
    want = microversion.of(req.environ)
    uuid = req.urlvars['uuid']

    def ensure_provider():
        # An unknown provider is a 404 whatever the body says.
        aggregate_obj.get_for_provider(ctx, uuid)

    if want.matches(GENERATION_FROM):
        data = jsonio.extract(req, schema.PUT_AGGREGATES_1_19,
                              before_refusal=ensure_provider)
        uuids = data['aggregates']
        seen_generation = data['resource_provider_generation']
    else:
        uuids = jsonio.extract(req, schema.PUT_AGGREGATES,
                               before_refusal=ensure_provider)
        seen_generation = None
    generation, uuids = aggregate_obj.set_for_provider(
        ctx, uuid, uuids, seen_generation=seen_generation)
    return _aggregates_response(want, generation, uuids)
