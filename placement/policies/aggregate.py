from placement.policies import base

PREFIX = 'placement:resource_providers:aggregates:%s'
LIST = PREFIX % 'list'
UPDATE = PREFIX % 'update'

_PATH = '/resource_providers/{uuid}/aggregates'

RULES = [
    base.endpoint_rule(LIST, base.ADMIN_OR_SERVICE,
                       'List the aggregates a provider is in.',
                       [('GET', _PATH)]),
    base.endpoint_rule(UPDATE, base.ADMIN_OR_SERVICE,
                       'Replace the aggregates a provider is in.',
                       [('PUT', _PATH)]),
]
