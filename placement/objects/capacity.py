"""Capacity: the one rule for how much an inventory can hold, in Python
and as SQL, giving the same answer on every backend.

An inventory of a resource class on a provider offers

    capacity = (total - reserved) * allocation_ratio

units, rounded down. An amount fits the inventory when the amount already
used plus it stays within the capacity, and the amount itself respects the
inventory's unit constraints: min_unit <= amount <= max_unit, in multiples
of step_size.

The ratio is a floating-point column, single precision on MySQL and
MariaDB, and a product with it can land a hair below a whole number (10 *
0.7 in single precision is 6.99999988). So the ratio is first scaled to a
whole number of millionths, rounding to the nearest, always by the same
SQL expression (``scaled_ratio_column``), and capacity is whole-number
arithmetic on that:

    (used + amount) * RATIO_SCALE <= (total - reserved) * scaled_ratio

Both sides are exact in double precision wherever the decision can go
either way (the left side stays below 2**53), so SQL on any backend and
Python decide alike. Python code reads ``scaled_ratio`` from the database
with the inventory (``inventory_columns``) rather than computing it from
the ratio it was handed, which MySQL's driver rounds to six digits.
"""
import math

import sqlalchemy as sa

from placement.db import functions

# Ratios are honoured to six decimal places.
RATIO_SCALE = 1000000

SCALED_RATIO = 'scaled_ratio'


def scaled_ratio(allocation_ratio):
    """The ratio in whole millionths, as scaled_ratio_column computes it,
    for a ratio not read from the database (a request's)."""
    return math.floor(allocation_ratio * RATIO_SCALE + 0.5)


def scaled_ratio_column(inventory_table):
    """SQL: the inventory's allocation ratio in whole millionths."""
    return sa.func.floor(
        inventory_table.c.allocation_ratio * RATIO_SCALE + 0.5)


def capacity_column(inventory_table):
    """SQL: the inventory's capacity, as capacity_from computes it."""
    inv = inventory_table.c
    return functions.whole_floor_div(
        (inv.total - inv.reserved)
        * sa.cast(scaled_ratio_column(inventory_table), sa.BigInteger),
        RATIO_SCALE)


def inventory_columns(inventory_table):
    """The columns that capacity checks in Python need, scaled_ratio
    among them."""
    return [inventory_table.c.total, inventory_table.c.reserved,
            inventory_table.c.min_unit, inventory_table.c.max_unit,
            inventory_table.c.step_size, inventory_table.c.allocation_ratio,
            scaled_ratio_column(inventory_table).label(SCALED_RATIO)]


def _scaled(inventory):
    if SCALED_RATIO in inventory:
        return int(inventory[SCALED_RATIO])
    return scaled_ratio(inventory['allocation_ratio'])


def capacity_of(inventory):
    """Units that allocations may use, rounded down. ``inventory`` is a
    mapping with total, reserved and either scaled_ratio (read with
    inventory_columns) or allocation_ratio."""
    return capacity_from(inventory['total'], inventory['reserved'],
                         _scaled(inventory))


def capacity_from(total, reserved, scaled):
    """capacity_of for the values of one row, ``scaled`` as
    scaled_ratio_column reads it (a number the driver may hand over as
    a float or a Decimal)."""
    return (total - reserved) * int(scaled) // RATIO_SCALE


def within_capacity(amount, used, inventory):
    """Whether ``amount`` more on top of ``used`` stays within the
    inventory's capacity."""
    return ((used + amount) * RATIO_SCALE
            <= (inventory['total'] - inventory['reserved'])
            * _scaled(inventory))


def meets_unit_constraints(amount, inventory):
    """Whether a single allocation of ``amount`` is allowed by the
    inventory's min_unit, max_unit and step_size."""
    return (inventory['min_unit'] <= amount <= inventory['max_unit']
            and amount % inventory['step_size'] == 0)


def fits(amount, used, inventory):
    """Whether an allocation of ``amount`` can be added to an inventory of
    which ``used`` units are already allocated."""
    return (meets_unit_constraints(amount, inventory)
            and within_capacity(amount, used, inventory))


def fits_clause(inventory_table, used, amount):
    """SQL: the clause ``fits`` decides in Python, for the rows of
    ``inventory_table`` (the table or an alias) given ``used``, an SQL
    expression of the units allocated (NULL for none)."""
    inv = inventory_table.c
    used_or_zero = sa.func.coalesce(used, 0)
    return sa.and_(
        (used_or_zero + amount) * RATIO_SCALE
        <= (inv.total - inv.reserved) * scaled_ratio_column(inventory_table),
        inv.min_unit <= amount,
        inv.max_unit >= amount,
        sa.literal(amount) % inv.step_size == 0,
    )


def is_acceptable_capacity(capacity_, zero_allowed):
    """Whether an inventory with this capacity may be stored.

    A capacity of zero (everything reserved) is refused unless
    ``zero_allowed``, which the API grants from microversion 1.26 on; a
    negative one never is.
    """
    if zero_allowed:
        return capacity_ >= 0
    return capacity_ > 0
