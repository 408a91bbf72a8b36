"""Every default rule, for each kind of caller: exactly who is allowed,
under the new defaults and the legacy ones. The rule names and check
strings are OpenStack Placement's (16.0.0), so that an operator's policy
file means the same here; so are the answers, which
tests/functional/test_side_by_side_policy.py compares with it over HTTP.
Scope is always checked, as oslo.policy 6 (16.0.0's) does: there is no
``enforce_scope`` option to turn it off.
"""
import pytest

from placement import conf as placement_conf
from placement import context
from placement import policies
from placement import policy
from tests import databases

PROJECT = 'p1'

CALLERS = {
    'admin': dict(roles=['admin', 'member', 'reader'],
                  project_id=PROJECT),
    'service': dict(roles=['service'], project_id='services'),
    'member': dict(roles=['member', 'reader'], project_id=PROJECT),
    'reader': dict(roles=['reader'], project_id=PROJECT),
    'other_reader': dict(roles=['reader'], project_id='p2'),
    'no_role': dict(roles=[], project_id=PROJECT),
    'system_admin': dict(roles=['admin'], system_scope='all'),
    'system_service': dict(roles=['service'], system_scope='all'),
    'domain_admin': dict(roles=['admin'], domain_id='default'),
}

# [oslo_policy] settings of each mode.
MODES = {
    'new': {},
    'legacy': {('oslo_policy', 'enforce_new_defaults'): False},
}

ADMIN_OR_SERVICE = 'rule:admin_or_service_api'

# name -> check string, as in OpenStack Placement 16.0.0's policy sample.
DEFAULTS = {
    'admin_api': 'role:admin',
    'service_api': 'role:service',
    'admin_or_service_api': 'role:admin or role:service',
    'project_reader_api': 'role:reader and project_id:%(project_id)s',
    'admin_or_project_reader_or_service_api':
        'role:admin or rule:project_reader_api or role:service',
    'placement:resource_providers:list': ADMIN_OR_SERVICE,
    'placement:resource_providers:create': ADMIN_OR_SERVICE,
    'placement:resource_providers:show': ADMIN_OR_SERVICE,
    'placement:resource_providers:update': ADMIN_OR_SERVICE,
    'placement:resource_providers:delete': ADMIN_OR_SERVICE,
    'placement:resource_classes:list': ADMIN_OR_SERVICE,
    'placement:resource_classes:create': ADMIN_OR_SERVICE,
    'placement:resource_classes:show': ADMIN_OR_SERVICE,
    'placement:resource_classes:update': ADMIN_OR_SERVICE,
    'placement:resource_classes:delete': ADMIN_OR_SERVICE,
    'placement:resource_providers:inventories:list': ADMIN_OR_SERVICE,
    'placement:resource_providers:inventories:create': ADMIN_OR_SERVICE,
    'placement:resource_providers:inventories:show': ADMIN_OR_SERVICE,
    'placement:resource_providers:inventories:update': ADMIN_OR_SERVICE,
    'placement:resource_providers:inventories:delete': ADMIN_OR_SERVICE,
    'placement:resource_providers:aggregates:list': ADMIN_OR_SERVICE,
    'placement:resource_providers:aggregates:update': ADMIN_OR_SERVICE,
    'placement:resource_providers:usages': ADMIN_OR_SERVICE,
    'placement:usages': 'rule:admin_or_project_reader_or_service_api',
    'placement:traits:list': ADMIN_OR_SERVICE,
    'placement:traits:show': ADMIN_OR_SERVICE,
    'placement:traits:update': ADMIN_OR_SERVICE,
    'placement:traits:delete': ADMIN_OR_SERVICE,
    'placement:resource_providers:traits:list': ADMIN_OR_SERVICE,
    'placement:resource_providers:traits:update': ADMIN_OR_SERVICE,
    'placement:resource_providers:traits:delete': ADMIN_OR_SERVICE,
    'placement:allocations:manage': ADMIN_OR_SERVICE,
    'placement:allocations:list': ADMIN_OR_SERVICE,
    'placement:allocations:update': ADMIN_OR_SERVICE,
    'placement:allocations:delete': ADMIN_OR_SERVICE,
    'placement:resource_providers:allocations:list': ADMIN_OR_SERVICE,
    'placement:allocation_candidates:list': ADMIN_OR_SERVICE,
    'placement:reshaper:reshape': 'rule:service_api',
}

# Who may, in each mode: (new, legacy). The legacy defaults add
# "role:admin" to every base rule but admin_api. Scope checks refuse the
# system- and domain-scoped tokens every rule with a scope, which is every
# rule but project_reader_api, whatever their roles.
_ADMIN_SERVICE = {'admin', 'service'}
_PROJECT_READERS = {'admin', 'member', 'reader'}
# Admins by role, judged on it where no scope is checked.
_OTHER_SCOPE_ADMINS = {'system_admin', 'domain_admin'}


def _same_in_every_mode(allowed):
    return (allowed, allowed)


_BY_CHECK = {
    ADMIN_OR_SERVICE: _same_in_every_mode(_ADMIN_SERVICE),
    'rule:admin_or_project_reader_or_service_api': _same_in_every_mode(
        _PROJECT_READERS | {'service'}),
    'rule:service_api': ({'service'}, _ADMIN_SERVICE),
}

