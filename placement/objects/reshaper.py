"""The reshaper: move inventories and the allocations that use them
between providers in one atomic step, as when a compute node's VGPU
inventory moves from the root provider to new child providers.

Everything happens in one writer transaction, in three passes over the
same rows:

1. each provider named takes its new inventories while keeping any class
   it is about to lose, so that the allocations still standing on that
   class stay valid and the classes the allocations move to exist;
2. the consumers named get their new allocations (placement.objects.
   allocation_write, with its capacity checks and generations);
3. each provider drops the classes its new inventories leave out, which
   no allocation may use any longer.

Each pass moves the generation of the providers it writes, so a
provider whose inventories are replaced ends two generations on (three
if it is also claimed on; one if it is given no inventory at all), as
in OpenStack Placement. A failure at any
point rolls the whole transaction back.

Checks come in OpenStack Placement's order: each provider named in
``inventories`` exists (400) and is at the generation given (409), in
the request's order; then each consumer's generation and the providers
the allocations name; then every resource class; then capacities.
Unlike OpenStack Placement, each new inventory must also have a
capacity, as a PUT of inventories must (README, "Differences").
"""
import dataclasses

from placement.db import api as db_api
from placement import errors
from placement import exception
from placement.objects import allocation_write
from placement.objects import inventory as inventory_obj
from placement.objects import resource_class
from placement.objects import resource_provider

# Inventories are always written at a microversion where a capacity of
# zero is allowed (1.26 on).
_ZERO_CAPACITY_ALLOWED = True


@dataclasses.dataclass
class ProviderInventories:
    """What one provider is to offer once the reshape is done."""
    uuid: str
    # The generation the client last saw.
    generation: int
    # {resource class name: inventory} (placement.objects.inventory).
    inventories: dict


def _malformed(detail):
    return exception.BadRequest('malformed reshaper data: %s' % detail)


def _provider_generation_conflict(row, seen_generation):
    return exception.ConcurrentUpdate(
        'resource provider generation conflict for provider %s: actual: '
        '%d, given: %s' % (row.uuid, row.generation, seen_generation))


def _consumer_generation_conflict(expected, claim):
    return exception.ConcurrentUpdate(
        'consumer generation conflict - expected %s but got %s'
        % (expected, claim.generation))


def _check_providers(conn, changes):
    """Lock the providers named, in uuid order so that concurrent
    reshapes lock them alike; refuse, in the request's order, one that
    does not exist or has moved on."""
    rows = {}
    for change in sorted(changes, key=lambda change: change.uuid):
        try:
            rows[change.uuid] = resource_provider.get_row(
                conn, change.uuid, for_update=True)
        except exception.ResourceProviderNotFound as exc:
            rows[change.uuid] = exc
    for change in changes:
        row = rows[change.uuid]
        if isinstance(row, exception.ResourceProviderNotFound):
            raise exception.BadRequest(
                'Resource provider %s in inventories not found: %s'
                % (change.uuid, row.detail),
                code=errors.RESOURCE_PROVIDER_NOT_FOUND)
        if row.generation != change.generation:
            raise _provider_generation_conflict(row, change.generation)
        inventory_obj.check_capacities(change.uuid, change.inventories,
                                       _ZERO_CAPACITY_ALLOWED)


def _check_classes(ctx, conn, changes, replacement):
    names = [name for change in changes for name in change.inventories]
    names += replacement.class_names()
    try:
        resource_class.ids_of(ctx, conn, list(dict.fromkeys(names)))
    except exception.ResourceClassNotFound as exc:
        raise _malformed(exc.detail)


def _set_inventories(ctx, conn, change, keep_old):
    """Write the provider's new inventories; with ``keep_old``, the
    classes it had and is not given stay as they are."""
    provider = resource_provider.get_row(conn, change.uuid, for_update=True)
    inventories = dict(change.inventories)
    if keep_old:
        _generation, old = inventory_obj.get_all.within(
            ctx, conn, change.uuid)
        for name, inventory in old.items():
            inventories.setdefault(name, inventory)
    inventory_obj.replace_rows(ctx, conn, provider, inventories,
                               inventory_obj.REPLACING)


@db_api.writer(gave_up=allocation_write.GAVE_UP)
def reshape(ctx, conn, changes, claims):
    """Give each provider of ``changes`` (ProviderInventories, in the
    request's order) its inventories and each consumer of ``claims``
    (allocation_write.ConsumerClaim) its allocations, all or nothing."""
    _check_providers(conn, changes)
    replacement = allocation_write.Replacement(
        ctx, conn, claims,
        generation_conflict=_consumer_generation_conflict)
    replacement.check_named()
    _check_classes(ctx, conn, changes, replacement)
    for change in changes:
        # Nothing to add: OpenStack Placement then leaves the provider
        # as it is until the last pass.
        if change.inventories:
            _set_inventories(ctx, conn, change, keep_old=True)
    # Every class was looked up (and share-locked) above.
    replacement.write()
    for change in changes:
        _set_inventories(ctx, conn, change, keep_old=False)
