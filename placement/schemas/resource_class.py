"""Request bodies for /resource_classes."""
import copy

from placement.schemas import common

# OpenStack Placement's pattern, which its messages quote ("'x' does not
# match '^CUSTOM_...'").
CUSTOM_NAME_PATTERN = '^CUSTOM_[A-Z0-9_]+$'

CUSTOM_NAME = {
    'type': 'string',
    'pattern': CUSTOM_NAME_PATTERN,
    'maxLength': 255,
}


def is_custom_name(name):
    """Whether ``name`` may name a custom resource class (or trait)."""
    return common.validator(CUSTOM_NAME).is_valid(name)


# POST /resource_classes
CREATE = {
    'type': 'object',
    'properties': {
        'name': CUSTOM_NAME,
    },
    'required': ['name'],
    'additionalProperties': False,
}

# PUT /resource_classes/{name}, microversions 1.2 to 1.6: a rename. From
# 1.7 the PUT has no body; the path's name is checked against CUSTOM_NAME.
RENAME_V1_2 = copy.deepcopy(CREATE)
