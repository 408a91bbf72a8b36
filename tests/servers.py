"""Real server processes for tests that need several of them on one
database, as operators run several workers."""
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _answers(base_url):
    try:
        with urllib.request.urlopen(base_url + '/', timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _wait_until_up(process, base_url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _answers(base_url):
            return
        if process.poll() is not None:
            raise RuntimeError('server exited:\n%s'
                               % process.stdout.read().decode()[-3000:])
        time.sleep(0.2)
    raise RuntimeError('server at %s did not answer' % base_url)


@contextlib.contextmanager
def running(database_url, count=2, config_dir=None, extra_env=None):
    """Start ``count`` development servers on ``database_url`` (schema
    synced at start-up) and yield their base URLs."""
    env = dict(os.environ)
    env.update({
        'OS_PLACEMENT_DATABASE__CONNECTION': database_url,
        'OS_PLACEMENT_DATABASE__SYNC_ON_STARTUP': 'True',
        'OS_API__AUTH_STRATEGY': 'noauth2',
        # PLACEMENT_TEST_SERVER_LOG names a file to keep the servers' logs.
        'OS_DEFAULT__LOG_FILE': os.environ.get('PLACEMENT_TEST_SERVER_LOG',
                                               os.devnull),
    })
    if config_dir is not None:
        env['OS_PLACEMENT_CONFIG_DIR'] = str(config_dir)
    env.update(extra_env or {})
    processes, urls = [], []
    try:
        for _ in range(count):
            port = free_port()
            processes.append(subprocess.Popen(
                [sys.executable, '-m', 'placement.cmd.api', '--port',
                 str(port)], env=env, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT))
            urls.append('http://127.0.0.1:%d' % port)
        for process, url in zip(processes, urls):
            _wait_until_up(process, url)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
