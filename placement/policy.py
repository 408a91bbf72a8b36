"""Policy enforcement with oslo.policy and the rules in placement.policies."""
from oslo_policy import policy as oslo_policy

from placement import policies


def make_enforcer(conf):
    """An Enforcer with the default rules, overridable by a policy file."""
    enforcer = oslo_policy.Enforcer(conf)
    enforcer.suppress_default_change_warnings = True
    enforcer.suppress_deprecation_warnings = True
    enforcer.register_defaults(policies.list_rules())
    enforcer.load_rules()
    return enforcer


def get_enforcer():
    """For oslopolicy-* tools: an Enforcer on the default configuration."""
    from oslo_config import cfg

    from placement import conf as placement_conf
    config = cfg.ConfigOpts()
    placement_conf.register_opts(config)
    config([], project='placement')
    return make_enforcer(config)


def authorize(enforcer, context, action, target):
    try:
        return enforcer.authorize(action, target, context, do_raise=False)
    except oslo_policy.InvalidScope:
        return False
