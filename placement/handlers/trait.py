"""/traits: list (with filters), check, create and delete traits. The
routes exist from microversion 1.6; before it they are 404."""
from oslo_utils import timeutils

from placement import context
from placement import exception
from placement import jsonio
from placement import microversion
from placement.objects import trait as trait_obj
from placement.policies import trait as policies
from placement import queryparams
from placement.schemas import trait as schema

ROUTES_FROM = (1, 6)
CACHE_HEADERS_FROM = (1, 15)


def _wants_cache_headers(req):
    return microversion.of(req.environ).matches(CACHE_HEADERS_FROM)


def _bodiless(req, status, last_modified, location=None):
    """A response without a body; from 1.15 with the cache headers."""
    resp = jsonio.no_content()
    resp.status = status
    if location is not None:
        resp.location = location
    if _wants_cache_headers(req):
        resp.cache_control = 'no-cache'
        # A row written without timestamps (by another tool) dates from
        # no known time: say now, as the JSON responses do.
        resp.last_modified = last_modified or timeutils.utcnow(
            with_timezone=True)
    return resp


def name_filter(value):
    """The get_all_records arguments that ``name=in:A,B`` or
    ``name=startswith:PREFIX`` asks for. An unknown operator is refused,
    where OpenStack Placement ignores the filter."""
    operator, colon, operand = value.partition(':')
    if colon and operator == 'in':
        return {'name_in': operand.split(',')}
    if colon and operator == 'startswith':
        return {'name_prefix': operand}
    raise exception.BadRequest(
        'Badly formatted name parameter. Expected name query string '
        'parameter in form: ?name=[in|startswith]:[name1,name2|prefix]. '
        'Got: "%s"' % value)


def associated_filter(value):
    """``associated=true|false`` (in any case) as a boolean."""
    lowered = value.lower()
    if lowered not in ('true', 'false'):
        raise exception.BadRequest(
            'The query parameter "associated" only accepts "true" or '
            '"false"')
    return lowered == 'true'


def _filters(req):
    params = queryparams.extract(req, schema.LIST_QUERY)
    filters = {}
    if 'name' in params:
        filters.update(name_filter(params['name']))
    if 'associated' in params:
        filters['associated'] = associated_filter(params['associated'])
    return filters


@microversion.since(ROUTES_FROM)
def list_traits(req):
    ctx = context.of(req.environ)
    ctx.can(policies.TRAITS_LIST)
    records = trait_obj.get_all_records(ctx, **_filters(req))
    latest = max((record['updated_at'] for record in records
                  if record['updated_at']), default=None)
    return jsonio.response(
        {'traits': [record['name'] for record in records]},
        last_modified=latest, cache_headers=_wants_cache_headers(req))


@microversion.since(ROUTES_FROM)
def get_trait(req):
    """204 if the trait exists, 404 if not."""
    ctx = context.of(req.environ)
    ctx.can(policies.TRAITS_SHOW)
    record = trait_obj.get_by_name(ctx, req.urlvars['name'])
    return _bodiless(req, 204, record['updated_at'])


@microversion.since(ROUTES_FROM)
def put_trait(req):
    """Make sure the custom trait exists: 201 if this created it, 204 if
    it was there already."""
    ctx = context.of(req.environ)
    ctx.can(policies.TRAITS_UPDATE)
    name = req.urlvars['name']
    if not schema.is_custom_name(name):
        raise exception.BadRequest(
            'The trait is invalid. A valid trait must be no longer than '
            '255 characters, start with the prefix "CUSTOM_" and use '
            'following characters: "A"-"Z", "0"-"9" and "_"')
    created, updated_at = trait_obj.ensure(ctx, name)
    return _bodiless(req, 201 if created else 204, updated_at,
                     location='%s/traits/%s' % (req.script_name, name))


@microversion.since(ROUTES_FROM)
def delete_trait(req):
    ctx = context.of(req.environ)
    ctx.can(policies.TRAITS_DELETE)
    trait_obj.delete(ctx, req.urlvars['name'])
    return jsonio.no_content()
