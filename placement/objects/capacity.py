"""Capacity arithmetic for inventories: pure functions, no database.

An inventory of a resource class on a provider offers

    capacity = (total - reserved) * allocation_ratio

units, truncated to a whole number. An amount fits the inventory when the
amount already used plus it stays within the capacity, and the amount
itself respects the inventory's unit constraints: min_unit <= amount <=
max_unit, in multiples of step_size.

``inventory`` arguments are mappings with the keys of an inventories row
(total, reserved, min_unit, max_unit, step_size, allocation_ratio); a
SQLAlchemy row's ``._mapping`` will do.
"""


def capacity(total, reserved, allocation_ratio):
    """Units that allocations may use, rounded towards zero.

    Amounts are whole numbers, so ``used + amount <= capacity`` against
    this truncated value decides exactly as against the unrounded product.
    """
    return int((total - reserved) * allocation_ratio)


def capacity_of(inventory):
    """``capacity`` of an inventory mapping."""
    return capacity(inventory['total'], inventory['reserved'],
                    inventory['allocation_ratio'])


def within_capacity(amount, used, capacity_):
    """Whether ``amount`` more on top of ``used`` stays within
    ``capacity_``."""
    return used + amount <= capacity_


def meets_unit_constraints(amount, min_unit, max_unit, step_size):
    """Whether a single allocation of ``amount`` is allowed by the
    inventory's unit constraints."""
    return min_unit <= amount <= max_unit and amount % step_size == 0


def fits(amount, used, inventory):
    """Whether an allocation of ``amount`` can be added to an inventory of
    which ``used`` units are already allocated."""
    return (meets_unit_constraints(amount, inventory['min_unit'],
                                   inventory['max_unit'],
                                   inventory['step_size'])
            and within_capacity(amount, used, capacity_of(inventory)))


def is_acceptable_capacity(capacity_, zero_allowed):
    """Whether an inventory with this capacity may be stored.

    A capacity of zero (everything reserved) is refused unless
    ``zero_allowed``, which the API grants from microversion 1.26 on; a
    negative one never is.
    """
    if zero_allowed:
        return capacity_ >= 0
    return capacity_ > 0