ALLOWED = {
    'admin_api': _same_in_every_mode({'admin'}),
    'service_api': _BY_CHECK['rule:service_api'],
    'admin_or_service_api': _BY_CHECK[ADMIN_OR_SERVICE],
    'project_reader_api': (_PROJECT_READERS,
                           _PROJECT_READERS | _OTHER_SCOPE_ADMINS),
    'admin_or_project_reader_or_service_api':
        _BY_CHECK['rule:admin_or_project_reader_or_service_api'],
}
ALLOWED.update({name: _BY_CHECK[check] for name, check in DEFAULTS.items()
                if name.startswith('placement:')})


def _enforcer(mode):
    return policy.make_enforcer(databases.make_conf('sqlite://',
                                                    MODES[mode]))


def _may(enforcer, caller, rule, project=PROJECT):
    ctx = context.RequestContext(user_id=caller, enforcer=enforcer,
                                 **CALLERS[caller])
    target = {'project_id': project, 'user_id': caller}
    return ctx.can(rule, target, fatal=False)


def test_defaults_are_openstack_placements():
    assert {rule.name: rule.check_str for rule in policies.list_rules()} \
        == DEFAULTS


def test_every_rule_has_a_project_scope_but_project_reader_api():
    unscoped = [rule.name for rule in policies.list_rules()
                if rule.scope_types != ['project']]
    assert unscoped == ['project_reader_api']


@pytest.mark.parametrize('mode', MODES)
@pytest.mark.parametrize('rule', sorted(DEFAULTS))
def test_who_may(rule, mode):
    enforcer = _enforcer(mode)
    allowed = {caller for caller in CALLERS
               if _may(enforcer, caller, rule)}
    assert allowed == ALLOWED[rule][list(MODES).index(mode)]


@pytest.mark.parametrize('mode', MODES)
def test_a_reader_sees_only_their_own_projects_usages(mode):
    enforcer = _enforcer(mode)
    assert _may(enforcer, 'other_reader', 'placement:usages', 'p2')
    assert not _may(enforcer, 'reader', 'placement:usages', 'p2')
    assert not _may(enforcer, 'member', 'placement:usages', 'p2')
    assert _may(enforcer, 'admin', 'placement:usages', 'p2')


def test_default_configuration_is_new_defaults():
    default = policy.make_enforcer(databases.make_conf('sqlite://'))
    conf = databases.make_conf('sqlite://', {
        ('oslo_policy', 'enforce_new_defaults'): True})
    explicit = policy.make_enforcer(conf)
    for rule in DEFAULTS:
        for caller in CALLERS:
            assert (_may(default, caller, rule)
                    == _may(explicit, caller, rule)), (rule, caller)


def _enforcer_from_file(tmp_path, text):
    config_file = tmp_path / 'placement.conf'
    config_file.write_text(text)
    return policy.make_enforcer(
        placement_conf.load([], config_files=[str(config_file)]))


def test_enforce_scope_in_a_config_file_is_ignored(tmp_path):
    # OpenStack Placement 16.0.0 starts with it and still checks scope.
    enforcer = _enforcer_from_file(
        tmp_path, '[oslo_policy]\nenforce_scope = False\n')
    rule = 'placement:resource_providers:list'
    assert not _may(enforcer, 'system_admin', rule)
    assert not _may(enforcer, 'domain_admin', rule)
    assert _may(enforcer, 'admin', rule)


def test_enforce_scope_in_the_environment_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv('OS_OSLO_POLICY__ENFORCE_SCOPE', 'False')
    monkeypatch.setenv('OS_OSLO_POLICY__ENFORCE_NEW_DEFAULTS', 'False')
    enforcer = _enforcer_from_file(tmp_path, '')
    assert not _may(enforcer, 'system_admin', 'placement:reshaper:reshape')
    # The other option is read: the legacy defaults let the admin reshape.
    assert _may(enforcer, 'admin', 'placement:reshaper:reshape')


def test_refusal_is_forbidden():
    ctx = context.RequestContext(user_id='no_role', enforcer=_enforcer('new'),
                                 **CALLERS['no_role'])
    with pytest.raises(Exception) as raised:
        ctx.can('placement:resource_providers:list')
    assert raised.value.status == 403
    assert raised.value.detail == ('Policy does not allow '
                                   'placement:resource_providers:list to be '
                                   'performed.')


def test_policy_file_overrides_a_rule(tmp_path):
    policy_file = tmp_path / 'policy.yaml'
    policy_file.write_text(
        '"placement:resource_providers:list": "role:reader"\n')
    conf = databases.make_conf('sqlite://', {
        ('oslo_policy', 'policy_file'): str(policy_file)})
    enforcer = policy.make_enforcer(conf)
    rule = 'placement:resource_providers:list'
    assert _may(enforcer, 'reader', rule)
    assert _may(enforcer, 'other_reader', rule)
    assert not _may(enforcer, 'no_role', rule)
    # The file changes that rule only.
    assert not _may(enforcer, 'reader', 'placement:resource_providers:show')
