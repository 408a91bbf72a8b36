"""Writing allocations: claims, moves and releases, all or nothing.

One write is one transaction that reads the consumers it names, their
current allocations, and the inventory and usage of every provider it
claims on; checks that the result fits; and then moves on the generation
of every provider it claims on (or releases everything from), compare-and-
swap, before it touches an allocation row. The generations are what make
it safe under concurrency: usage read inside the transaction may already
be stale (on MariaDB a REPEATABLE READ transaction sees the snapshot of
its first read), but any writer that committed a claim on the same
provider after that read also moved the provider's generation, so the
compare-and-swap matches no row. Such a lost race is started again in a
fresh transaction, which reads usage anew, under the retry policy of
placement.db.api (``[placement] allocation_conflict_retry_count`` times
at most) before the client gets a 409.

Releasing alone never moves a provider's generation: it only lowers
usage, and a concurrent claim that still counted the released units was
merely cautious. A consumer's own generation guards its allocations in
the same way against concurrent writers of that consumer.

A write is checked in the order OpenStack Placement checks it, each step
over every consumer in the order the request names them: consumer
generations, then providers that do not exist, then resource classes that
do not exist, then whether each allocation fits. Refusals use its words.
"""
import collections
import dataclasses

from oslo_log import log as logging
from oslo_utils import timeutils
import sqlalchemy as sa

from placement.db import api as db_api
from placement.db import tables
from placement import exception
from placement.objects import capacity
from placement.objects import consumer as consumer_obj
from placement.objects import inventory_usage
from placement.objects import resource_class
from placement.objects import resource_provider

LOG = logging.getLogger(__name__)

_alloc = tables.allocations
_inv = tables.inventories
_rp = tables.resource_providers


@dataclasses.dataclass
class ConsumerClaim:
    """What one consumer is to hold once the write is done."""
    uuid: str
    # {provider uuid: {resource class name: amount}}; empty releases all.
    allocations: dict
    # None when written before microversion 1.8: a new consumer gets the
    # configured incomplete-consumer project and user, an existing one
    # keeps its own.
    project_id: str | None = None
    user_id: str | None = None
    # None before 1.38: a new consumer has no type, an existing one keeps
    # its type.
    consumer_type: str | None = None
    # From 1.28 the writer names the consumer generation it saw (None for
    # a consumer it believes new), and a mismatch is refused.
    check_generation: bool = False
    generation: int | None = None


class UnknownResourceClass(exception.BadRequest):
    """A claim names a resource class that does not exist. The detail is
    the one PUT /allocations/{consumer} gives; ``reason`` says only which
    class, for callers that word it otherwise."""

    def __init__(self, consumer_uuid, reason):
        super().__init__('Unable to allocate inventory for consumer %s: %s'
                         % (consumer_uuid, reason))
        self.reason = reason


# OpenStack Placement's words when allocation writes keep conflicting.
GAVE_UP = ('Inventory and/or allocations changed while attempting to '
           'allocate: ' + db_api.GAVE_UP)


@db_api.writer(gave_up=GAVE_UP)
def replace_all(ctx, conn, claims):
    """Give each consumer in ``claims`` (in the order the request names
    them) exactly its claimed allocations, atomically.

    Raises ConcurrentUpdate for a consumer generation that does not match
    or when the write keeps losing races; BadRequest for an unknown
    provider, UnknownResourceClass for an unknown resource class;
    Conflict when a claim does not fit. A concurrent writer that creates
    the same consumer, project, user or consumer type first makes an
    insert here a duplicate, and the retry finds its row.
    """
    Replacement(ctx, conn, claims).write()


@db_api.writer(gave_up=GAVE_UP)
def delete_for_consumer(ctx, conn, consumer_uuid):
    """Release everything the consumer holds and forget the consumer;
    NotFound if it holds nothing."""
    # The consumer first, compare-and-swap: a concurrent replacement of
    # its allocations makes this fail rather than leave that writer's
    # allocations behind without their consumer.
    found = consumer_obj.get_by_uuids(conn, [consumer_uuid])
    if consumer_uuid in found:
        try:
            consumer_obj.delete(conn, found[consumer_uuid])
        except consumer_obj.GenerationMoved:
            raise db_api.LostRace('consumer %s changed' % consumer_uuid)
    result = conn.execute(
        _alloc.delete().where(_alloc.c.consumer_id == consumer_uuid))
    if result.rowcount == 0:
        raise exception.NotFound(
            "No allocations for consumer '%s'." % consumer_uuid)


