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


def _credentials(enforcer, context):
    credentials = dict(context.to_policy_values())
    if not enforcer.conf.oslo_policy.enforce_scope:
        # Seen as an ordinary project-scoped token, a system- or
        # domain-scoped one passes the scope check and is judged on its
        # roles alone.
        for scope_key in ('system', 'system_scope', 'domain_id'):
            credentials[scope_key] = None
    return credentials


def authorize(enforcer, context, action, target):
    """Whether ``context`` may perform ``action`` on ``target``."""
    try:
        return enforcer.authorize(action, target,
                                  _credentials(enforcer, context),
                                  do_raise=False)
    except oslo_policy.InvalidScope:
        return False
