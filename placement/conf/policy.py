"""[oslo_policy] enforce_scope, which newer oslo.policy releases dropped
(they always check scope) but which operators' configurations still set."""
from oslo_config import cfg

GROUP = 'oslo_policy'

ENFORCE_SCOPE = cfg.BoolOpt(
    'enforce_scope',
    default=True,
    help='Check that the token is of a scope (project, system) that the '
         'rule allows. When false, only the roles and the project matter.')


def register(conf):
    conf.register_opt(ENFORCE_SCOPE, group=GROUP)


def list_opts():
    return {GROUP: [ENFORCE_SCOPE]}
