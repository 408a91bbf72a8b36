from placement.policies import base

RP_TRAIT_PREFIX = 'placement:resource_providers:traits:%s'
RP_TRAIT_LIST = RP_TRAIT_PREFIX % 'list'
RP_TRAIT_UPDATE = RP_TRAIT_PREFIX % 'update'
RP_TRAIT_DELETE = RP_TRAIT_PREFIX % 'delete'

TRAITS_PREFIX = 'placement:traits:%s'
TRAITS_LIST = TRAITS_PREFIX % 'list'
TRAITS_SHOW = TRAITS_PREFIX % 'show'
TRAITS_UPDATE = TRAITS_PREFIX % 'update'
TRAITS_DELETE = TRAITS_PREFIX % 'delete'

_RP_PATH = '/resource_providers/{uuid}/traits'

RULES = [
    base.endpoint_rule(TRAITS_LIST, base.ADMIN_OR_SERVICE, 'List traits.',
                       [('GET', '/traits')]),
    base.endpoint_rule(TRAITS_SHOW, base.ADMIN_OR_SERVICE,
                       'Show whether a trait exists.',
                       [('GET', '/traits/{name}')]),
    base.endpoint_rule(TRAITS_UPDATE, base.ADMIN_OR_SERVICE,
                       'Create a custom trait.',
                       [('PUT', '/traits/{name}')]),
    base.endpoint_rule(TRAITS_DELETE, base.ADMIN_OR_SERVICE,
                       'Delete a custom trait.',
                       [('DELETE', '/traits/{name}')]),
    base.endpoint_rule(RP_TRAIT_LIST, base.ADMIN_OR_SERVICE,
                       "List a provider's traits.", [('GET', _RP_PATH)]),
    base.endpoint_rule(RP_TRAIT_UPDATE, base.ADMIN_OR_SERVICE,
                       "Replace a provider's traits.", [('PUT', _RP_PATH)]),
    base.endpoint_rule(RP_TRAIT_DELETE, base.ADMIN_OR_SERVICE,
                       "Remove all of a provider's traits.",
                       [('DELETE', _RP_PATH)]),
]
