"""The command line: ``python -m benchmarks --help``."""
import argparse
import atexit
import os
import shutil
import signal
import sys
import tempfile
import time
import uuid

from benchmarks import client
from benchmarks import report
from benchmarks import runner
from benchmarks import scenarios
from benchmarks import servers

SCENARIOS = ('flat', 'nested', 'wide')
QUICK = {'providers': '100', 'latency_requests': 10,
         'throughput_requests': 20, 'rp_requests': 10, 'claims': 40}
FULL = {'providers': '1000', 'latency_requests': 40,
        'throughput_requests': 100, 'rp_requests': 40, 'claims': 200}


def parse(argv):
    parser = argparse.ArgumentParser(
        prog='python -m benchmarks',
        description='Load placement servers as perfload does and time '
                    'them; with two servers, interleaved, with the ratio '
                    'of every figure and a check that their answers are '
                    'the same.')
    parser.add_argument(
        '--providers', help='N, or several as 1000,5000: flat providers '
        'and nested trees (default 1000, 100 with --quick)')
    parser.add_argument('--scenarios', default=','.join(SCENARIOS),
                        help='some of flat,nested,wide (default all)')
    parser.add_argument('--quick', action='store_true',
                        help='N=100 and few requests: a smoke run')
    parser.add_argument('--database', default='sqlite',
                        choices=('sqlite', 'postgresql', 'mysql'))
    parser.add_argument('--admin-url', help='the database server to create '
                        'the databases on (default: the local one the '
                        'tests use)')
    parser.add_argument('--workers', type=int, default=2,
                        help='gunicorn sync workers per server (default 2)')
    parser.add_argument('--concurrency', type=int, default=10,
                        help='for the throughput and claim figures')
    parser.add_argument('--load-concurrency', type=int, default=8)
    parser.add_argument('--latency-requests', type=int)
    parser.add_argument('--throughput-requests', type=int)
    parser.add_argument('--rp-requests', type=int)
    parser.add_argument('--claims', type=int)
    parser.add_argument('--allocations', type=int, default=100,
                        help='written before latency is timed again')
    parser.add_argument('--trees', type=int,
                        help='nested trees of 7 providers (default N)')
    parser.add_argument('--wide-children', type=int, default=8)
    parser.add_argument('--figure-seconds', type=float, default=120,
                        help='at most this much wall time per figure and '
                        'server; a slower one gets fewer samples')
    parser.add_argument('--timeout', type=float, default=300,
                        help='per request, in seconds')
    ours = parser.add_mutually_exclusive_group()
    ours.add_argument('--ours-venv', default=sys.prefix,
                      help='the virtualenv serving this project (default: '
                      "this Python's)")
    ours.add_argument('--ours-url', help='ours, already running')
    theirs = parser.add_mutually_exclusive_group()
    theirs.add_argument('--compare-upstream', action='store_true',
                        help='against OpenStack Placement 16.0.0 in its '
                        'virtualenv (as the side-by-side tests install it)')
    theirs.add_argument('--target-venv',
                        help='against the placement of another virtualenv')
    theirs.add_argument('--target-command',
                        help='against a server this shell command starts '
                        'on {port} with {database_url}')
    theirs.add_argument('--target-url', help='against a running server')
    parser.add_argument('--upstream-venv',
                        help='where 16.0.0 is installed (default: the '
                        "tests' cache)")
    parser.add_argument(
        '--config', action='append', default=[], metavar='GROUP.OPTION=VALUE',
        help='a placement option for every server started, through the '
        'environment, e.g. placement.max_allocation_candidates=1000')
    parser.add_argument('--json', help='also write the figures here')
    parser.add_argument('--keep', action='store_true',
                        help='keep the work directory (logs, SQLite files)')
    options = parser.parse_args(argv)
    defaults = QUICK if options.quick else FULL
    for name, value in defaults.items():
        if getattr(options, name) is None:
            setattr(options, name, value)
    options.sizes = [int(size) for size in options.providers.split(',')]
    options.server_env = {}
    for setting in options.config:
        name, equals, value = setting.partition('=')
        group, dot, option = name.partition('.')
        if not (equals and dot and group and option):
            parser.error('--config %r is not GROUP.OPTION=VALUE' % setting)
        options.server_env['OS_%s__%s' % (group.upper(),
                                          option.upper())] = value
    options.scenario_names = [name.strip()
                              for name in options.scenarios.split(',')]
    unknown = set(options.scenario_names) - set(SCENARIOS)
    if unknown:
        parser.error('no scenario %s' % ', '.join(sorted(unknown)))
    return options


