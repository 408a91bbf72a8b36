"""/resource_providers/{uuid}/usages and /usages."""
from oslo_utils import timeutils

from placement import context
from placement import exception
from placement import jsonio
from placement import microversion
from placement.objects import usage as usage_obj
from placement.policies import usage as policies
from placement import queryparams
from placement.schemas import usage as schema

CACHE_HEADERS_FROM = (1, 15)
CONSUMER_TYPES_FROM = (1, 38)


def _response(req, data):
    # Usages are a sum as of now; there is no one time they last changed.
    return jsonio.response(
        data, last_modified=timeutils.utcnow(with_timezone=True),
        cache_headers=microversion.of(req.environ).matches(
            CACHE_HEADERS_FROM))


def list_usages(req):
    ctx = context.of(req.environ)
    ctx.can(policies.PROVIDER_USAGES)
    generation, usages = usage_obj.provider_usages(ctx, req.urlvars['uuid'])
    return _response(req, {'resource_provider_generation': generation,
                           'usages': usages})


def _query(req, by_type):
    query_schema = schema.GET_USAGES_1_38 if by_type else schema.GET_USAGES
    try:
        return queryparams.extract(req, query_schema)
    except exception.BadRequest as exc:
        # OpenStack Placement gives these the generic error code.
        raise exception.BadRequest(exc.detail)


def _project_asked_for(req):
    try:
        return req.GET.get('project_id')
    except UnicodeDecodeError:
        # Not UTF-8: no project, and _query refuses the query string.
        return None


@microversion.since((1, 9))
def get_total_usages(req):
    ctx = context.of(req.environ)
    # Policy first, as OpenStack Placement does: a project reader may see
    # only their own project.
    ctx.can(policies.TOTAL_USAGES,
            target={'project_id': _project_asked_for(req)})
    by_type = microversion.of(req.environ).matches(CONSUMER_TYPES_FROM)
    query = _query(req, by_type)
    if by_type:
        usages = usage_obj.usages_by_consumer_type(
            ctx, query['project_id'], user_id=query.get('user_id'),
            consumer_type=query.get('consumer_type'))
    else:
        usages = usage_obj.total_usages(ctx, query['project_id'],
                                        user_id=query.get('user_id'))
    return _response(req, {'usages': usages})