def _invalid_inventory(class_names, provider_uuids):
    return exception.Conflict(
        "Unable to allocate inventory: Inventory for '%s' on resource "
        "provider '%s' invalid." % (', '.join(class_names),
                                    ', '.join(provider_uuids)))


def _cannot_allocate(class_name, provider_uuid, why):
    return exception.Conflict(
        "Unable to allocate inventory: Unable to create allocation for "
        "'%s' on resource provider '%s'. The requested amount would %s."
        % (class_name, provider_uuid, why))


def check_claims(requested, inventories, used, released, class_names=None):
    """Refuse, with Conflict, claims that do not fit.

    ``requested``: [(provider uuid, class, amount)], one entry per
    allocation of each consumer, in the request's order (the first that
    does not fit is named); ``inventories``: {(provider uuid, class):
    inventory mapping} of the providers and classes requested; ``used``:
    {(provider uuid, class): units allocated now}; ``released``:
    {(provider uuid, class): units of those that this write releases};
    ``class_names``: the classes requested, in the order a refusal that
    names them all lists them (sorted if not given).

    A provider with no inventory of any class requested is refused first,
    naming every class requested. Then every amount must respect the
    inventory's min_unit, max_unit and step_size, and usage after the
    write must stay within capacity, or at least not grow beyond what it
    was (an inventory shrunk under existing allocations still lets them
    shrink or move).
    """
    with_inventory = {provider for provider, _class in inventories}
    without = [provider for provider in dict.fromkeys(
        provider for provider, _class, _amount in requested)
        if provider not in with_inventory]
    if without:
        if class_names is None:
            class_names = sorted({name for _p, name, _a in requested})
        raise _invalid_inventory(class_names, without)
    claimed = collections.Counter()
    for provider_uuid, class_name, amount in requested:
        key = (provider_uuid, class_name)
        inventory = inventories.get(key)
        if inventory is None:
            raise _invalid_inventory([class_name], [provider_uuid])
        if not capacity.meets_unit_constraints(amount, inventory):
            raise _cannot_allocate(class_name, provider_uuid,
                                   'violate inventory constraints')
        # What the request claims of the inventory so far: whether the
        # whole claim fits is decided at its last allocation, and the
        # first allocation past the capacity is the one named.
        claimed[key] += amount
        now = used.get(key, 0)
        others = now - released.get(key, 0)
        if (not capacity.within_capacity(claimed[key], others, inventory)
                and others + claimed[key] > now):
            raise _cannot_allocate(class_name, provider_uuid,
                                   'exceed the capacity')


# Statements that every write runs, built once.
_PROVIDERS_BY_UUID = sa.select(_rp.c.id, _rp.c.uuid, _rp.c.generation).where(
    _rp.c.uuid.in_(sa.bindparam('uuids', expanding=True)))

_HELD_ALLOCATIONS = (
    sa.select(_alloc.c.id, _alloc.c.consumer_id,
              _alloc.c.resource_provider_id, _alloc.c.resource_class_id,
              _alloc.c.used, _rp.c.uuid.label('provider_uuid'),
              _rp.c.generation.label('provider_generation'))
    .select_from(_alloc.join(_rp, _rp.c.id == _alloc.c.resource_provider_id))
    .where(_alloc.c.consumer_id.in_(
        sa.bindparam('consumers', expanding=True))))

_DELETE_ALLOCATIONS = _alloc.delete().where(
    _alloc.c.id.in_(sa.bindparam('ids', expanding=True)))


