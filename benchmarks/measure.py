"""Timing primitives: rounds interleaved between servers, latency and
throughput of a batch of requests, percentiles."""
import collections
from concurrent import futures
import math
import time


def percentile(samples, fraction):
    """The nearest-rank percentile of ``samples`` (None when empty)."""
    if not samples:
        return None
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


class Tally:
    """What a figure's rounds add up to on one server: the seconds each
    successful request took, the wall time of its batches, and its
    failures by kind (409 concurrent update, other 409, 5xx, other
    statuses, no answer at all)."""

    def __init__(self):
        self.seconds = []
        self.wall = 0.0
        self.ok = 0
        self.failures = collections.Counter()

    def add(self, response):
        if response is None:
            self.failures['no answer'] += 1
        elif response.ok:
            self.ok += 1
            self.seconds.append(response.seconds)
        elif response.status == 409:
            # A lost race for a provider's generation, told apart from
            # a refusal (no capacity left, ...).
            if b'concurrent_update' in response.raw:
                self.failures['409 concurrent update'] += 1
            else:
                self.failures['409 other'] += 1
        elif response.status >= 500:
            self.failures['5xx'] += 1
        else:
            self.failures['other %d' % response.status] += 1

    @property
    def rate(self):
        return self.ok / self.wall if self.wall else None

    def failure_text(self):
        """'0 of 100', '409 concurrent update: 3, 5xx: 1 of 100'..."""
        attempts = self.ok + sum(self.failures.values())
        failures = ', '.join('%s: %d' % item
                             for item in sorted(self.failures.items()))
        return '%s of %d' % (failures or '0', attempts)


def _answer(call):
    """The Response of ``call()``, or None when the server did not
    answer at all (refused, reset, timed out)."""
    try:
        return call()
    except OSError:
        return None


def _passed(deadline):
    return deadline is not None and time.perf_counter() > deadline


def sequential(calls, tally, deadline=None):
    """Runs ``calls`` one after another into ``tally``, the first at
    least, the others only before ``deadline``."""
    start = time.perf_counter()
    for index, call in enumerate(calls):
        if index and _passed(deadline):
            break
        tally.add(_answer(call))
    tally.wall += time.perf_counter() - start


# What a call not started because its deadline had passed returns.
_SKIPPED = object()


def at_concurrency(calls, tally, concurrency, deadline=None):
    """Runs ``calls`` ``concurrency`` at a time into ``tally``, none
    started after ``deadline``; the wall time runs from the first request
    sent to the last answer read."""
    def bounded(call):
        return _SKIPPED if _passed(deadline) else _answer(call)
    with concurrent_pool(concurrency) as pool:
        start = time.perf_counter()
        responses = list(pool.map(bounded, calls))
        tally.wall += time.perf_counter() - start
    for response in responses:
        if response is not _SKIPPED:
            tally.add(response)


def concurrent_pool(workers):
    return futures.ThreadPoolExecutor(max_workers=workers)


def interleaved(sides, total, round_size, budget_seconds, run_round):
    """{side label: Tally} of ``total`` requests per side, made in rounds
    of ``round_size`` that alternate between the sides (A B B A A B...,
    so that a drift of the machine's speed weighs on both alike).

    ``run_round(side, first_index, count, tally, deadline)`` makes one
    round, starting no request after ``deadline``. A side stops once its
    rounds have taken ``budget_seconds`` of wall time: a very slow server
    then gets fewer samples (one at least) rather than holding the run
    up.
    """
    tallies = {side.label: Tally() for side in sides}
    done = {side.label: 0 for side in sides}
    spent = {side.label: 0.0 for side in sides}
    order = list(sides)
    while any(done[side.label] < total and spent[side.label] < budget_seconds
              for side in sides):
        for side in order:
            label = side.label
            if done[label] >= total or spent[label] >= budget_seconds:
                continue
            count = min(round_size, total - done[label])
            start = time.perf_counter()
            deadline = start + budget_seconds - spent[label]
            run_round(side, done[label], count, tallies[label], deadline)
            spent[label] += time.perf_counter() - start
            done[label] += count
        order.reverse()
    return tallies
