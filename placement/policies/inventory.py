from placement.policies import base

PREFIX = 'placement:resource_providers:inventories:%s'
LIST = PREFIX % 'list'
CREATE = PREFIX % 'create'
SHOW = PREFIX % 'show'
UPDATE = PREFIX % 'update'
DELETE = PREFIX % 'delete'

_PATH = '/resource_providers/{uuid}/inventories'
_ONE = _PATH + '/{resource_class}'

RULES = [
    base.endpoint_rule(LIST, base.ADMIN_OR_SERVICE,
                       "List a provider's inventories.", [('GET', _PATH)]),
    base.endpoint_rule(CREATE, base.ADMIN_OR_SERVICE,
                       'Add an inventory to a provider.', [('POST', _PATH)]),
    base.endpoint_rule(SHOW, base.ADMIN_OR_SERVICE,
                       "Show one of a provider's inventories.",
                       [('GET', _ONE)]),
    base.endpoint_rule(UPDATE, base.ADMIN_OR_SERVICE,
                       "Replace a provider's inventories, or one of them.",
                       [('PUT', _PATH), ('PUT', _ONE)]),
    base.endpoint_rule(DELETE, base.ADMIN_OR_SERVICE,
                       "Delete a provider's inventories, or one of them.",
                       [('DELETE', _PATH), ('DELETE', _ONE)]),
]
