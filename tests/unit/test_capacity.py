"""Capacity arithmetic."""
import pytest

from placement.objects import capacity


def _inventory(**fields):
    inventory = {'total': 10, 'reserved': 0, 'min_unit': 1,
                 'max_unit': 10, 'step_size': 1, 'allocation_ratio': 1.0}
    inventory.update(fields)
    return inventory


@pytest.mark.parametrize('total, reserved, ratio, expected', [
    (10, 0, 1.0, 10),
    (10, 2, 1.0, 8),
    (10, 2, 1.5, 12),
    (4, 0, 16.0, 64),
    (3, 0, 0.5, 1),          # 1.5 rounds down
    (10, 10, 1.0, 0),
    (10, 0, 0.0, 0),
    # Products that floating point puts a hair below a whole number.
    (10, 0, 0.7, 7),
    (20, 0, 0.9, 18),
    (100, 0, 0.29, 29),
    (10, 0, 0.699999988079071, 7),   # 0.7 in single precision
    (20, 0, 0.8999999761581421, 18),  # 0.9 in single precision
    (2147483647, 0, 1.1, 2362232011),
])
def test_capacity_of(total, reserved, ratio, expected):
    assert capacity.capacity_of(
        {'total': total, 'reserved': reserved,
         'allocation_ratio': ratio}) == expected


def test_capacity_of_the_largest_ratio_is_exact_and_huge():
    cap = capacity.capacity_of({'total': 2147483647, 'reserved': 0,
                                'allocation_ratio': 3.40282e+38})
    assert isinstance(cap, int) and cap > 2 ** 150


def test_capacity_prefers_the_ratio_read_from_the_database():
    # MySQL's driver hands out a FLOAT rounded to six digits; the scaled
    # ratio computed in SQL is what counts.
    assert capacity.capacity_of(
        {'total': 1000000, 'reserved': 0, 'allocation_ratio': 1.23457,
         'scaled_ratio': 1234567.0}) == 1234567


@pytest.mark.parametrize('amount, used, cap, expected', [
    (1, 0, 1, True),
    (5, 5, 10, True),
    (6, 5, 10, False),
    (1, 10, 10, False),
    (1, 11, 10, False),      # already over capacity
])
def test_within_capacity(amount, used, cap, expected):
    assert capacity.within_capacity(
        amount, used, _inventory(total=cap)) is expected


@pytest.mark.parametrize('amount, min_unit, max_unit, step, expected', [
    (1, 1, 10, 1, True),
    (10, 1, 10, 1, True),
    (0, 1, 10, 1, False),
    (11, 1, 10, 1, False),
    (4, 2, 10, 2, True),
    (3, 2, 10, 2, False),
    (3, 4, 2, 1, False),     # min_unit above max_unit: nothing fits
])
def test_meets_unit_constraints(amount, min_unit, max_unit, step, expected):
    assert capacity.meets_unit_constraints(amount, _inventory(
        min_unit=min_unit, max_unit=max_unit, step_size=step)) is expected


@pytest.mark.parametrize('amount, used, fields, expected', [
    (2, 0, {}, True),
    (10, 0, {}, True),
    (11, 0, {'max_unit': 20}, False),            # over capacity
    (11, 0, {'allocation_ratio': 2.0, 'max_unit': 20}, True),
    (4, 0, {'max_unit': 3}, False),              # over max_unit
    (1, 0, {'min_unit': 2}, False),              # under min_unit
    (3, 0, {'step_size': 2}, False),             # not a step multiple
    (4, 0, {'step_size': 2}, True),
    (1, 8, {'reserved': 2}, False),              # reserved counts
    (1, 7, {'reserved': 2}, True),
])
def test_fits(amount, used, fields, expected):
    assert capacity.fits(amount, used, _inventory(**fields)) is expected


@pytest.mark.parametrize('cap, zero_allowed, expected', [
    (1, False, True),
    (0, False, False),
    (-1, False, False),
    (1, True, True),
    (0, True, True),
    (-1, True, False),
])
def test_is_acceptable_capacity(cap, zero_allowed, expected):
    assert capacity.is_acceptable_capacity(cap, zero_allowed) is expected
