from placement.policies import base

LIST = 'placement:allocation_candidates:list'

RULES = [
    base.endpoint_rule(LIST, base.ADMIN_OR_SERVICE,
                       'List the allocation candidates for a request.',
                       [('GET', '/allocation_candidates')]),
]
