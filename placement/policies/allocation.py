from placement.policies import base

RP_ALLOC_LIST = 'placement:resource_providers:allocations:list'

ALLOC_PREFIX = 'placement:allocations:%s'
ALLOC_LIST = ALLOC_PREFIX % 'list'
ALLOC_MANAGE = ALLOC_PREFIX % 'manage'
ALLOC_UPDATE = ALLOC_PREFIX % 'update'
ALLOC_DELETE = ALLOC_PREFIX % 'delete'

_PATH = '/allocations/{consumer_uuid}'

RULES = [
    base.endpoint_rule(ALLOC_MANAGE, base.ADMIN_OR_SERVICE,
                       'Write the allocations of several consumers at once.',
                       [('POST', '/allocations')]),
    base.endpoint_rule(ALLOC_LIST, base.ADMIN_OR_SERVICE,
                       "List a consumer's allocations.", [('GET', _PATH)]),
    base.endpoint_rule(ALLOC_UPDATE, base.ADMIN_OR_SERVICE,
                       "Replace a consumer's allocations.", [('PUT', _PATH)]),
    base.endpoint_rule(ALLOC_DELETE, base.ADMIN_OR_SERVICE,
                       "Release a consumer's allocations.",
                       [('DELETE', _PATH)]),
    base.endpoint_rule(RP_ALLOC_LIST, base.ADMIN_OR_SERVICE,
                       'List the allocations against a provider.',
                       [('GET', '/resource_providers/{uuid}/allocations')]),
]
