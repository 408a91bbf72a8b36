"""POST /reshaper (1.30): replace several providers' inventories and
several consumers' allocations in one step."""
from placement import context
from placement import jsonio
from placement import microversion
from placement.handlers import allocation
from placement.objects import inventory as inventory_obj
from placement.objects import reshaper as reshaper_obj
from placement.policies import reshaper as policies
from placement.schemas import allocation as allocation_schema
from placement.schemas import reshaper as schema


def _provider_inventories(uuid, data):
    return reshaper_obj.ProviderInventories(
        uuid=uuid, generation=data['resource_provider_generation'],
        inventories={name: inventory_obj.with_defaults(given)
                     for name, given in data['inventories'].items()})


@microversion.since((1, 30))
def reshape(req):
    ctx = context.of(req.environ)
    ctx.can(policies.RESHAPE)
    want = microversion.of(req.environ)
    data = jsonio.extract(req, allocation_schema.for_version(
        schema.POST_BY_VERSION, want))
    # Provider keys are looked up as they are written: one that is not a
    # provider's uuid exactly is not found.
    changes = [_provider_inventories(uuid, entry)
               for uuid, entry in data['inventories'].items()]
    claims = allocation.claims_by_consumer(data['allocations'], want)
    reshaper_obj.reshape(ctx, changes, claims)
    return jsonio.no_content()
