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
    """For the oslopolicy-* tools: an Enforcer on the default config."""
    from oslo_config import cfg

    from placement import conf as placement_conf
    config = cfg.ConfigOpts()
    placement_conf.load([], conf=config)
    return make_enforcer(config)


def authorize(enforcer, context, action, target):
    """Whether ``context`` may perform ``action`` on ``target``.

    The context itself goes to oslo.policy, as OpenStack Placement passes
    it, so that the library alone decides how the token's scope counts:
    oslo.policy 6 refuses a system- or domain-scoped token every rule
    whose scope is the project, whatever the configuration says.
    """
    try:
        return enforcer.authorize(action, target, context, do_raise=False)
    except oslo_policy.InvalidScope:
        # Older oslo.policy releases raise this even without do_raise.
        return False
