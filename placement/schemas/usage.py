"""Query-string schemas for GET /usages."""
import copy

_EXTERNAL_ID = {'type': 'string', 'minLength': 1, 'maxLength': 255}

GET_USAGES = {
    'type': 'object',
    'properties': {
        'project_id': _EXTERNAL_ID,
        'user_id': _EXTERNAL_ID,
    },
    'required': ['project_id'],
    'additionalProperties': False,
}

# 1.38: filter by consumer type: a type's name, "all" (every consumer in
# one group) or "unknown" (the consumers that have no type). The pattern
# is OpenStack Placement's, which a refusal quotes; as there, it takes any
# value that starts with "all" ("allx" is a type that no consumer has).
GET_USAGES_1_38 = copy.deepcopy(GET_USAGES)
GET_USAGES_1_38['properties']['consumer_type'] = {
    'type': 'string',
    'pattern': '^[A-Z0-9_]+$|^all|^unknown$',
}
