"""Configuration options, grouped and named as OpenStack Placement names them.

Values come from ``placement.conf`` (in ``OS_PLACEMENT_CONFIG_DIR`` or given
with ``--config-file``) and can be overridden per option by environment
variables of the form ``OS_<GROUP>__<OPTION>``, which oslo.config reads
itself.
"""
import os

from keystonemiddleware import opts as keystone_opts
from oslo_config import cfg
from oslo_log import log as logging
from oslo_middleware import cors
from oslo_policy import opts as policy_opts

from placement.conf import api
from placement.conf import database
from placement.conf import placement as placement_group

CONFIG_FILE_NAME = 'placement.conf'


def register_opts(conf):
    api.register(conf)
    database.register(conf)
    placement_group.register(conf)
    logging.register_options(conf)
    policy_opts.set_defaults(conf)
    # Only the options: the middleware itself is added when
    # [cors] allowed_origin is set.
    conf.register_opts(cors.CORS_OPTS, 'cors')
    for group, opts in keystone_opts.list_auth_token_opts():
        conf.register_opts(opts, group=group)


def default_config_files():
    """The config files to read when none are named on the command line."""
    config_dir = os.environ.get('OS_PLACEMENT_CONFIG_DIR')
    if config_dir:
        path = os.path.join(config_dir, CONFIG_FILE_NAME)
        return [path] if os.path.exists(path) else []
    return cfg.find_config_files(project='placement')


def load(args=None, conf=None, config_files=None):
    """Build a ConfigOpts with every option registered and values parsed."""
    conf = conf or cfg.ConfigOpts()
    register_opts(conf)
    if config_files is None:
        config_files = default_config_files()
    conf(args if args is not None else [], project='placement',
         default_config_files=config_files)
    return conf
