"""Request body of PUT /resource_providers/{uuid}/traits."""
from placement.schemas import resource_provider

TRAIT_NAME = {'type': 'string', 'minLength': 1, 'maxLength': 255}

PUT_TRAITS = {
    'type': 'object',
    'properties': {
        'traits': {'type': 'array', 'items': TRAIT_NAME},
        'resource_provider_generation': resource_provider.GENERATION,
    },
    'required': ['traits', 'resource_provider_generation'],
    'additionalProperties': False,
}