class Replacement:
    """One attempt at a replace_all, inside the caller's transaction.

    ``generation_conflict(expected, claim)`` words the refusal of a stale
    consumer generation (the reshaper's words name no consumer).
    """

    def __init__(self, ctx, conn, claims, generation_conflict=None):
        self.ctx = ctx
        self.conn = conn
        self.generation_conflict = (generation_conflict
                                    or consumer_generation_conflict)
        # Checked in the request's order, so that a refusal names what
        # the request names first; written in uuid order, so that
        # concurrent writers change consumers in the same order.
        self.in_request_order = list(claims)
        self.claims = sorted(claims, key=lambda claim: claim.uuid)

    def check_named(self):
        """The first checks of a write, in OpenStack Placement's order:
        consumer generations, then providers that do not exist. Returns
        ({uuid: consumer}, {uuid: provider row})."""
        consumers = consumer_obj.get_by_uuids(
            self.conn, [claim.uuid for claim in self.claims])
        self._check_consumer_generations(consumers)
        return consumers, self._claimed_providers()

    def class_names(self):
        """The classes claimed, in the request's order."""
        return list(dict.fromkeys(
            name for claim in self.in_request_order
            for resources in claim.allocations.values()
            for name in resources))

    def write(self):
        consumers, providers = self.check_named()
        class_ids = self._class_ids()
        held = self._held_allocations()
        wanted = [
            (claim.uuid, providers[provider_uuid].id, class_ids[name],
             amount)
            for claim in self.claims
            for provider_uuid, resources in claim.allocations.items()
            for name, amount in resources.items()]
        self._check_fit(providers, class_ids, held)
        self._bump_providers(providers, held)
        self._save_consumers(consumers, held)
        if held:
            self.conn.execute(_DELETE_ALLOCATIONS,
                              {'ids': [row.id for row in held]})
        if wanted:
            now = timeutils.utcnow()
            self.conn.execute(_alloc.insert(), [
                {'consumer_id': consumer_uuid,
                 'resource_provider_id': provider_id,
                 'resource_class_id': class_id, 'used': amount,
                 'created_at': now}
                for consumer_uuid, provider_id, class_id, amount
                in wanted])

    def _check_consumer_generations(self, consumers):
        for claim in self.in_request_order:
            if not claim.check_generation:
                continue
            existing = consumers.get(claim.uuid)
            # "expected" is the server's generation, "got" the request's,
            # in OpenStack Placement's words: null for a consumer it does
            # not have, the request's None as Python writes it.
            if existing is None:
                if claim.generation is not None:
                    raise self.generation_conflict('null', claim)
            elif claim.generation != existing.generation:
                raise self.generation_conflict(existing.generation, claim)

    def _claimed_providers(self):
        """{uuid: row} of the providers claimed on; BadRequest naming the
        first that does not exist."""
        uuids = list(dict.fromkeys(
            uuid for claim in self.in_request_order
            for uuid in claim.allocations))
        if not uuids:
            return {}
        rows = self.conn.execute(_PROVIDERS_BY_UUID,
                                 {'uuids': sorted(uuids)})
        found = {row.uuid: row for row in rows}
        for uuid in uuids:
            if uuid not in found:
                raise exception.BadRequest(
                    "Allocation for resource provider '%s' that does not "
                    "exist." % uuid)
        return found

    def _class_ids(self):
        """{name: id} of the classes claimed; UnknownResourceClass for
        the first that does not exist."""
        try:
            return resource_class.ids_of(self.ctx, self.conn,
                                         self.class_names())
        except exception.ResourceClassNotFound:
            # Which consumer names it: a look-up per claim, only when the
            # write is refused anyway.
            for claim in self.in_request_order:
                try:
                    resource_class.ids_of(self.ctx, self.conn, [
                        name for resources in claim.allocations.values()
                        for name in resources])
                except exception.ResourceClassNotFound as exc:
                    raise UnknownResourceClass(claim.uuid, exc.detail)
            raise

    def _held_allocations(self):
        """The allocations the claimed consumers hold now, with their
        providers' uuids and generations."""
        return self.conn.execute(_HELD_ALLOCATIONS, {
            'consumers': [claim.uuid for claim in self.claims]}).all()

    def _inventories_and_usage(self, provider_ids, class_ids):
        return inventory_usage.inventories_with_usage(
            self.conn, provider_ids, class_ids)

    def _check_fit(self, providers, class_ids, held):
        requested = [
            (provider_uuid, name, amount)
            for claim in self.in_request_order
            for provider_uuid, resources in claim.allocations.items()
            for name, amount in resources.items()]
        if not requested:
            return
        uuid_of = {row.id: uuid for uuid, row in providers.items()}
        name_of = {id_: name for name, id_ in class_ids.items()}

        def key(provider_id, class_id):
            return uuid_of[provider_id], name_of[class_id]

        inventories, used = {}, {}
        found = self._inventories_and_usage(sorted(uuid_of), sorted(name_of))
        for (provider_id, class_id), inventory in found.items():
            inventories[key(provider_id, class_id)] = inventory
            used[key(provider_id, class_id)] = inventory['used']
        released = collections.Counter()
        for row in held:
            if (row.resource_provider_id in uuid_of
                    and row.resource_class_id in name_of):
                released[key(row.resource_provider_id,
                             row.resource_class_id)] += row.used
        # A refusal that names every class lists them as OpenStack
        # Placement does: in the order a Python set of their ids, filled
        # in the request's order, gives them.
        class_names = [name_of[class_id] for class_id in set(
            class_ids[name] for name in self.class_names())]
        check_claims(requested, inventories, used, released, class_names)

    def _bump_providers(self, providers, held):
        """Move on the generation of every provider claimed on, and of
        every provider a consumer releases everything from, in id order
        so that concurrent writers lock them in the same order."""
        seen = {row.id: row.generation for row in providers.values()}
        emptied = {claim.uuid for claim in self.claims
                   if not claim.allocations}
        for row in held:
            if row.consumer_id in emptied:
                seen.setdefault(row.resource_provider_id,
                                row.provider_generation)
        for provider_id in sorted(seen):
            resource_provider.bump_generation(
                self.conn, provider_id, seen[provider_id])

    def _owner(self, claim, existing):
        if claim.project_id is not None:
            return claim.project_id, claim.user_id
        if existing is not None:
            return existing.project_external_id, existing.user_external_id
        incomplete = self.ctx.config.placement
        return (incomplete.incomplete_consumer_project_id,
                incomplete.incomplete_consumer_user_id)

    def _save_consumers(self, consumers, held):
        """Create, change or remove each claimed consumer: those that held
        allocations and are left with none are removed.

        As in OpenStack Placement, a consumer it does not know that is
        given no allocations is created, at generation 0, which the next
        write that checks generations must name; and one that has none
        and is given none stays as it is.
        """
        holding = {row.consumer_id for row in held}
        keeping = [claim for claim in self.claims
                   if claim.allocations or claim.uuid not in consumers]
        owners = {claim.uuid: self._owner(claim, consumers.get(claim.uuid))
                  for claim in keeping}
        project_ids = consumer_obj.ensure_projects(
            self.conn, [project for project, _user in owners.values()])
        user_ids = consumer_obj.ensure_users(
            self.conn, [user for _project, user in owners.values()])
        type_ids = consumer_obj.ensure_consumer_types(
            self.conn, [claim.consumer_type for claim in keeping
                        if claim.consumer_type is not None])
        try:
            for claim in self.claims:
                existing = consumers.get(claim.uuid)
                if not claim.allocations and existing is not None:
                    if claim.uuid in holding:
                        consumer_obj.delete(self.conn, existing)
                    continue
                project, user = owners[claim.uuid]
                type_id = (type_ids[claim.consumer_type]
                           if claim.consumer_type is not None
                           else getattr(existing, 'consumer_type_id', None))
                if existing is None:
                    consumer_obj.create(
                        self.conn, claim.uuid, project_ids[project],
                        user_ids[user], type_id,
                        generation=1 if claim.allocations else 0)
                else:
                    consumer_obj.update(self.conn, existing,
                                        project_ids[project],
                                        user_ids[user], type_id)
        except consumer_obj.GenerationMoved as moved:
            raise db_api.LostRace('consumer %s changed' % moved)


def consumer_generation_conflict(expected, claim):
    return exception.ConcurrentUpdate(
        'consumer generation conflict - expected %s but got %s (consumer '
        '%s)' % (expected, claim.generation, claim.uuid))
