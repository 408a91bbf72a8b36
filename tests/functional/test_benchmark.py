"""The benchmark (benchmarks/README.md) runs here at a small size, this
service alone on SQLite, so that it cannot rot: it must finish, exit 0,
and print every figure of every scenario with a value.

Sized by PLACEMENT_TEST_BENCH_PROVIDERS (flat providers, default 100) and
PLACEMENT_TEST_BENCH_TREES (nested trees of 7 providers, default 15).
"""
import json
import os
import subprocess
import sys

from tests import servers

PROVIDERS = int(os.environ.get('PLACEMENT_TEST_BENCH_PROVIDERS', '100'))
TREES = int(os.environ.get('PLACEMENT_TEST_BENCH_TREES', '15'))
RUN_SECONDS = 600

SCENARIOS = ('flat N=%d' % PROVIDERS, 'nested N=%d' % TREES,
             'wide 1 root, 8 children')
FIGURES = (
    'load rate',
    'candidates latency p50',
    'candidates latency p95',
    'candidates throughput, concurrency 4',
    'candidates latency after 10 allocations p50',
    'candidates latency after 10 allocations p95',
    'claims PUT /allocations, concurrency 4',
    'claim failures',
    'GET /resource_providers?resources latency p50',
    'GET /resource_providers?resources latency p95',
    'peak memory, summed RSS sampled',
    'peak memory, summed per-process VmHWM',
)


def _run_benchmark(json_path):
    command = [
        sys.executable, '-m', 'benchmarks', '--database', 'sqlite',
        '--providers', str(PROVIDERS), '--trees', str(TREES),
        '--workers', '1', '--concurrency', '4', '--load-concurrency', '4',
        '--latency-requests', '3', '--throughput-requests', '4',
        '--rp-requests', '3', '--allocations', '10', '--claims', '8',
        '--timeout', '120', '--json', str(json_path)]
    return subprocess.run(command, cwd=servers.REPO, capture_output=True,
                          text=True, timeout=RUN_SECONDS)


def test_benchmark_prints_every_figure_and_checks_answers(tmp_path):
    result = _run_benchmark(tmp_path / 'figures.json')
    output = result.stdout + result.stderr[-5000:]
    assert result.returncode == 0, output
    for figure in FIGURES:
        assert figure in result.stdout, output
    with open(tmp_path / 'figures.json') as figures_file:
        record = json.load(figures_file)
    printed = {(figure['scenario'], figure['figure']): figure['values']
               for figure in record['figures']}
    for scenario in SCENARIOS:
        for figure in FIGURES:
            values = printed[(scenario, figure)]
            assert set(values) == {'ours'}, (scenario, figure)
            if figure == 'claim failures':
                # Claims may lose a race for a provider, nothing else.
                failures, attempts = values['ours'].rsplit(' of ', 1)
                assert attempts == '8', (scenario, values)
                assert all(part == '0' or part.startswith(
                    '409 concurrent update') for part in
                    failures.split(', ')), (scenario, values)
            else:
                assert values['ours'] > 0, (scenario, figure, values)
    checks = record['checks']
    assert [(check['scenario'], check['check']) for check in checks] == [
        (scenario, 'candidates after %s' % when)
        for scenario in SCENARIOS
        for when in ('loading', '10 allocations')]
    assert not [check for check in checks if check['differences']]


def _answer(requests, summaries):
    return {'allocation_requests': requests,
            'provider_summaries': summaries}


def _request(allocations, mappings):
    return {'allocations': {rp: {'resources': resources}
                            for rp, resources in allocations.items()},
            'mappings': mappings}


def test_same_answer_check_ignores_order_and_sees_differences():
    from benchmarks import answers
    from benchmarks import scenarios
    query = scenarios.Query({'': {'VCPU': 1}, '_A': {'VGPU': 1}})
    first = _request({'rp1': {'VCPU': 1}, 'rp2': {'VGPU': 1}},
                     {'': ['rp1'], '_A': ['rp2']})
    second = _request({'rp1': {'VCPU': 1}, 'rp3': {'VGPU': 1}},
                      {'_A': ['rp3'], '': ['rp1']})
    summaries = {'rp1': {'resources': {}, 'traits': ['B', 'A']},
                 'rp2': {'resources': {}, 'traits': []}}
    reordered = {'rp2': {'resources': {}, 'traits': []},
                 'rp1': {'resources': {}, 'traits': ['A', 'B']}}
    _, differences = answers.compare_candidates(
        _answer([first, second], summaries),
        _answer([second, first], reordered), query)
    assert differences == []
    _, differences = answers.compare_candidates(
        _answer([first, second], summaries), _answer([first], summaries),
        query)
    assert len(differences) == 1
    assert differences[0].startswith(
        'allocation requests: 1 only in ours, 0 only in theirs')
    # Under a limit only the count and each request's validity count.
    limited = scenarios.Query({'': {'VCPU': 1}, '_A': {'VGPU': 1}},
                              limit=1)
    _, differences = answers.compare_candidates(
        _answer([first], summaries), _answer([second], summaries), limited)
    assert differences == []
    wrong = _request({'rp1': {'VCPU': 2}}, {'': ['rp1'], '_A': ['rp1']})
    _, differences = answers.compare_candidates(
        _answer([first], summaries), _answer([wrong], summaries), limited)
    assert differences == [
        "theirs: 1 invalid allocation requests (allocates {'VCPU': 2}, "
        "not {'VCPU': 1, 'VGPU': 1})"]
