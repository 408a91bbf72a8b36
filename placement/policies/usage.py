from placement.policies import base

PROVIDER_USAGES = 'placement:resource_providers:usages'
TOTAL_USAGES = 'placement:usages'

RULES = [
    base.endpoint_rule(PROVIDER_USAGES, base.ADMIN_OR_SERVICE,
                       "Show a provider's usages.",
                       [('GET', '/resource_providers/{uuid}/usages')]),
    base.endpoint_rule(TOTAL_USAGES, base.ADMIN_OR_PROJECT_READER_OR_SERVICE,
                       "Show a project's (or a user's) total usages.",
                       [('GET', '/usages')]),
]
