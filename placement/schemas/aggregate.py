"""Request bodies of PUT /resource_providers/{uuid}/aggregates."""
import copy

from placement.schemas import common
from placement.schemas import resource_provider

# 1.1 to 1.18: a bare list of aggregate uuids.
PUT_AGGREGATES = {
    'type': 'array',
    'items': common.UUID,
    'uniqueItems': True,
}

# 1.19: the list and the provider generation the writer saw.
PUT_AGGREGATES_1_19 = {
    'type': 'object',
    'properties': {
        'aggregates': copy.deepcopy(PUT_AGGREGATES),
        'resource_provider_generation': resource_provider.GENERATION,
    },
    'required': ['aggregates', 'resource_provider_generation'],
    'additionalProperties': False,
}
