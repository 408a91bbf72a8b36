"""The curl examples of README.rst run as written in bash against a live
development server, and every answer is the one the tour describes."""
import json
import os
import re
import shutil
import subprocess
import textwrap

import pytest

from tests import databases
from tests import servers

README = os.path.join(servers.REPO, 'README.rst')
README_BASE_LINE = 'P=http://127.0.0.1:8000\n'
# Run before the examples: stop at the first failing command or unset
# variable, and have every curl call end its output with its status (the
# last --write-out wins over README's -w '\n').
PRELUDE = '''set -eu
curl() { command curl "$@" --write-out '\\n@@ %{http_code}\\n'; }
'''
STATUS_LINE = re.compile(r'\n@@ (\d{3})\n')

RP = '4f9ac1d2-6a3e-4c1b-9d57-0e2b8c7a5f10'
AGG = 'a1c0e7b4-2d8f-4e36-8b15-93f6d2c4e781'
VM = '7d3b9e52-0f64-4a2c-b8e1-5c9a4f1d2e63'


def _names(items):
    return {item['name'] for item in items}


def _inventory(body):
    return {name: (inv['total'], inv['reserved'], inv['allocation_ratio'])
            for name, inv in body['inventories'].items()}


# (status, check of the decoded body or None), one per curl call, in order.
ANSWERS = [
    (200, lambda body: body['versions'][0]['max_version'] == '1.39'),
    (200, lambda body: {'VCPU', 'MEMORY_MB', 'DISK_GB'}
        <= _names(body['resource_classes'])),
    (201, None),
    (201, None),
    (200, lambda body: body['traits'] == ['CUSTOM_FAST_DISK']),
    (200, lambda body: (body['uuid'], body['name'], body['generation'])
        == (RP, 'compute-1', 0)),
    (200, lambda body: body['resource_provider_generation'] == 1
        and _inventory(body) == {'VCPU': (32, 0, 4.0),
                                 'MEMORY_MB': (131072, 4096, 1.0),
                                 'DISK_GB': (2000, 0, 1.0),
                                 'CUSTOM_GOLD': (8, 0, 1.0)}),
    (200, lambda body: body['resource_provider_generation'] == 2
        and sorted(body['traits']) == ['CUSTOM_FAST_DISK',
                                       'HW_CPU_X86_AVX2']),
    (200, lambda body: body == {'resource_provider_generation': 3,
                                'aggregates': [AGG]}),
    (204, None),
    (200, lambda body: body == {
        'resource_provider_generation': 4,
        'usages': {'VCPU': 4, 'MEMORY_MB': 8192, 'DISK_GB': 80,
                   'CUSTOM_GOLD': 1}}),
    (200, lambda body: [(rp['uuid'], rp['generation'])
                        for rp in body['resource_providers']]
        == [(RP, 4)]),
    (200, lambda body: body == {
        'allocations': {RP: {'generation': 4, 'resources': {
            'VCPU': 4, 'MEMORY_MB': 8192, 'DISK_GB': 80,
            'CUSTOM_GOLD': 1}}},
        'consumer_generation': 1, 'consumer_type': 'INSTANCE',
        'project_id': 'demo-project', 'user_id': 'demo-user'}),
    (204, None),
    (204, None),
]


def examples_script(readme_text):
    """The literal blocks of the "Examples" section, in order."""
    section = readme_text.split('\nExamples\n========\n', 1)[1]
    section = re.split(r'\n\S[^\n]*\n=+\n', section, maxsplit=1)[0]
    blocks = re.findall(r'::\n\n((?:(?: {4}[^\n]*)?\n)+)', section)
    return ''.join(textwrap.dedent(block) for block in blocks)


def _answers(output):
    """[(status, body text)] of each curl call in ``output``."""
    parts = STATUS_LINE.split(output)
    assert parts[-1] == '', 'output after the last answer: %r' % parts[-1]
    return [(int(status), text)
            for text, status in zip(parts[0:-1:2], parts[1:-1:2])]


@pytest.fixture
def curl_installed():
    if shutil.which('curl'):
        return
    message = 'curl is not installed'
    # CI must not pass silently without it.
    if databases.require_servers():
        pytest.fail(message)
    pytest.skip(message)


def test_examples_script_is_the_examples_section():
    with open(README) as readme:
        script = examples_script(readme.read())
    assert script.startswith(README_BASE_LINE)
    assert script.count('curl -s "${H[@]}"') == len(ANSWERS)
    assert 'resource_providers/$RP' in script


def test_readme_examples_run_as_written(curl_installed, tmp_path):
    with open(README) as readme:
        script = examples_script(readme.read())
    url = 'sqlite:///%s' % (tmp_path / 'readme.sqlite')
    with servers.running(url, tmp_path, count=1) as [server]:
        script = script.replace(README_BASE_LINE, 'P=%s\n' % server.base)
        run = subprocess.run(['bash', '-c', PRELUDE + script],
                             capture_output=True, text=True,
                             timeout=servers.REQUEST_SECONDS)
    assert run.returncode == 0, run.stderr + run.stdout[-3000:]
    answers = _answers(run.stdout)
    assert len(answers) == len(ANSWERS), run.stdout
    for number, ((status, text), (expected_status, check)) in enumerate(
            zip(answers, ANSWERS), start=1):
        where = 'answer %d: %d %s' % (number, status, text[:500])
        assert status == expected_status, where
        if check is None:
            assert text == '', where
        else:
            assert check(json.loads(text)), where
