"""Request schemas for POST /reshaper (1.30).

``{"inventories": {provider uuid: <the body of PUT
/resource_providers/{uuid}/inventories>}, "allocations": <the body of
POST /allocations>}``: at least one provider; the allocations, which may
name no consumer at all, take the shape POST /allocations has at the same
microversion (``mappings`` from 1.34, ``consumer_type`` required from
1.38).
"""
import copy

from placement.schemas import allocation
from placement.schemas import inventory


def _reshaper(consumers_schema):
    allocations = copy.deepcopy(consumers_schema)
    allocations['minProperties'] = 0
    return {
        'type': 'object',
        'properties': {
            'inventories': {
                'type': 'object',
                'minProperties': 1,
                'patternProperties': {
                    allocation.UUID_KEY_PATTERN: inventory.PUT_INVENTORIES,
                },
                'additionalProperties': False,
            },
            'allocations': allocations,
        },
        'required': ['inventories', 'allocations'],
        'additionalProperties': False,
    }


# (first microversion, schema), newest first.
POST_BY_VERSION = (
    ((1, 38), _reshaper(allocation.POST_ALLOCATIONS_1_38)),
    ((1, 34), _reshaper(allocation.POST_ALLOCATIONS_1_34)),
    ((1, 30), _reshaper(allocation.POST_ALLOCATIONS_1_28)),
)
