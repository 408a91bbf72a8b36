from placement.policies import base

PREFIX = 'placement:resource_providers:%s'
LIST = PREFIX % 'list'
CREATE = PREFIX % 'create'
SHOW = PREFIX % 'show'
UPDATE = PREFIX % 'update'
DELETE = PREFIX % 'delete'

RULES = [
    base.endpoint_rule(LIST, base.ADMIN_OR_SERVICE,
                       'List resource providers.',
                       [('GET', '/resource_providers')]),
    base.endpoint_rule(CREATE, base.ADMIN_OR_SERVICE,
                       'Create a resource provider.',
                       [('POST', '/resource_providers')]),
    base.endpoint_rule(SHOW, base.ADMIN_OR_SERVICE,
                       'Show a resource provider.',
                       [('GET', '/resource_providers/{uuid}')]),
    base.endpoint_rule(UPDATE, base.ADMIN_OR_SERVICE,
                       'Update a resource provider.',
                       [('PUT', '/resource_providers/{uuid}')]),
    base.endpoint_rule(DELETE, base.ADMIN_OR_SERVICE,
                       'Delete a resource provider.',
                       [('DELETE', '/resource_providers/{uuid}')]),
]
