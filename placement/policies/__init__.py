"""Policy rules, one module per API area; the names are the actions that
handlers check with ``context.can(...)``."""
import itertools

from placement.policies import aggregate
from placement.policies import allocation
from placement.policies import allocation_candidate
from placement.policies import base
from placement.policies import inventory
from placement.policies import reshaper
from placement.policies import resource_class
from placement.policies import resource_provider
from placement.policies import trait
from placement.policies import usage


def list_rules():
    return list(itertools.chain(
        base.RULES,
        resource_provider.RULES,
        resource_class.RULES,
        inventory.RULES,
        aggregate.RULES,
        usage.RULES,
        trait.RULES,
        allocation.RULES,
        allocation_candidate.RULES,
        reshaper.RULES,
    ))
