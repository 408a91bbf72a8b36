"""placement-manage: database administration.

    placement-manage [--config-file FILE] db sync
    placement-manage [--config-file FILE] db version
"""
import sys

from oslo_config import cfg

from placement import conf as placement_conf
from placement.db import api as db_api
from placement.db import migration
from placement.objects import standard


def _database(conf):
    if not conf.placement_database.connection:
        raise SystemExit('No database is configured: set '
                         '[placement_database] connection.')
    return db_api.Database(conf)


def db_sync(db):
    migration.upgrade(db.engine)
    standard.ensure_synced(db)
    return 0


def db_version(db):
    print(migration.current_revision(db.engine))
    return 0


def _add_commands(subparsers):
    db = subparsers.add_parser('db', help='database schema')
    db_commands = db.add_subparsers(dest='db_command')
    db_commands.required = True
    sync = db_commands.add_parser(
        'sync', help='create or upgrade the schema to the current revision, '
                     'and add the standard resource classes and traits')
    sync.set_defaults(func=db_sync)
    version = db_commands.add_parser(
        'version', help='print the schema revision of the database')
    version.set_defaults(func=db_version)


def main(argv=None):
    conf = cfg.ConfigOpts()
    conf.register_cli_opt(cfg.SubCommandOpt(
        'command', title='commands', handler=_add_commands))
    placement_conf.load(sys.argv[1:] if argv is None else argv, conf=conf)
    db = _database(conf)
    try:
        return conf.command.func(db)
    finally:
        db.dispose()


if __name__ == '__main__':
    sys.exit(main())
