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


@db_api.writer
def replace_all(ctx, conn, claims):
    """Give each consumer in ``claims`` exactly its claimed allocations,
    atomically.

    Raises ConcurrentUpdate for a consumer generation that does not match
    or when the write keeps losing races; BadRequest for an unknown
    provider or resource class; Conflict when a claim does not fit. A
    concurrent writer that creates the same consumer, project, user or
    consumer type first makes an insert here a duplicate, and the retry
    finds its row.
    """
    _Replacement(ctx, conn, claims).write()


@db_api.writer
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


def check_claims(requested, inventories, used, released):
    """Refuse, with Conflict, claims that do not fit.

    ``requested``: {(provider uuid, class): [amounts]}, one amount per
    consumer claiming it; ``inventories``: {(provider uuid, class):
    inventory mapping}; ``used``: {(provider uuid, class): units allocated
    now}; ``released``: {(provider uuid, class): units of those that this
    write releases}.

    Every amount must respect the inventory's min_unit, max_unit and
    step_size, and usage after the write must stay within capacity, or at
    least not grow beyond what it was (an inventory shrunk under existing
    allocations still lets them shrink or move).
    """
    for key in sorted(requested):
        provider_uuid, class_name = key
        inventory = inventories.get(key)
        if inventory is None:
            raise exception.Conflict(
                'Resource provider %s has no inventory of %s to allocate '
                'from.' % (provider_uuid, class_name))
        for amount in requested[key]:
            if not capacity.meets_unit_constraints(amount, inventory):
                raise exception.Conflict(
                    'Allocating %d %s on resource provider %s violates '
                    'the inventory constraints: min_unit %d, max_unit %d, '
                    'step_size %d.' % (
                        amount, class_name, provider_uuid,
                        inventory['min_unit'], inventory['max_unit'],
                        inventory['step_size']))
        now = used.get(key, 0)
        others = now - released.get(key, 0)
        wanted = sum(requested[key])
        if (not capacity.within_capacity(wanted, others, inventory)
                and others + wanted > now):
            limit = capacity.capacity_of(inventory)
            raise exception.Conflict(
                'Allocating %d %s on resource provider %s would exceed '
                'its capacity: %d of %d are used by other consumers.'
                % (wanted, class_name, provider_uuid, others, limit))


class _Replacement:
    """One attempt at a replace_all, inside one transaction."""

    def __init__(self, ctx, conn, claims):
        self.ctx = ctx
        self.conn = conn
        self.claims = sorted(claims, key=lambda claim: claim.uuid)

    def write(self):
        consumers = consumer_obj.get_by_uuids(
            self.conn, [claim.uuid for claim in self.claims])
        self._check_consumer_generations(consumers)
        providers = self._claimed_providers()
        class_ids = self._class_ids()
        held = self._held_allocations()
        wanted = [
            (claim.uuid, providers[provider_uuid].id, class_ids[name],
             amount)
            for claim in self.claims
            for provider_uuid, resources in claim.allocations.items()
            for name, amount in resources.items()]
        self._check_fit(wanted, providers, class_ids, held)
        self._bump_providers(providers, held)
        self._save_consumers(consumers)
        if held:
            self.conn.execute(_alloc.delete().where(
                _alloc.c.id.in_([row.id for row in held])))
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
        for claim in self.claims:
            if not claim.check_generation:
                continue
            existing = consumers.get(claim.uuid)
            current = None if existing is None else existing.generation
            if claim.generation != current:
                # "expected" is the server's generation, "got" the
                # request's, the way clients of OpenStack Placement read
                # it.
                raise exception.ConcurrentUpdate(
                    'consumer generation conflict for consumer %s: '
                    'expected %s but got %s.'
                    % (claim.uuid, _shown(current),
                       _shown(claim.generation)))

    def _claimed_providers(self):
        """{uuid: row} of the providers claimed on; BadRequest naming one
        that does not exist."""
        uuids = sorted({uuid for claim in self.claims
                        for uuid in claim.allocations})
        if not uuids:
            return {}
        rows = self.conn.execute(
            sa.select(_rp.c.id, _rp.c.uuid, _rp.c.generation)
            .where(_rp.c.uuid.in_(uuids)))
        found = {row.uuid: row for row in rows}
        for uuid in uuids:
            if uuid not in found:
                raise exception.BadRequest(
                    'Resource provider %s, named in the allocations, does '
                    'not exist.' % uuid)
        return found

    def _class_ids(self):
        names = sorted({name for claim in self.claims
                        for resources in claim.allocations.values()
                        for name in resources})
        try:
            return resource_class.ids_of(self.ctx, self.conn, names)
        except exception.ResourceClassNotFound as exc:
            raise exception.BadRequest(
                'Unable to allocate: %s' % exc.detail)

    def _held_allocations(self):
        """The allocations the claimed consumers hold now, with their
        providers' uuids and generations."""
        return self.conn.execute(
            sa.select(_alloc.c.id, _alloc.c.consumer_id,
                      _alloc.c.resource_provider_id,
                      _alloc.c.resource_class_id, _alloc.c.used,
                      _rp.c.uuid.label('provider_uuid'),
                      _rp.c.generation.label('provider_generation'))
            .select_from(_alloc.join(
                _rp, _rp.c.id == _alloc.c.resource_provider_id))
            .where(_alloc.c.consumer_id.in_(
                [claim.uuid for claim in self.claims]))).all()

    def _inventories_and_usage(self, provider_ids, class_ids):
        return inventory_usage.inventories_with_usage(
            self.conn, provider_ids, class_ids)

    def _check_fit(self, wanted, providers, class_ids, held):
        if not wanted:
            return
        uuid_of = {row.id: uuid for uuid, row in providers.items()}
        name_of = {id_: name for name, id_ in class_ids.items()}

        def key(provider_id, class_id):
            return uuid_of[provider_id], name_of[class_id]

        requested = collections.defaultdict(list)
        for _consumer, provider_id, class_id, amount in wanted:
            requested[key(provider_id, class_id)].append(amount)
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
        check_claims(requested, inventories, used, released)

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

    def _save_consumers(self, consumers):
        """Create, change or remove each claimed consumer: those left with
        no allocations are removed."""
        keeping = [claim for claim in self.claims if claim.allocations]
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
                if not claim.allocations:
                    if existing is not None:
                        consumer_obj.delete(self.conn, existing)
                    continue
                project, user = owners[claim.uuid]
                type_id = (type_ids[claim.consumer_type]
                           if claim.consumer_type is not None
                           else getattr(existing, 'consumer_type_id', None))
                if existing is None:
                    consumer_obj.create(self.conn, claim.uuid,
                                        project_ids[project],
                                        user_ids[user], type_id)
                else:
                    consumer_obj.update(self.conn, existing,
                                        project_ids[project],
                                        user_ids[user], type_id)
        except consumer_obj.GenerationMoved as moved:
            raise db_api.LostRace('consumer %s changed' % moved)


def _shown(generation):
    return 'null' if generation is None else generation
