"""Start-up as operators run it: several WSGI workers booting at once on a
fresh database, and the development server."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
import sqlalchemy as sa

from placement.db import migration
from placement.db import tables

WORKERS = 4


def _environment(**extra):
    env = dict(os.environ)
    env.pop('OS_PLACEMENT_CONFIG_DIR', None)
    env.update(extra)
    return env


def test_workers_boot_together_on_a_fresh_database(empty_database_url,
                                                   tmp_path):
    env = _environment(
        OS_PLACEMENT_CONFIG_DIR=str(tmp_path),
        OS_PLACEMENT_DATABASE__CONNECTION=empty_database_url,
        OS_PLACEMENT_DATABASE__SYNC_ON_STARTUP='True',
        OS_API__AUTH_STRATEGY='noauth2')
    boot = [sys.executable, '-c', 'import placement.wsgi.api']
    workers = [subprocess.Popen(boot, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
               for _ in range(WORKERS)]
    outputs = [worker.communicate(timeout=120)[0].decode()
               for worker in workers]
    failed = [output for worker, output in zip(workers, outputs)
              if worker.returncode != 0]
    assert not failed, failed[0][-3000:]
    engine = sa.create_engine(empty_database_url, poolclass=sa.pool.NullPool)
    try:
        assert migration.is_current(engine)
        with engine.connect() as conn:
            names = conn.execute(sa.select(tables.traits.c.name)).scalars()
            names = list(names)
        assert len(names) == len(set(names)) > 100
    finally:
        engine.dispose()


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _get(url, token=None):
    request = urllib.request.Request(url)
    if token:
        request.add_header('X-Auth-Token', token)
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, response.read()


def test_development_server_serves_with_embedded_sqlite(tmp_path):
    port = _free_port()
    env = _environment(XDG_DATA_HOME=str(tmp_path),
                       OS_PLACEMENT_CONFIG_DIR=str(tmp_path))
    env.pop('OS_PLACEMENT_DATABASE__CONNECTION', None)
    server = subprocess.Popen(
        [sys.executable, '-m', 'placement.cmd.api', '--port', str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = 'http://127.0.0.1:%d' % port
        for _ in range(100):
            try:
                status, body = _get(base + '/')
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stdout.read().decode()[-3000:])
                time.sleep(0.2)
        else:
            pytest.fail('the development server did not answer')
        assert status == 200
        assert json.loads(body)['versions'][0]['max_version'] == '1.39'
        assert (tmp_path / 'placement' / 'placement.sqlite').exists()
    finally:
        server.terminate()
        server.wait(timeout=10)
