from placement.policies import base

PREFIX = 'placement:resource_classes:%s'
LIST = PREFIX % 'list'
CREATE = PREFIX % 'create'
SHOW = PREFIX % 'show'
UPDATE = PREFIX % 'update'
DELETE = PREFIX % 'delete'

RULES = [
    base.endpoint_rule(LIST, base.ADMIN_OR_SERVICE,
                       'List resource classes.',
                       [('GET', '/resource_classes')]),
    base.endpoint_rule(CREATE, base.ADMIN_OR_SERVICE,
                       'Create a custom resource class.',
                       [('POST', '/resource_classes')]),
    base.endpoint_rule(SHOW, base.ADMIN_OR_SERVICE,
                       'Show a resource class.',
                       [('GET', '/resource_classes/{name}')]),
    base.endpoint_rule(UPDATE, base.ADMIN_OR_SERVICE,
                       'Create or update a custom resource class.',
                       [('PUT', '/resource_classes/{name}')]),
    base.endpoint_rule(DELETE, base.ADMIN_OR_SERVICE,
                       'Delete a custom resource class.',
                       [('DELETE', '/resource_classes/{name}')]),
]
