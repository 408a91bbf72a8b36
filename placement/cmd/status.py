"""placement-status upgrade check: whether this release can serve the
configured database, and what to do first if not.

Exits, as every OpenStack ``*-status upgrade check`` does, with 0 when
every check succeeds, 1 when the worst result is a warning, 2 for a
failure, and 255 when a check could not run (the database is
unreachable, say).
"""
import sys

from oslo_config import cfg
from oslo_upgradecheck import common_checks
from oslo_upgradecheck import upgradecheck
import sqlalchemy as sa

from placement.cmd import manage
from placement.db import migration
from placement.db import tables

_SYNC = 'Run the "placement-manage db sync" command.'
_MIGRATE = 'Run the "placement-manage db online_data_migrations" command.'
_NO_TABLES = 'The database has no placement tables yet: nothing to check.'


class Checks(upgradecheck.UpgradeCommands):
    """The checks, run in the order of ``_upgrade_checks``.

    Built before the command line is parsed (oslo.upgradecheck adds the
    command from it), so the database is set afterwards.
    """

    def __init__(self, conf):
        self.conf = conf
        self.db = None

    def _connect(self):
        return self.db.engine.connect()

    def _check_schema(self):
        """The schema revision is this release's newest: a schema behind
        it is brought forward by db sync; one this release does not know
        was upgraded by a newer release and cannot be served."""
        current = migration.current_revision(self.db.engine)
        head = migration.head_revision()
        if current == head:
            return upgradecheck.Result(upgradecheck.Code.SUCCESS)
        if current is None:
            return upgradecheck.Result(
                upgradecheck.Code.WARNING,
                'The database has no placement schema yet. ' + _SYNC)
        if not migration.is_known(current):
            return upgradecheck.Result(
                upgradecheck.Code.FAILURE,
                'The database schema is at revision %s, which this release '
                'does not know (a newer release upgraded it); this release '
                'needs revision %s.' % (current, head))
        return upgradecheck.Result(
            upgradecheck.Code.WARNING,
            'The database schema is at revision %s; this release needs '
            'revision %s. %s' % (current, head, _SYNC))

    def _has_tables(self, conn, *names):
        inspector = sa.inspect(conn)
        return all(inspector.has_table(name) for name in names)

    def _check_root_provider_ids(self):
        """Every resource provider names its root: db sync refuses to
        upgrade past a provider without one, and the API relies on it.
        The online data migrations set it."""
        providers = tables.resource_providers
        with self._connect() as conn:
            if not self._has_tables(conn, providers.name):
                return upgradecheck.Result(upgradecheck.Code.SUCCESS,
                                           _NO_TABLES)
            rootless = conn.scalar(sa.select(sa.exists().where(
                providers.c.root_provider_id.is_(None))))
        if rootless:
            return upgradecheck.Result(
                upgradecheck.Code.FAILURE,
                'There is at least one resource provider table record '
                'which misses its root provider id. ' + _MIGRATE)
        return upgradecheck.Result(upgradecheck.Code.SUCCESS)

    def _check_incomplete_consumers(self):
        """Every consumer of allocations has a consumers record, as
        allocations written before consumers were recorded do not. The
        online data migrations add them."""
        allocations = tables.allocations
        consumers = tables.consumers
        with self._connect() as conn:
            if not self._has_tables(conn, allocations.name, consumers.name):
                return upgradecheck.Result(upgradecheck.Code.SUCCESS,
                                           _NO_TABLES)
            missing = conn.scalar(
                sa.select(sa.func.count(sa.distinct(
                    allocations.c.consumer_id)))
                .select_from(allocations.outerjoin(
                    consumers,
                    consumers.c.uuid == allocations.c.consumer_id))
                .where(consumers.c.id.is_(None)))
        if missing:
            return upgradecheck.Result(
                upgradecheck.Code.WARNING,
                'There are %d incomplete consumers table records for '
                'existing allocations. %s' % (missing, _MIGRATE))
        return upgradecheck.Result(upgradecheck.Code.SUCCESS)

    def _check_policy_json(self):
        """A JSON policy file still works but is deprecated."""
        return common_checks.check_policy_json(self, self.conf)

    _upgrade_checks = (
        ('Database Schema', _check_schema),
        ('Missing Root Provider IDs', _check_root_provider_ids),
        ('Incomplete Consumers', _check_incomplete_consumers),
        ('Policy File JSON to YAML Migration', _check_policy_json),
    )


def main(argv=None):
    conf = cfg.ConfigOpts()
    checks = Checks(conf)
    upgradecheck.register_cli_options(conf, checks)
    manage.load_config(sys.argv[1:] if argv is None else argv, conf)
    checks.db = manage.open_database(conf)
    # The library reads --json through its module's configuration, which
    # only its own main() sets.
    upgradecheck.CONF = conf
    try:
        return upgradecheck.run(conf)
    finally:
        checks.db.dispose()


if __name__ == '__main__':
    sys.exit(main())
