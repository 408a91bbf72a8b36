"""Request schemas for /resource_providers/{uuid}/inventories.

As loose as OpenStack Placement's where looseness costs nothing, so that
a request gets the same answer: a generation is only compared (any
integer that is not the provider's is a conflict), a resource class that
no class has is refused by name when it is looked up, and a negative
allocation ratio by the capacity check.
"""
import copy

MAX_INT = 2147483647
# The largest single-precision float: allocation_ratio is a FLOAT column.
MAX_FLOAT = 3.40282e+38

RESOURCE_CLASS_PATTERN = '^[A-Z0-9_]+$'

GENERATION = {'type': 'integer'}


def _count(minimum):
    return {'type': 'integer', 'minimum': minimum, 'maximum': MAX_INT}


# One inventory as PUT /inventories/{resource_class} takes it. The
# relations between the fields (reserved against total) are checked by
# placement.objects.inventory, where the microversion decides.
INVENTORY = {
    'type': 'object',
    'properties': {
        'resource_provider_generation': GENERATION,
        'total': _count(1),
        'reserved': _count(0),
        'min_unit': _count(1),
        'max_unit': _count(1),
        'step_size': _count(1),
        # Within what the column holds either way (upstream answers a
        # ratio beyond with its database's error, or a 500).
        'allocation_ratio': {'type': 'number', 'minimum': -MAX_FLOAT,
                             'maximum': MAX_FLOAT},
    },
    'required': ['total', 'resource_provider_generation'],
    'additionalProperties': False,
}

# POST names the class in the body; the generation may be given but is
# not needed (a new inventory conflicts with no other writer's).
POST_INVENTORY = copy.deepcopy(INVENTORY)
POST_INVENTORY['properties']['resource_class'] = {
    'type': 'string', 'pattern': RESOURCE_CLASS_PATTERN,
}
POST_INVENTORY['required'] = ['total', 'resource_class']

# An entry of PUT /inventories: the generation is the outer one.
_INVENTORY_ENTRY = copy.deepcopy(INVENTORY)
_INVENTORY_ENTRY['required'] = ['total']

PUT_INVENTORIES = {
    'type': 'object',
    'properties': {
        'resource_provider_generation': GENERATION,
        'inventories': {
            'type': 'object',
            'additionalProperties': _INVENTORY_ENTRY,
        },
    },
    'required': ['resource_provider_generation', 'inventories'],
    'additionalProperties': False,
}
