"""Request schemas for /resource_providers: bodies and query strings."""
import copy

from placement.schemas import common

# Any form common.is_uuid takes; objects store the dashed form.
UUID = common.UUID

# An empty name is refused by the object on create, in OpenStack
# Placement's words; a PUT refuses it here (upstream takes it).
NAME = {'type': 'string', 'maxLength': 200}
NON_EMPTY_NAME = dict(NAME, minLength=1)

# A provider generation, as the writer saw it.
GENERATION = {'type': 'integer', 'minimum': 0, 'maximum': 2147483647}

POST_PROVIDER = {
    'type': 'object',
    'properties': {
        'name': NAME,
        'uuid': UUID,
    },
    'required': ['name'],
    'additionalProperties': False,
}

# 1.14: a provider may name its parent (null for none).
POST_PROVIDER_1_14 = copy.deepcopy(POST_PROVIDER)
POST_PROVIDER_1_14['properties']['parent_provider_uuid'] = {
    'anyOf': [UUID, {'type': 'null'}],
}

# A PUT renames (and from 1.14 re-parents); the uuid is the path's.
PUT_PROVIDER = copy.deepcopy(POST_PROVIDER)
del PUT_PROVIDER['properties']['uuid']
PUT_PROVIDER['properties']['name'] = NON_EMPTY_NAME

PUT_PROVIDER_1_14 = copy.deepcopy(POST_PROVIDER_1_14)
del PUT_PROVIDER_1_14['properties']['uuid']
PUT_PROVIDER_1_14['properties']['name'] = NON_EMPTY_NAME

# Query strings of GET /resource_providers. Values are strings; the filter
# syntaxes (member_of, resources, required) are parsed by
# placement.queryparams, which names what is malformed. member_of and
# required are always collected as lists: whether a repeat is refused
# (member_of before 1.24) or ignored (required before 1.39) is the parser's
# business.
_REPEATABLE = {'type': 'array', 'items': {'type': 'string'}}

LIST_PROVIDERS = {
    'type': 'object',
    'properties': {
        'name': {'type': 'string'},
        'uuid': UUID,
    },
    'additionalProperties': False,
}

LIST_PROVIDERS_1_3 = copy.deepcopy(LIST_PROVIDERS)
LIST_PROVIDERS_1_3['properties']['member_of'] = _REPEATABLE

LIST_PROVIDERS_1_4 = copy.deepcopy(LIST_PROVIDERS_1_3)
LIST_PROVIDERS_1_4['properties']['resources'] = {'type': 'string'}

LIST_PROVIDERS_1_14 = copy.deepcopy(LIST_PROVIDERS_1_4)
LIST_PROVIDERS_1_14['properties']['in_tree'] = UUID

LIST_PROVIDERS_1_18 = copy.deepcopy(LIST_PROVIDERS_1_14)
LIST_PROVIDERS_1_18['properties']['required'] = _REPEATABLE

LIST_REPEATABLE = ('member_of', 'required')
