from placement.policies import base

PREFIX = 'placement:reshaper:%s'
RESHAPE = PREFIX % 'reshape'

RULES = [
    base.endpoint_rule(RESHAPE, base.SERVICE,
                       'Move inventories and allocations between providers '
                       'in one step.', [('POST', '/reshaper')]),
]