def upstream_venv(options):
    """The 16.0.0 virtualenv, installed as the tests install it."""
    from tests import upstream
    venv = os.path.abspath(options.upstream_venv or upstream.venv_dir())
    unavailable = upstream._prepare(venv)
    if unavailable is not None:
        raise servers.ServerFailed(str(unavailable))
    return venv


def server_makers(options):
    """Makers of fresh server objects, ours first: every scenario gets
    new servers on new databases."""
    if options.ours_url:
        makers = [lambda: servers.Running('ours', options.ours_url)]
    else:
        venv = os.path.abspath(options.ours_venv)
        makers = [lambda: servers.Gunicorn('ours', venv, 'this project')]
    if options.compare_upstream:
        theirs_venv = upstream_venv(options)
        makers.append(lambda: servers.Gunicorn(
            'theirs', theirs_venv, 'OpenStack Placement 16.0.0'))
    elif options.target_venv:
        theirs_venv = os.path.abspath(options.target_venv)
        makers.append(lambda: servers.Gunicorn('theirs', theirs_venv,
                                               'placement'))
    elif options.target_command:
        makers.append(lambda: servers.Command('theirs',
                                              options.target_command))
    elif options.target_url:
        makers.append(lambda: servers.Running('theirs', options.target_url))
    return makers


def plan(options, run_id):
    """The scenarios to run, in order: wide, whose size is not N, once."""
    planned = []
    for size in options.sizes:
        names = options.scenario_names
        if planned:
            names = [name for name in names if name != 'wide']
        planned += scenarios.build(names, size, options.trees,
                                   options.wide_children, run_id)
    return planned


class Run:
    """The whole run: scenarios one after another, each on new servers,
    every server stopped however the run ends."""

    def __init__(self, options):
        self.options = options
        self.work_dir = tempfile.mkdtemp(prefix='placement-bench-')
        self.live = []
        self.figures = []
        self.checks = []
        self.sides = []
        atexit.register(self.stop_all)

    def stop_all(self):
        while self.live:
            self.live.pop().stop()

    def start_sides(self, makers):
        made = [maker() for maker in makers]
        self.live.extend(made)
        # Side by side, so that neither waits for the other's start-up.
        with runner.measure.concurrent_pool(len(made)) as pool:
            list(pool.map(lambda server: server.start(
                self.work_dir, self.options.database, self.options), made))
            list(pool.map(lambda server: server.wait_ready(), made))
        return [runner.Side(server.label, server,
                            client.Client(server.base_url,
                                          self.options.timeout))
                for server in made]

    def run(self):
        run_id = uuid.uuid4().hex[:8]
        makers = server_makers(self.options)
        for scenario in plan(self.options, run_id):
            self.sides = self.start_sides(makers)
            try:
                scenario_run = runner.ScenarioRun(scenario, self.sides,
                                                  self.options)
                self.figures += scenario_run.run()
                self.checks += scenario_run.checks
            except Exception:
                for side in self.sides:
                    print('--- %s server log, last lines:\n%s'
                          % (side.label, side.server.log_tail()),
                          file=sys.stderr)
                raise
            finally:
                self.stop_all()

    def cleanup(self, failed):
        if self.options.keep or failed:
            print('work directory kept: %s' % self.work_dir, file=sys.stderr)
        else:
            shutil.rmtree(self.work_dir, ignore_errors=True)


def _terminated(signum, frame):
    # Through SystemExit, so that every finally block stops its servers.
    sys.exit(128 + signum)


def print_results(bench, seconds, complete):
    options = bench.options
    labels = [side.label for side in bench.sides]
    print()
    if not complete:
        print('INTERRUPTED: the scenarios that finished')
    for side in bench.sides:
        print('%s: %s' % (side.label, side.server.description))
    print('database: %s; gunicorn: %d sync workers; concurrency %d%s'
          % (options.database, options.workers, options.concurrency,
             ''.join('; ' + setting for setting in options.config)))
    print()
    print(report.table(bench.figures, labels))
    print()
    print(report.checks_text(bench.checks, len(labels) == 2))
    print()
    print('run took %.0f s' % seconds)
    if options.json:
        with open(options.json, 'w') as out:
            out.write(report.as_json(bench.figures, bench.checks,
                                     bench.sides, seconds))


def main(argv=None):
    options = parse(argv)
    signal.signal(signal.SIGTERM, _terminated)
    started = time.monotonic()
    bench = Run(options)
    failed = True
    try:
        bench.run()
        failed = False
    except BaseException:
        # Whatever stopped the run, what it measured is still worth
        # reading.
        if bench.figures:
            print_results(bench, time.monotonic() - started, False)
        raise
    finally:
        bench.stop_all()
        bench.cleanup(failed)
    print_results(bench, time.monotonic() - started, True)
    return 1 if any(check.differences for check in bench.checks) else 0
