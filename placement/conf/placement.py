import copy

from oslo_config import cfg

GROUP = cfg.OptGroup('placement', title='Placement behaviour')

DEFAULT_CONSUMER_MISSING_ID = '00000000-0000-0000-0000-000000000000'

OPTS = [
    cfg.BoolOpt(
        'randomize_allocation_candidates',
        default=False,
        help='Shuffle allocation candidates before a limit is applied, so '
             'that schedulers asking with the same limit do not all pick '
             'the same providers.'),
    cfg.StrOpt(
        'incomplete_consumer_project_id',
        default=DEFAULT_CONSUMER_MISSING_ID,
        help='The project id given to consumers whose allocations were '
             'written without one (before microversion 1.8).'),
    cfg.StrOpt(
        'incomplete_consumer_user_id',
        default=DEFAULT_CONSUMER_MISSING_ID,
        help='The user id given to consumers whose allocations were written '
             'without one (before microversion 1.8).'),
    cfg.IntOpt(
        'allocation_conflict_retry_count',
        default=10,
        min=0,
        help='How many times a write that lost a race with another writer '
             '(a provider or consumer generation moved on, a deadlock, a '
             'row inserted by a concurrent creator, SQLite busy) is '
             'retried, each in a fresh transaction, before the client is '
             'answered 409 placement.concurrent_update. Retries also stop '
             'once a write has taken 20 seconds.'),
    cfg.IntOpt(
        'max_allocation_candidates',
        default=-1,
        min=-1,
        help='The most allocation candidates one request may generate; -1 '
             'means no bound. The bound applies while candidates are '
             'generated, not after.'),
    cfg.StrOpt(
        'allocation_candidates_generation_strategy',
        default='depth-first',
        choices=('depth-first', 'breadth-first'),
        help='The order in which candidates are generated when '
             'max_allocation_candidates cuts the generation short.'),
]

WORKAROUNDS_GROUP = cfg.OptGroup('workarounds', title='Workarounds')

WORKAROUNDS_OPTS = [
    cfg.BoolOpt(
        'optimize_for_wide_provider_trees',
        default=False,
        help='Accepted for compatibility with OpenStack Placement. The '
             'candidate search here is bounded for wide trees already.'),
]


def register(conf):
    # A copy each time: oslo.config keeps overrides in the group object,
    # which would otherwise be shared by every ConfigOpts in the process.
    conf.register_group(copy.deepcopy(GROUP))
    conf.register_opts(OPTS, group=GROUP)
    conf.register_group(copy.deepcopy(WORKAROUNDS_GROUP))
    conf.register_opts(WORKAROUNDS_OPTS, group=WORKAROUNDS_GROUP)


def list_opts():
    return {GROUP: OPTS, WORKAROUNDS_GROUP: WORKAROUNDS_OPTS}
