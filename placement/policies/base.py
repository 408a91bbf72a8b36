"""The base rules that the per-endpoint rules are built from.

Names and check strings are OpenStack Placement's, so that an operator's
policy file means the same here. Under the legacy defaults every rule is
"role:admin"; the newer defaults (``[oslo_policy] enforce_new_defaults``)
also admit the ``service`` role, and project readers for ``GET /usages``.
"""
from oslo_log import versionutils
from oslo_policy import policy

ADMIN_OR_SERVICE = 'rule:admin_or_service_api'
SERVICE = 'rule:service_api'
ADMIN_OR_PROJECT_READER_OR_SERVICE = (
    'rule:admin_or_project_reader_or_service_api')

_LEGACY_ADMIN = policy.DeprecatedRule(
    name='rule:admin_api',
    check_str='role:admin',
    deprecated_reason='Placement policies now default to roles with scope '
                      'checks; the admin-only legacy default is deprecated.',
    deprecated_since=versionutils.deprecated.WALLABY,
)

RULES = [
    policy.RuleDefault(
        'admin_api', 'role:admin',
        description='The administrator.',
        scope_types=['project']),
    policy.RuleDefault(
        'service_api', 'role:service',
        description='Another service, such as a compute scheduler.',
        scope_types=['project'],
        deprecated_rule=_LEGACY_ADMIN),
    policy.RuleDefault(
        'admin_or_service_api', 'role:admin or role:service',
        description='The administrator or another service.',
        scope_types=['project'],
        deprecated_rule=_LEGACY_ADMIN),
    policy.RuleDefault(
        'project_reader_api', 'role:reader and project_id:%(project_id)s',
        description='A reader of the project in question.',
        deprecated_rule=_LEGACY_ADMIN),
    policy.RuleDefault(
        'admin_or_project_reader_or_service_api',
        'role:admin or rule:project_reader_api or role:service',
        description='The administrator, another service, or a reader of '
                    'the project in question.',
        scope_types=['project'],
        deprecated_rule=_LEGACY_ADMIN),
]


def endpoint_rule(name, check_str, description, operations):
    """A rule guarding the given (method, path) operations."""
    return policy.DocumentedRuleDefault(
        name=name,
        check_str=check_str,
        description=description,
        operations=[{'method': method, 'path': path}
                    for method, path in operations],
        scope_types=['project'])
