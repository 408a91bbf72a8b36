"""Handlers for /allocations and /resource_providers/{uuid}/allocations.

A consumer's allocations are written whole: PUT replaces one consumer's,
POST (1.13) several consumers' at once, in one transaction either way.
"""
from placement import context
from placement import exception
from placement import jsonio
from placement import microversion
from placement.objects import allocation as alloc_obj
from placement.objects import allocation_write
from placement.policies import allocation as policies
from placement.schemas import allocation as schema
from placement.schemas import common

CACHE_HEADERS_FROM = (1, 15)
OWNER_FROM = (1, 12)
CONSUMER_GENERATION_FROM = (1, 28)
CONSUMER_TYPE_FROM = (1, 38)


_canonical = common.canonical_uuid


def _path_uuid(req, name):
    """The canonical form of the path's uuid ``name``, or None when it is
    no uuid at all: no allocation can belong to such a path, so it never
    reaches a query."""
    return common.path_uuid(req.urlvars[name])


def _consumer_body(found, want):
    if found is None:
        return {'allocations': {}}
    body = {'allocations': found.allocations}
    if want.matches(OWNER_FROM):
        body['project_id'] = found.project_id
        body['user_id'] = found.user_id
    if want.matches(CONSUMER_GENERATION_FROM):
        body['consumer_generation'] = found.consumer_generation
    if want.matches(CONSUMER_TYPE_FROM):
        body['consumer_type'] = found.consumer_type
    return body


def list_for_consumer(req):
    """GET /allocations/{consumer_uuid}: empty for an unknown consumer."""
    ctx = context.of(req.environ)
    ctx.can(policies.ALLOC_LIST)
    want = microversion.of(req.environ)
    consumer_uuid = _path_uuid(req, 'consumer_uuid')
    found = (alloc_obj.get_for_consumer(ctx, consumer_uuid)
             if consumer_uuid else None)
    return jsonio.response(
        _consumer_body(found, want),
        last_modified=found.last_modified if found else None,
        cache_headers=want.matches(CACHE_HEADERS_FROM))


def list_for_resource_provider(req):
    """GET /resource_providers/{uuid}/allocations."""
    ctx = context.of(req.environ)
    ctx.can(policies.RP_ALLOC_LIST)
    want = microversion.of(req.environ)
    # A path that holds no uuid names no provider: it is looked up as it
    # is, and not found.
    provider_uuid = _path_uuid(req, 'uuid') or req.urlvars['uuid']
    found = alloc_obj.get_for_provider(ctx, provider_uuid)
    allocations = found.allocations
    if not want.matches(CONSUMER_GENERATION_FROM):
        allocations = {consumer: {'resources': entry['resources']}
                       for consumer, entry in allocations.items()}
    body = {'allocations': allocations,
            'resource_provider_generation':
                found.resource_provider_generation}
    return jsonio.response(
        body, last_modified=found.last_modified,
        cache_headers=want.matches(CACHE_HEADERS_FROM))


def _provider_key(value):
    """The canonical form of a provider uuid in a body; the schema of 1.12
    on lets through any 36 hex digits and dashes, and what is no uuid
    stays as it is, to be refused as a provider that does not exist."""
    return common.path_uuid(value) or value


def _by_provider(allocations):
    """{provider uuid: {class: amount}} from either body shape: the list
    of 1.0 to 1.11 (a provider named twice: the last entry counts, as in
    OpenStack Placement) or the dict of 1.12 on."""
    if isinstance(allocations, list):
        return {_canonical(item['resource_provider']['uuid']):
                dict(item['resources']) for item in allocations}
    by_provider = {}
    for provider_uuid, entry in allocations.items():
        canonical = _provider_key(provider_uuid)
        if canonical in by_provider:
            raise exception.BadRequest(
                'Resource provider %s is named twice in the allocations.'
                % canonical)
        by_provider[canonical] = dict(entry['resources'])
    return by_provider


def _claim(consumer_uuid, data, want):
    return allocation_write.ConsumerClaim(
        uuid=consumer_uuid,
        allocations=_by_provider(data['allocations']),
        project_id=data.get('project_id'),
        user_id=data.get('user_id'),
        consumer_type=data.get('consumer_type'),
        check_generation=want.matches(CONSUMER_GENERATION_FROM),
        generation=data.get('consumer_generation'))


def set_allocations_for_consumer(req):
    """PUT /allocations/{consumer_uuid}: replace the consumer's
    allocations (from 1.28, with none to release them all)."""
    ctx = context.of(req.environ)
    ctx.can(policies.ALLOC_UPDATE)
    want = microversion.of(req.environ)
    consumer_uuid = _consumer_uuid(req.urlvars['consumer_uuid'])
    data = jsonio.extract(req, schema.for_version(schema.PUT_BY_VERSION,
                                                  want))
    allocation_write.replace_all(ctx, [_claim(consumer_uuid, data, want)])
    return jsonio.no_content()


def _consumer_uuid(value):
    """The canonical form of a consumer uuid to write allocations for;
    BadRequest if it is none."""
    consumer_uuid = common.path_uuid(value)
    if consumer_uuid is None:
        raise exception.BadRequest('Malformed consumer_uuid: %s' % value)
    return consumer_uuid


def claims_by_consumer(data, want):
    """ConsumerClaims from a body keyed by consumer uuid (POST
    /allocations, and the reshaper's allocations), in its order."""
    claims = {}
    for consumer_uuid, consumer_data in data.items():
        canonical = _consumer_uuid(consumer_uuid)
        if canonical in claims:
            raise exception.BadRequest(
                'Consumer %s is named twice in the request.' % canonical)
        claims[canonical] = _claim(canonical, consumer_data, want)
    return list(claims.values())


@microversion.since((1, 13))
def set_allocations(req):
    """POST /allocations: replace the allocations of several consumers
    at once; empty allocations release a consumer's."""
    ctx = context.of(req.environ)
    ctx.can(policies.ALLOC_MANAGE)
    want = microversion.of(req.environ)
    data = jsonio.extract(req, schema.for_version(schema.POST_BY_VERSION,
                                                  want))
    try:
        allocation_write.replace_all(ctx, claims_by_consumer(data, want))
    except allocation_write.UnknownResourceClass as exc:
        # POST words it without the consumer, as OpenStack Placement does.
        raise exception.BadRequest(
            'Unable to allocate inventory %s' % exc.reason)
    return jsonio.no_content()


def delete_allocations(req):
    """DELETE /allocations/{consumer_uuid}."""
    ctx = context.of(req.environ)
    ctx.can(policies.ALLOC_DELETE)
    consumer_uuid = _path_uuid(req, 'consumer_uuid')
    if consumer_uuid is None:
        raise exception.NotFound(
            "No allocations for consumer '%s'."
            % req.urlvars['consumer_uuid'])
    allocation_write.delete_for_consumer(ctx, consumer_uuid)
    return jsonio.no_content()
