"""Real server processes for tests that need several of them on one
database, as operators run several workers, and a small HTTP client."""
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STARTUP_SECONDS = 60
REQUEST_SECONDS = 60
VERSION = 'placement 1.39'

# Runs placement-api's main after a test's own Python code (a preamble
# that monkeypatches the server); the arguments follow on the command line.
_RUN_MAIN = """
import sys
from placement.cmd import api
sys.exit(api.main(sys.argv[1:]))
"""

# A preamble that takes the compare-and-swap out of provider generation
# bumps: for tests that show their race would over-commit without it.
WITHOUT_GENERATION_CHECK = """
from placement.db import tables
from placement.objects import resource_provider

def _unchecked_bump(conn, provider_id, seen_generation):
    rp = tables.resource_providers
    conn.execute(rp.update().where(rp.c.id == provider_id)
                 .values(generation=seen_generation + 1))
    return seen_generation + 1

resource_provider.bump_generation = _unchecked_bump
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class Server:
    """One placement-api process on a port of its own, logging to a file
    in ``log_dir``; ``preamble`` is Python code run in the process before
    the server starts."""

    def __init__(self, database_url, log_dir, index, extra_env=None,
                 preamble=None):
        self.port = free_port()
        self.base = 'http://127.0.0.1:%d' % self.port
        self.log_path = os.path.join(str(log_dir), 'server-%d.log' % index)
        config_dir = os.path.join(str(log_dir), 'config')
        os.makedirs(config_dir, exist_ok=True)
        env = dict(os.environ,
                   OS_PLACEMENT_DATABASE__CONNECTION=database_url,
                   OS_PLACEMENT_DATABASE__SYNC_ON_STARTUP='True',
                   OS_PLACEMENT_CONFIG_DIR=config_dir,
                   OS_API__AUTH_STRATEGY='noauth2')
        env.update(extra_env or {})
        self._log = open(self.log_path, 'w')
        if preamble is None:
            command = [sys.executable, '-m', 'placement.cmd.api']
        else:
            command = [sys.executable, '-c', preamble + _RUN_MAIN]
        self.process = subprocess.Popen(
            command + ['--port', str(self.port)],
            cwd=REPO, env=env, stdout=self._log, stderr=subprocess.STDOUT)

    def wait_ready(self):
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                urllib.request.urlopen(self.base + '/', timeout=2).close()
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError('server on port %d did not start:\n%s'
                             % (self.port, self.log_tail()))

    def log_count(self, text):
        self._log.flush()
        with open(self.log_path) as log:
            return sum(line.count(text) for line in log)

    def log_tail(self, lines=40):
        self._log.flush()
        with open(self.log_path) as log:
            return ''.join(log.readlines()[-lines:])

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


@contextlib.contextmanager
def running(database_url, log_dir, count=2, extra_env=None,
            preamble=None):
    """``count`` servers on ``database_url``, started together (the schema
    is synced at start-up) and stopped afterwards."""
    started = [Server(database_url, log_dir, index, extra_env, preamble)
               for index in range(count)]
    try:
        for server in started:
            server.wait_ready()
        yield started
    finally:
        for server in started:
            server.stop()


def call(server, method, path, body=None, version=VERSION, headers=None):
    """(status, decoded body or None) of one request as the admin, with
    ``headers`` besides."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server.base + path, data=data,
                                     method=method)
    request.add_header('x-auth-token', 'admin')
    request.add_header('openstack-api-version', version)
    request.add_header('accept', 'application/json')
    if data is not None:
        request.add_header('content-type', 'application/json')
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request,
                                    timeout=REQUEST_SECONDS) as response:
            status, text = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read()
    return status, json.loads(text) if text else None
