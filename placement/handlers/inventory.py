"""/resource_providers/{uuid}/inventories and
/resource_providers/{uuid}/inventories/{resource_class}."""
from oslo_utils import timeutils

from placement import context
from placement import exception
from placement import jsonio
from placement import microversion
from placement.objects import inventory as inv_obj
from placement.policies import inventory as policies
from placement.schemas import inventory as schema

CACHE_HEADERS_FROM = (1, 15)
# From 1.26 an inventory may reserve all of its total.
ZERO_CAPACITY_FROM = (1, 26)


def _serialize(inventory):
    return {field: inventory[field] for field in inv_obj.FIELDS}


def _wants_cache_headers(req):
    return microversion.of(req.environ).matches(CACHE_HEADERS_FROM)


def _zero_allowed(req):
    return microversion.of(req.environ).matches(ZERO_CAPACITY_FROM)


def _inventories_response(req, generation, inventories, last_modified):
    response = jsonio.response(
        {'resource_provider_generation': generation,
         'inventories': {name: _serialize(inventory)
                         for name, inventory in inventories.items()}},
        last_modified=last_modified,
        cache_headers=_wants_cache_headers(req))
    if last_modified is None:
        # Nothing to date: OpenStack Placement sends no last-modified.
        response.last_modified = None
    return response


def _inventory_response(req, generation, inventory, status=200):
    """One inventory; its last-modified is its own time if it was read,
    the present if it was just written."""
    data = _serialize(inventory)
    data['resource_provider_generation'] = generation
    return jsonio.response(data, status=status,
                           last_modified=inventory.get('updated_at'),
                           cache_headers=_wants_cache_headers(req))


def _extract(req, ctx, body_schema):
    """The validated body; a request for a provider that does not exist
    gets its 404 before any complaint about the body (the provider is
    looked up only then)."""
    return jsonio.extract(req, body_schema, before_refusal=lambda: (
        inv_obj.ensure_provider(ctx, req.urlvars['uuid'])))


def _inventory_url(req, uuid, class_name):
    return '%s/resource_providers/%s/inventories/%s' % (
        req.script_name, uuid, class_name)


def get_inventories(req):
    ctx = context.of(req.environ)
    ctx.can(policies.LIST)
    generation, inventories = inv_obj.get_all(ctx, req.urlvars['uuid'])
    times = [inventory['updated_at'] for inventory in inventories.values()
             if inventory['updated_at'] is not None]
    return _inventories_response(req, generation, inventories,
                                 max(times) if times else None)


def create_inventory(req):
    ctx = context.of(req.environ)
    ctx.can(policies.CREATE)
    uuid = req.urlvars['uuid']
    data = _extract(req, ctx, schema.POST_INVENTORY)
    class_name = data['resource_class']
    inventory = inv_obj.with_defaults(data)
    generation = inv_obj.create(ctx, uuid, class_name, inventory,
                                zero_allowed=_zero_allowed(req))
    response = _inventory_response(req, generation, inventory, status=201)
    response.location = _inventory_url(req, uuid, class_name)
    return response


def set_inventories(req):
    ctx = context.of(req.environ)
    ctx.can(policies.UPDATE)
    data = _extract(req, ctx, schema.PUT_INVENTORIES)
    inventories = {name: inv_obj.with_defaults(given)
                   for name, given in data['inventories'].items()}
    generation = inv_obj.replace_all(
        ctx, req.urlvars['uuid'], data['resource_provider_generation'],
        inventories, zero_allowed=_zero_allowed(req))
    return _inventories_response(req, generation, inventories,
                                 timeutils.utcnow(with_timezone=True))


@microversion.since((1, 5), absent=exception.MethodNotAllowed)
def delete_inventories(req):
    ctx = context.of(req.environ)
    ctx.can(policies.DELETE)
    inv_obj.delete_all(ctx, req.urlvars['uuid'])
    return jsonio.no_content()


def get_inventory(req):
    ctx = context.of(req.environ)
    ctx.can(policies.SHOW)
    generation, inventory = inv_obj.get_one(
        ctx, req.urlvars['uuid'], req.urlvars['resource_class'])
    return _inventory_response(req, generation, inventory)


def update_inventory(req):
    ctx = context.of(req.environ)
    ctx.can(policies.UPDATE)
    data = _extract(req, ctx, schema.INVENTORY)
    inventory = inv_obj.with_defaults(data)
    generation = inv_obj.update(
        ctx, req.urlvars['uuid'], req.urlvars['resource_class'],
        data['resource_provider_generation'], inventory,
        zero_allowed=_zero_allowed(req))
    return _inventory_response(req, generation, inventory)


def delete_inventory(req):
    ctx = context.of(req.environ)
    ctx.can(policies.DELETE)
    inv_obj.delete_one(ctx, req.urlvars['uuid'],
                       req.urlvars['resource_class'])
    return jsonio.no_content()
