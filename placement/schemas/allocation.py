"""Request schemas for writing allocations.

PUT /allocations/{consumer_uuid} changes shape over the microversions:

- 1.0: ``{"allocations": [{"resource_provider": {"uuid": U},
  "resources": {RC: n}}]}``
- 1.8: the same, with ``project_id`` and ``user_id`` required
- 1.12: ``{"allocations": {U: {"resources": {RC: n}}}, "project_id",
  "user_id"}``, the shape GET answers with
- 1.28: ``consumer_generation`` required (null for a new consumer), and
  ``allocations`` may be empty to release everything
- 1.34: optional ``mappings`` of request group suffix to providers
- 1.38: ``consumer_type`` required

POST /allocations (1.13) takes ``{consumer_uuid: <the PUT body>}`` with
the same steps, and empty allocations allowed from the start.

Where OpenStack Placement's schema is looser than a uuid format or a
bound and the looseness costs nothing, these are as loose, so that a
request gets the same answer in the same words: uuid keys are 36 hex
digits and dashes (what is no uuid is then refused as a provider that
does not exist, or a malformed consumer), a consumer generation is only
compared, an amount beyond any inventory's max_unit is refused as such,
and a resource class no class has is refused by name when looked up.
"""
import copy

from placement.schemas import common

MAX_INT = 2147483647

UUID = common.UUID

RESOURCE_CLASS_PATTERN = r'^[A-Z0-9_]+$'
CONSUMER_TYPE = {'type': 'string', 'pattern': r'^[A-Z0-9_]+$',
                 'minLength': 1, 'maxLength': 255}
# A uuid as a key, in OpenStack Placement's pattern, which its refusals
# quote.
UUID_KEY_PATTERN = '^[0-9a-fA-F-]{36}$'

# A mapping whose key begins like a request group suffix must be a list
# of uuids; any other (the empty string of the unsuffixed group among
# them) is taken as it is, as OpenStack Placement takes it. Mappings are
# only informative: nothing reads them.
GROUP_SUFFIX_PATTERN = r'^[a-zA-Z0-9_-]{1,64}'

# Project and user ids are opaque (jsonio refuses NUL in any string).
EXTERNAL_ID = {'type': 'string', 'minLength': 1, 'maxLength': 255}
GENERATION = {'type': 'integer', 'minimum': 0, 'maximum': MAX_INT}

RESOURCES = {
    'type': 'object',
    'minProperties': 1,
    'patternProperties': {
        RESOURCE_CLASS_PATTERN: {'type': 'integer', 'minimum': 1},
    },
    'additionalProperties': False,
}

_PROVIDER_ALLOCATION_LIST_ITEM = {
    'type': 'object',
    'properties': {
        'resource_provider': {
            'type': 'object',
            'properties': {'uuid': UUID},
            'required': ['uuid'],
            'additionalProperties': False,
        },
        'resources': RESOURCES,
    },
    'required': ['resource_provider', 'resources'],
    'additionalProperties': False,
}

PUT_ALLOCATIONS = {
    'type': 'object',
    'properties': {
        'allocations': {
            'type': 'array',
            'minItems': 1,
            'items': _PROVIDER_ALLOCATION_LIST_ITEM,
        },
    },
    'required': ['allocations'],
    'additionalProperties': False,
}

PUT_ALLOCATIONS_1_8 = copy.deepcopy(PUT_ALLOCATIONS)
PUT_ALLOCATIONS_1_8['properties'].update(
    project_id=EXTERNAL_ID, user_id=EXTERNAL_ID)
PUT_ALLOCATIONS_1_8['required'] += ['project_id', 'user_id']

# 1.12: keyed by provider, as GET shows them; a provider generation may be
# sent back as GET gave it, and is ignored.
PUT_ALLOCATIONS_1_12 = copy.deepcopy(PUT_ALLOCATIONS_1_8)
PUT_ALLOCATIONS_1_12['properties']['allocations'] = {
    'type': 'object',
    'minProperties': 1,
    'patternProperties': {
        UUID_KEY_PATTERN: {
            'type': 'object',
            'properties': {
                'generation': GENERATION,
                'resources': RESOURCES,
            },
            'required': ['resources'],
            'additionalProperties': False,
        },
    },
    'additionalProperties': False,
}

# One consumer's entry in POST /allocations: empty allocations release.
POST_CONSUMER_1_13 = copy.deepcopy(PUT_ALLOCATIONS_1_12)
POST_CONSUMER_1_13['properties']['allocations']['minProperties'] = 0

PUT_ALLOCATIONS_1_28 = copy.deepcopy(POST_CONSUMER_1_13)
PUT_ALLOCATIONS_1_28['properties']['consumer_generation'] = {
    'type': ['integer', 'null'],
}
PUT_ALLOCATIONS_1_28['required'].append('consumer_generation')

PUT_ALLOCATIONS_1_34 = copy.deepcopy(PUT_ALLOCATIONS_1_28)
PUT_ALLOCATIONS_1_34['properties']['mappings'] = {
    'type': 'object',
    'minProperties': 1,
    'patternProperties': {
        GROUP_SUFFIX_PATTERN: {
            'type': 'array',
            'minItems': 1,
            'items': UUID,
        },
    },
}

PUT_ALLOCATIONS_1_38 = copy.deepcopy(PUT_ALLOCATIONS_1_34)
PUT_ALLOCATIONS_1_38['properties']['consumer_type'] = CONSUMER_TYPE
PUT_ALLOCATIONS_1_38['required'].append('consumer_type')


def _keyed_by_consumer(consumer_schema):
    return {
        'type': 'object',
        'minProperties': 1,
        'patternProperties': {UUID_KEY_PATTERN: consumer_schema},
        'additionalProperties': False,
    }


POST_ALLOCATIONS_1_13 = _keyed_by_consumer(POST_CONSUMER_1_13)
POST_ALLOCATIONS_1_28 = _keyed_by_consumer(PUT_ALLOCATIONS_1_28)
POST_ALLOCATIONS_1_34 = _keyed_by_consumer(PUT_ALLOCATIONS_1_34)
POST_ALLOCATIONS_1_38 = _keyed_by_consumer(PUT_ALLOCATIONS_1_38)

# (first microversion, schema), newest first.
PUT_BY_VERSION = (
    ((1, 38), PUT_ALLOCATIONS_1_38),
    ((1, 34), PUT_ALLOCATIONS_1_34),
    ((1, 28), PUT_ALLOCATIONS_1_28),
    ((1, 12), PUT_ALLOCATIONS_1_12),
    ((1, 8), PUT_ALLOCATIONS_1_8),
    ((1, 0), PUT_ALLOCATIONS),
)

POST_BY_VERSION = (
    ((1, 38), POST_ALLOCATIONS_1_38),
    ((1, 34), POST_ALLOCATIONS_1_34),
    ((1, 28), POST_ALLOCATIONS_1_28),
    ((1, 13), POST_ALLOCATIONS_1_13),
)


def for_version(schemas_by_version, version):
    """The schema of the newest step that ``version`` has reached."""
    for minimum, schema in schemas_by_version:
        if version.matches(minimum):
            return schema
    raise LookupError('no schema for microversion %s' % (version,))
