"""The default rules for each kind of caller, under the new defaults, the
legacy ones, with and without scope checks, and overridden by a file."""
import pytest

from placement import context
from placement import policy
from placement.policies import resource_provider
from placement.policies import reshaper
from placement.policies import usage
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
}

# caller -> (may list providers, may see project p1's usages, may reshape)
NEW_DEFAULTS = {
    'admin': (True, True, False),
    'service': (True, True, True),
    'member': (False, True, False),
    'reader': (False, True, False),
    'other_reader': (False, False, False),
    'no_role': (False, False, False),
    'system_admin': (False, False, False),
}


def _context(conf, caller):
    enforcer = policy.make_enforcer(conf)
    return context.RequestContext(user_id=caller, enforcer=enforcer,
                                  **CALLERS[caller])


def _allowed(ctx):
    target = {'project_id': PROJECT}
    return (ctx.can(resource_provider.LIST, fatal=False),
            ctx.can(usage.TOTAL_USAGES, target, fatal=False),
            ctx.can(reshaper.RESHAPE, fatal=False))


@pytest.mark.parametrize('caller', sorted(CALLERS))
def test_new_defaults(caller):
    conf = databases.make_conf('sqlite://')
    assert _allowed(_context(conf, caller)) == NEW_DEFAULTS[caller]


@pytest.mark.parametrize('caller', sorted(CALLERS))
def test_legacy_defaults_admit_admin_everywhere(caller):
    conf = databases.make_conf('sqlite://', {
        ('oslo_policy', 'enforce_new_defaults'): False})
    allowed = _allowed(_context(conf, caller))
    if caller == 'admin':
        assert allowed == (True, True, True)
    elif caller in ('service',):
        assert allowed == NEW_DEFAULTS[caller]
    elif caller == 'system_admin':
        assert allowed == (False, False, False)


def test_without_scope_checks_a_system_admin_is_an_admin():
    conf = databases.make_conf('sqlite://', {
        ('oslo_policy', 'enforce_scope'): False})
    assert _allowed(_context(conf, 'system_admin'))[0] is True


def test_refusal_is_forbidden():
    conf = databases.make_conf('sqlite://')
    ctx = _context(conf, 'no_role')
    with pytest.raises(Exception) as raised:
        ctx.can(resource_provider.LIST)
    assert raised.value.status == 403


def test_policy_file_overrides_a_rule(tmp_path):
    policy_file = tmp_path / 'policy.yaml'
    policy_file.write_text(
        '"placement:resource_providers:list": "role:reader"\n')
    conf = databases.make_conf('sqlite://', {
        ('oslo_policy', 'policy_file'): str(policy_file)})
    assert _context(conf, 'reader').can(resource_provider.LIST, fatal=False)
    assert not _context(conf, 'no_role').can(resource_provider.LIST,
                                             fatal=False)
