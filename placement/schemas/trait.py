"""The path name and query string of /traits."""
from placement.schemas import resource_class

# Custom traits are named as custom resource classes are.
CUSTOM_NAME = resource_class.CUSTOM_NAME
is_custom_name = resource_class.is_custom_name

# GET /traits. The forms of each value are checked by the handler, which
# says what it expected.
LIST_QUERY = {
    'type': 'object',
    'properties': {
        'name': {'type': 'string'},
        'associated': {'type': 'string'},
    },
    'additionalProperties': False,
}
