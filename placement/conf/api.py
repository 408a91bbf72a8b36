import copy

from oslo_config import cfg

GROUP = cfg.OptGroup('api', title='API options',
                     help='Options for the Placement HTTP API.')

OPTS = [
    cfg.StrOpt(
        'auth_strategy',
        default='keystone',
        choices=('keystone', 'noauth2'),
        deprecated_group='DEFAULT',
        help='How requests are authenticated. "keystone" validates tokens '
             'with keystonemiddleware (see [keystone_authtoken]); "noauth2" '
             'trusts the X-Auth-Token header as a user id and is meant '
             'only for development and tests.'),
    cfg.IntOpt(
        'max_request_body_size',
        default=4 * 1024 * 1024,
        min=1,
        help='The largest request body, in bytes, that is accepted; a '
             'larger one is answered with 413. The default, 4 MiB, '
             'leaves a wide margin over the largest bodies real callers '
             'send. Measured: POST /allocations moving 1,000 consumers, '
             'each with 3 resource classes on each of 2 providers, '
             'project and user ids, consumer_generation, consumer_type '
             'and mappings, is about 650 KB (1.05 MB indented); POST '
             '/reshaper moving those allocations and the inventories of '
             '8 providers is about 660 KB (1.2 MB indented).'),
]


def register(conf):
    # A copy each time: oslo.config keeps overrides in the group object,
    # which would otherwise be shared by every ConfigOpts in the process.
    conf.register_group(copy.deepcopy(GROUP))
    conf.register_opts(OPTS, group=GROUP)


def list_opts():
    return {GROUP: OPTS}
