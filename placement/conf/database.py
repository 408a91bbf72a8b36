"""[placement_database]: oslo.db's database options plus sync_on_startup."""
import copy

from oslo_config import cfg
from oslo_db import options as oslo_db_options

GROUP = cfg.OptGroup(
    'placement_database', title='Placement database options',
    help='How to reach the database that holds providers, inventories and '
         'allocations. When connection is unset, the development server '
         'uses an SQLite file (see the README).')

SYNC_ON_STARTUP = cfg.BoolOpt(
    'sync_on_startup',
    default=False,
    help='Bring the schema up to date, and add the standard resource '
         'classes and traits, when the service starts. Safe when several '
         'workers start at once.')


# The oslo.db options that OpenStack Placement offers in this group.
_OSLO_DB_OPTION_NAMES = (
    'connection', 'connection_parameters', 'sqlite_synchronous',
    'slave_connection', 'mysql_sql_mode', 'connection_recycle_time',
    'max_pool_size', 'max_retries', 'retry_interval', 'max_overflow',
    'connection_debug', 'connection_trace', 'pool_timeout',
)


def _oslo_db_opts():
    # oslo.db's option objects are shared with its own [database] group;
    # copies keep the two groups independent.
    by_name = {opt.name: opt for opt in oslo_db_options.database_opts}
    return [copy.deepcopy(by_name[name]) for name in _OSLO_DB_OPTION_NAMES]


OPTS = _oslo_db_opts() + [SYNC_ON_STARTUP]


def register(conf):
    # A copy each time: oslo.config keeps overrides in the group object,
    # which would otherwise be shared by every ConfigOpts in the process.
    conf.register_group(copy.deepcopy(GROUP))
    conf.register_opts(OPTS, group=GROUP)


def engine_options(conf):
    """The [placement_database] values that oslo.db's enginefacade takes."""
    return {name: conf.placement_database[name]
            for name in _OSLO_DB_OPTION_NAMES}


def list_opts():
    return {GROUP: OPTS}
