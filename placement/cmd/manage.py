"""placement-manage: database administration.

    placement-manage [--config-file FILE] db sync
    placement-manage [--config-file FILE] db version
    placement-manage [--config-file FILE] db stamp REVISION
    placement-manage [--config-file FILE] db online_data_migrations \
[--max-count N]

The commands, their options, messages and exit codes are OpenStack
Placement's.
"""
import contextlib
import importlib.metadata
import sys

from alembic import util as alembic_util
from oslo_config import cfg
from oslo_db import exception as db_exc
from oslo_log import log as logging
import prettytable
import sqlalchemy as sa

from placement import conf as placement_conf
from placement.db import api as db_api
from placement.db import migration
from placement.objects import data_migrations
from placement.objects import standard

LOG = logging.getLogger(__name__)

# Exit codes of db online_data_migrations.
MIGRATIONS_COMPLETE = 0
MIGRATIONS_REMAIN = 1   # --max-count stopped a run that migrated rows
MIGRATIONS_FAILED = 2
BAD_MAX_COUNT = 127
# Rows per batch when no --max-count is given.
DEFAULT_BATCH_SIZE = 50

# Errors that end a command with a message and exit status 1: the
# database is unreachable or refuses, alembic does not know a revision, a
# migration refuses to run on the data it finds.
COMMAND_ERRORS = (sa.exc.SQLAlchemyError, db_exc.DBError,
                  alembic_util.CommandError, RuntimeError)


def version_string():
    try:
        return importlib.metadata.version('placement-service')
    except importlib.metadata.PackageNotFoundError:
        return 'unknown'


def load_config(argv, conf):
    """Register every option on ``conf``, parse the command line and the
    config files, and log as the logging options say."""
    placement_conf.register_opts(conf)
    # Results on stdout, the log on stderr, and alembic's INFO line for
    # every step left out: the commands print only what they report, as
    # OpenStack Placement's do.
    conf.set_default('use_stderr', True)
    conf.set_default('default_log_levels',
                     logging.get_default_log_levels() + ['alembic=WARN'])
    conf(argv, project='placement', version=version_string(),
         default_config_files=placement_conf.default_config_files())
    logging.setup(conf, 'placement')
    return conf


def open_database(conf):
    if not conf.placement_database.connection:
        raise SystemExit('No database is configured: set '
                         '[placement_database] connection.')
    return db_api.Database(conf)


@contextlib.contextmanager
def _database(conf):
    db = open_database(conf)
    try:
        yield db
    finally:
        db.dispose()


def db_sync(conf):
    with _database(conf) as db:
        migration.upgrade(db.engine)
        standard.ensure_synced(db)
    return 0


def db_version(conf):
    with _database(conf) as db:
        print(migration.current_revision(db.engine))
    return 0


def db_stamp(conf):
    with _database(conf) as db:
        migration.stamp(db.engine, conf.command.version)
    return 0


def _positive_int(text):
    try:
        number = int(text)
    except ValueError:
        return None
    return number if number > 0 else None


def _run_batch(ctx, batch_size):
    """Run each migration on what is left of ``batch_size`` rows.

    Returns {name: (found, done)} and whether any migration failed. A
    failing migration is reported and the others still run: its rows may
    depend on theirs.
    """
    results = {}
    failed = False
    migrated = 0
    for migrate in data_migrations.ONLINE_MIGRATIONS:
        name = migrate.__name__
        try:
            found, done = migrate(ctx, batch_size - migrated)
        except Exception:
            # oslo.log adds the exception to the line; --debug adds the
            # traceback.
            LOG.error('Error attempting to run %s', name)
            LOG.debug('%s failed', name, exc_info=True)
            print('Error attempting to run %s' % name)
            failed = True
            found = done = 0
        if found:
            print('%i rows matched query %s, %i migrated'
                  % (found, name, done))
        results[name] = (found, done)
        migrated += done
        if migrated >= batch_size:
            break
    return results, failed


def _summary_table(totals):
    table = prettytable.PrettyTable(['Migration', 'Total Found', 'Completed'])
    for name, (found, done) in totals.items():
        table.add_row([name, found, done])
    return table


def db_online_data_migrations(conf):
    """One batch of --max-count rows, or batches until one migrates
    nothing.

    Exits 0 when nothing is left that can be migrated, 1 when --max-count
    stopped a run that migrated rows (run it again), 2 when a migration
    failed and the last batch migrated nothing, 127 for a --max-count
    that is not a positive number.
    """
    limited = conf.command.max_count is not None
    if limited:
        batch_size = _positive_int(conf.command.max_count)
        if batch_size is None:
            print('Must supply a positive value for max_count')
            return BAD_MAX_COUNT
    else:
        batch_size = DEFAULT_BATCH_SIZE
        print('Running batches of %i until complete' % batch_size)
    totals = {}
    with _database(conf) as db:
        ctx = data_migrations.MigrationContext(db, conf)
        while True:
            results, failed = _run_batch(ctx, batch_size)
            migrated = 0
            for name, (found, done) in results.items():
                total_found, total_done = totals.get(name, (0, 0))
                totals[name] = (total_found + found, total_done + done)
                migrated += done
            if limited or not migrated:
                break
    print(_summary_table(totals))
    # With --max-count, a failure beside rows migrated is not final: the
    # next run may find the rows the failed migration depends on.
    if failed and not (limited and migrated):
        print('Some migrations failed unexpectedly. Check log for details.')
        return MIGRATIONS_FAILED
    return MIGRATIONS_REMAIN if limited and migrated else MIGRATIONS_COMPLETE


def _add_db_commands(subparsers):
    # Not required, so that "placement-manage" alone prints the help.
    subparsers.required = False
    db = subparsers.add_parser('db')
    db.set_defaults(func=lambda conf: db.print_help())
    commands = db.add_subparsers(description='database commands')

    def add(name, func, description):
        parser = commands.add_parser(name, help=description,
                                     description=description)
        parser.set_defaults(func=func)
        return parser

    add('sync', db_sync, 'Sync the database to the current version.')
    add('version', db_version, 'Report the current database version.')
    stamp = add('stamp', db_stamp,
                'Stamp the revision table with the given version.')
    stamp.add_argument('version', help='the version to stamp')
    online = add('online_data_migrations', db_online_data_migrations,
                 'Run the online data migrations.')
    online.add_argument('--max-count', metavar='<number>',
                        help='Maximum number of objects to consider')


def main(argv=None):
    conf = cfg.ConfigOpts()
    conf.register_cli_opt(cfg.SubCommandOpt(
        'db', dest='command', title='Command', help='Available DB commands',
        handler=_add_db_commands))
    load_config(sys.argv[1:] if argv is None else argv, conf)
    try:
        func = conf.command.func
    except cfg.NoSuchOptError:
        conf.print_help()
        return 1
    try:
        return func(conf) or 0
    except COMMAND_ERRORS as error:
        LOG.debug('placement-manage failed', exc_info=True)
        print('placement-manage: %s' % error, file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main())
