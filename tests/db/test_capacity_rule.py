"""One capacity rule on every backend: a provider is listed for an amount
exactly when a claim of that amount on it succeeds, and that amount is
(total - reserved) * allocation_ratio rounded down, computed in decimal,
whatever precision the database keeps the ratio in (MariaDB's FLOAT is
single precision)."""
import decimal
import uuid as uuidlib

import pytest

from placement import context
from placement import exception
from placement.objects import allocation_write
from placement.objects import inventory
from placement.objects import provider_filters
from placement.objects import resource_provider as rp_obj

MAX_AMOUNT = 2147483647

# (total, reserved, allocation_ratio)
CASES = [
    (10, 0, 0.7),
    (20, 0, 0.9),
    (100, 0, 0.29),
    (7, 0, 1.1),
    (10, 3, 1.5),
    (4, 1, 16.0),
    (2147483647, 1000, 0.7),
    (2147483647, 0, 0.9),
    (1000000, 0, 1.234567),
]


@pytest.fixture
def ctx(db, database_url):
    return context.RequestContext(user_id='admin', project_id='admin',
                                  roles=['admin'], db=db)


def _expected_capacity(total, reserved, ratio):
    exact = (total - reserved) * decimal.Decimal(repr(ratio))
    return int(exact.to_integral_value(rounding=decimal.ROUND_FLOOR))


def _provider(ctx, total, reserved, ratio):
    uuid = rp_obj.create(ctx, 'rp-%s' % uuidlib.uuid4().hex[:8])['uuid']
    inventory.replace_all(ctx, uuid, 0, {'VCPU': inventory.with_defaults({
        'total': total, 'reserved': reserved, 'allocation_ratio': ratio,
        'max_unit': MAX_AMOUNT})})
    return uuid


def _listed(ctx, uuid, amount):
    found = rp_obj.get_all(ctx, provider_filters.Filters(
        uuid=uuid, resources={'VCPU': amount}))
    return [provider['uuid'] for provider in found] == [uuid]


def _claim_succeeds(ctx, uuid, amount):
    consumer = str(uuidlib.uuid4())
    try:
        allocation_write.replace_all(ctx, [allocation_write.ConsumerClaim(
            uuid=consumer, allocations={uuid: {'VCPU': amount}},
            project_id='p', user_id='u')])
    except exception.Conflict:
        return False
    allocation_write.delete_for_consumer(ctx, consumer)
    return True


@pytest.mark.parametrize('total, reserved, ratio', CASES)
def test_listing_and_claims_agree_at_the_capacity(ctx, total, reserved,
                                                  ratio):
    uuid = _provider(ctx, total, reserved, ratio)
    capacity = _expected_capacity(total, reserved, ratio)
    for amount in (capacity - 1, capacity, capacity + 1):
        if not 1 <= amount <= MAX_AMOUNT:
            continue
        fits = amount <= capacity
        assert _listed(ctx, uuid, amount) is fits, (amount, capacity)
        assert _claim_succeeds(ctx, uuid, amount) is fits, (amount, capacity)


def test_listing_and_claims_agree_on_top_of_usage(ctx):
    uuid = _provider(ctx, 10, 0, 0.7)
    assert _claim_succeeds(ctx, uuid, 3)
    allocation_write.replace_all(ctx, [allocation_write.ConsumerClaim(
        uuid=str(uuidlib.uuid4()), allocations={uuid: {'VCPU': 3}},
        project_id='p', user_id='u')])
    # 3 of 7 are used: 4 more fit, 5 do not.
    assert _listed(ctx, uuid, 4) and _claim_succeeds(ctx, uuid, 4)
    assert not _listed(ctx, uuid, 5)
    assert not _claim_succeeds(ctx, uuid, 5)
