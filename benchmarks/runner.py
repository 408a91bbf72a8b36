"""One scenario on one or two servers: load, check answers, time.

The steps, each interleaved between the servers:

1. load (batches of units, alternating servers): the load rate;
2. the same-answer check of the candidates query and of the
   GET /resource_providers query;
3. candidates latency (sequential requests), then throughput at
   ``concurrency``, then GET /resource_providers latency;
4. ``allocations`` allocations written (the same ones to every server,
   taken from the first server's candidates, which the check found
   equal), the same-answer check again, and candidates latency again;
5. claims: PUT /allocations for new consumers at ``concurrency``, each
   taking its own candidate in turn; the claim rate counts successes,
   and failures are counted by kind;
6. peak memory, sampled through all of the above.
"""
import sys
import time

from benchmarks import answers
from benchmarks import measure
from benchmarks import memory
from benchmarks import scenarios

PROJECT_ID = '1b5a6a8e-0c1f-4a1e-8a53-3a1f61c0b0aa'
USER_ID = '8d2b7c4f-6e3a-4d5b-9f0e-7c1a2b3d4e5f'


class Side:
    """A server in a run: its label ('ours', 'theirs'), the server, and
    a client for it."""

    def __init__(self, label, server, client):
        self.label = label
        self.server = server
        self.client = client


class Figure:
    """One row of the table: ``values`` maps each side's label to a
    number (or a text, for counts that have no ratio); ``better`` is
    'lower', 'higher' or None."""

    def __init__(self, scenario, name, better, values, unit=''):
        self.scenario = scenario
        self.name = name
        self.better = better
        self.values = values
        self.unit = unit


class Check:
    """One same-answer check: ``differences`` is empty when it passed."""

    def __init__(self, scenario, what, summary, differences):
        self.scenario = scenario
        self.what = what
        self.summary = summary
        self.differences = differences


def progress(message):
    print('[%s] %s' % (time.strftime('%H:%M:%S'), message), file=sys.stderr,
          flush=True)


