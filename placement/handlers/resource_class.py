"""/resource_classes: list, show, create, rename (1.2 to 1.6) or ensure
(1.7 on), and delete resource classes. The routes exist from microversion
1.2; before it they are 404."""
from placement import context
from placement import jsonio
from placement import microversion
from placement.objects import resource_class as rc_obj
from placement.policies import resource_class as policies
from placement.schemas import resource_class as schema

ROUTES_FROM = (1, 2)
PUT_CREATES_FROM = (1, 7)
CACHE_HEADERS_FROM = (1, 15)


def _url(req, name):
    return '%s/resource_classes/%s' % (req.script_name, name)


def _representation(req, name):
    return {'name': name, 'links': [{'rel': 'self', 'href': _url(req, name)}]}


def _wants_cache_headers(req):
    return microversion.of(req.environ).matches(CACHE_HEADERS_FROM)


def _located(req, status, name):
    """A bodiless response pointing at the class ``name``."""
    resp = jsonio.no_content()
    resp.status = status
    resp.location = _url(req, name)
    return resp


def _latest_change(classes):
    return max((rc['updated_at'] for rc in classes if rc['updated_at']),
               default=None)


@microversion.since(ROUTES_FROM)
def list_resource_classes(req):
    ctx = context.of(req.environ)
    ctx.can(policies.LIST)
    classes = rc_obj.get_all(ctx)
    body = {'resource_classes': [_representation(req, rc['name'])
                                 for rc in classes]}
    return jsonio.response(body, last_modified=_latest_change(classes),
                           cache_headers=_wants_cache_headers(req))


@microversion.since(ROUTES_FROM)
def get_resource_class(req):
    ctx = context.of(req.environ)
    ctx.can(policies.SHOW)
    rc = rc_obj.get_by_name(ctx, req.urlvars['name'])
    return jsonio.response(_representation(req, rc['name']),
                           last_modified=rc['updated_at'],
                           cache_headers=_wants_cache_headers(req))


@microversion.since(ROUTES_FROM)
def create_resource_class(req):
    ctx = context.of(req.environ)
    ctx.can(policies.CREATE)
    name = jsonio.extract(req, schema.CREATE)['name']
    rc_obj.create(ctx, name)
    return _located(req, 201, name)


def _ensure(req, ctx, name):
    # The name in the path is checked as the body of a POST is, with the
    # same words.
    jsonio.validate({'name': name}, schema.CREATE)
    created = rc_obj.ensure(ctx, name)
    return _located(req, 201 if created else 204, name)


def _rename(req, ctx, name):
    new_name = jsonio.extract(req, schema.RENAME_V1_2)['name']
    renamed = rc_obj.rename(ctx, name, new_name)
    return jsonio.response(_representation(req, renamed['name']))


@microversion.since(ROUTES_FROM)
def update_resource_class(req):
    """Before 1.7 the PUT renames a custom class; from 1.7 it has no body
    and makes sure the custom class named in the path exists."""
    ctx = context.of(req.environ)
    ctx.can(policies.UPDATE)
    name = req.urlvars['name']
    if microversion.of(req.environ).matches(PUT_CREATES_FROM):
        return _ensure(req, ctx, name)
    return _rename(req, ctx, name)


@microversion.since(ROUTES_FROM)
def delete_resource_class(req):
    ctx = context.of(req.environ)
    ctx.can(policies.DELETE)
    rc_obj.delete(ctx, req.urlvars['name'])
    return jsonio.no_content()