class ScenarioRun:

    def __init__(self, scenario, sides, options):
        self.scenario = scenario
        self.sides = sides
        self.options = options
        self.figures = []
        self.checks = []
        self.pool = []
        # {(side label, path): why}: the GETs a side is not timed on.
        self.silent = {}

    def run(self):
        label = self.scenario.label
        pids = {side.label: side.server.pid for side in self.sides
                if side.server.pid is not None}
        sampler = memory.Sampler(pids)
        sampler.start()
        try:
            progress('%s: loading %d providers into each server'
                     % (label, self._provider_count()))
            self._load()
            for side in self.sides:
                database = getattr(side.server, 'database', None)
                if database is not None:
                    database.refresh_statistics()
            self.pool = self._check_answers('after loading')
            progress('%s: timing candidates (%d candidates)'
                     % (label, len(self.pool)))
            self._latency('candidates latency', self.scenario.query.path)
            self._throughput()
            progress('%s: timing GET /resource_providers' % label)
            self._latency('GET /resource_providers?resources latency',
                          self.scenario.providers_path,
                          self.options.rp_requests)
            progress('%s: writing %d allocations'
                     % (label, self.options.allocations))
            self._write_allocations()
            self._check_answers('after %d allocations'
                                % self.options.allocations)
            self._latency('candidates latency after %d allocations'
                          % self.options.allocations,
                          self.scenario.query.path)
            progress('%s: claiming' % label)
            self._claims()
        finally:
            peaks, high_waters = sampler.stop()
        if pids:
            self._figure('peak memory, summed RSS sampled', 'lower',
                         {key: kib / 1024 for key, kib in peaks.items()},
                         'MiB')
            self._figure('peak memory, summed per-process VmHWM', 'lower',
                         {key: kib / 1024
                          for key, kib in high_waters.items()}, 'MiB')
        return self._in_issue_order()

    def _provider_count(self):
        return (self.scenario.unit_count()
                * self.scenario.providers_per_unit())

    def _figure(self, name, better, values, unit=''):
        self.figures.append(Figure(self.scenario.label, name, better,
                                   values, unit))

    def _in_issue_order(self):
        order = ['load', 'candidates latency p',
                 'candidates throughput', 'candidates latency after',
                 'allocations requests', 'claims', 'claim failures',
                 'GET /resource_providers',
                 'failed timed GETs', 'peak memory']

        def rank(figure):
            for index, start in enumerate(order):
                if figure.name.startswith(start):
                    return index
            return len(order)
        return sorted(self.figures, key=rank)

    # 1. Load.

    def _load(self):
        scenario = self.scenario
        for side in self.sides:
            scenario.prepare(side.client)
        seconds = {side.label: 0.0 for side in self.sides}
        units = scenario.unit_count()
        order = list(self.sides)
        with measure.concurrent_pool(self.options.load_concurrency) as pool:
            for first in range(0, units, scenario.batch_units):
                batch = range(first, min(first + scenario.batch_units,
                                         units))
                for side in order:
                    start = time.perf_counter()
                    # list() so that the first failure raises here.
                    list(pool.map(
                        lambda index, client=side.client:
                        scenario.load_unit(client, index), batch))
                    seconds[side.label] += time.perf_counter() - start
                order.reverse()
        self._figure('load rate', 'higher', {
            label: self._provider_count() / spent
            for label, spent in seconds.items()}, 'providers/s')
        self._retries('load')

    def _retries(self, step):
        """A row for the requests of ``step`` that a 5xx made us send
        again, only when there were some; the count starts afresh."""
        if any(side.client.retried for side in self.sides):
            self._figure('%s requests sent again after a 5xx' % step, None,
                         {side.label: str(side.client.retried)
                          for side in self.sides})
        for side in self.sides:
            side.client.retried = 0

    # 2. Same answers.

    def _check_answers(self, when):
        """Checks, and returns the first server's allocation requests."""
        query = self.scenario.query
        candidates = [self._ask(side, query.path) for side in self.sides]
        listed = [self._ask(side, self.scenario.providers_path)
                  for side in self.sides]
        if candidates[0] is None:
            raise RuntimeError('%s: ours gave no candidates within %d s'
                               % (self.scenario.label, self.options.timeout))
        if len(self.sides) == 1:
            summary, differences = answers.check_alone(candidates[0], query)
            self._check('candidates ' + when, summary, differences)
            return candidates[0]['allocation_requests']
        for what, answered, compare in (
                ('candidates', candidates,
                 lambda ours, theirs: answers.compare_candidates(
                     ours, theirs, query)),
                ('GET /resource_providers', listed,
                 answers.compare_providers)):
            if None in answered:
                # A server too slow to answer is no different answer
                # (the figures say it was slow), unless it is ours.
                silent = ['%s: not compared (%s)' % (
                    side.label, self._silence(side, what))
                    for side, answer in zip(self.sides, answered)
                    if answer is None]
                ours_silent = answered[0] is None
                self._check('%s %s' % (what, when),
                            '' if ours_silent else '; '.join(silent),
                            silent if ours_silent else [])
            else:
                self._check('%s %s' % (what, when), *compare(*answered))
        return candidates[0]['allocation_requests']

    def _ask(self, side, path):
        """``side``'s answer to GET ``path``, or None when it gave none
        within the timeout. A side that gave none, or took longer than a
        figure's time budget, is neither asked again nor timed on that
        query: one very slow answer costs the run a single wait."""
        if (side.label, path) in self.silent:
            return None
        start = time.perf_counter()
        try:
            answer = side.client.expect('GET', path)
        except OSError as error:
            progress('%s: %s gave no answer to GET %s: %s' % (
                self.scenario.label, side.label, path, error))
            self.silent[(side.label, path)] = 'no answer in %d s' % (
                self.options.timeout)
            return None
        seconds = time.perf_counter() - start
        if seconds > self.options.figure_seconds:
            self.silent[(side.label, path)] = 'too slow: %.0f s' % seconds
        return answer

    def _silence(self, side, what):
        path = (self.scenario.query.path if what == 'candidates'
                else self.scenario.providers_path)
        return self.silent.get((side.label, path), '')

    def _answering(self, path):
        """The sides to time on ``path``, and {label: why} for the
        others."""
        sides = [side for side in self.sides
                 if (side.label, path) not in self.silent]
        return sides, {label: why
                       for (label, silent_path), why in self.silent.items()
                       if silent_path == path}

    def _check(self, what, summary, differences):
        self.checks.append(Check(self.scenario.label, what, summary,
                                 differences))
        if differences:
            progress('%s: %s DIFFER: %s' % (self.scenario.label, what,
                                            '; '.join(differences)))

    # 3. Latency and throughput of GETs.

    def _latency(self, name, path, count=None):
        def run_round(side, first, count, tally, deadline):
            measure.sequential(
                [lambda: side.client.request('GET', path)] * count, tally,
                deadline)
        sides, silent = self._answering(path)
        tallies = measure.interleaved(
            sides, count or self.options.latency_requests, 5,
            self.options.figure_seconds, run_round)
        for fraction in (0.5, 0.95):
            values = dict(silent)
            values.update({label: _milliseconds(measure.percentile(
                tally.seconds, fraction))
                for label, tally in tallies.items()})
            self._figure('%s p%d' % (name, fraction * 100), 'lower',
                         values, 'ms')
        self._failures(name, tallies)

    def _throughput(self):
        concurrency = self.options.concurrency
        path = self.scenario.query.path

        def run_round(side, first, count, tally, deadline):
            measure.at_concurrency(
                [lambda: side.client.request('GET', path)] * count, tally,
                concurrency, deadline)
        total = self.options.throughput_requests
        sides, silent = self._answering(path)
        tallies = measure.interleaved(
            sides, total, max(concurrency, total // 4),
            self.options.figure_seconds, run_round)
        values = dict(silent)
        values.update({label: tally.rate
                       for label, tally in tallies.items()})
        self._figure('candidates throughput, concurrency %d' % concurrency,
                     'higher', values, 'req/s')
        self._failures('candidates throughput', tallies)

    def _failures(self, name, tallies):
        """A row for GETs that failed, only when some did."""
        if any(tally.failures for tally in tallies.values()):
            self._figure('failed timed GETs (%s)' % name, None, {
                label: tally.failure_text()
                for label, tally in tallies.items()})

    # 4. Allocations, then the answers again.

    def _claim_body(self, index):
        request = self.pool[index % len(self.pool)]
        return {'allocations': request['allocations'],
                'consumer_generation': None, 'project_id': PROJECT_ID,
                'user_id': USER_ID, 'consumer_type': 'INSTANCE'}

    def _write_allocations(self):
        if not self.pool:
            raise RuntimeError('%s: the candidates query found nothing to '
                               'allocate' % self.scenario.label)
        for side in self.sides:
            for index in range(self.options.allocations):
                consumer = self.scenario.uuid('allocation-%d' % index)
                side.client.expect('PUT', '/allocations/%s' % consumer,
                                   self._claim_body(index),
                                   retries=scenarios.LOAD_RETRIES)
        self._retries('allocations')

    # 5. Claims.

    def _claims(self):
        concurrency = self.options.concurrency
        first_candidate = self.options.allocations

        def run_round(side, first, count, tally, deadline):
            calls = []
            for index in range(first, first + count):
                consumer = self.scenario.uuid('claim-%d' % index)
                body = self._claim_body(first_candidate + index)
                calls.append(
                    lambda consumer=consumer, body=body: side.client.request(
                        'PUT', '/allocations/%s' % consumer, body))
            measure.at_concurrency(calls, tally, concurrency, deadline)
        total = self.options.claims
        tallies = measure.interleaved(
            self.sides, total, max(concurrency, total // 4),
            self.options.figure_seconds, run_round)
        self._figure('claims PUT /allocations, concurrency %d'
                     % concurrency, 'higher',
                     {label: tally.rate for label, tally in tallies.items()},
                     'claims/s')
        self._figure('claim failures', None, {
            label: tally.failure_text() for label, tally in tallies.items()})


def _milliseconds(seconds):
    return None if seconds is None else seconds * 1000
