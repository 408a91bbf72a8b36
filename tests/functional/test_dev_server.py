"""placement-api, the development server, listens beyond this machine with
noauth2 only when told to in so many words: with noauth2 anyone who sends
"X-Auth-Token: admin" is an administrator."""
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from placement.cmd import api
from tests import servers

OPTION = '--insecure-noauth-on-network'


@pytest.mark.parametrize('host', ['0.0.0.0', '::', '', '192.0.2.10'])
def test_noauth_refuses_an_address_beyond_loopback(host):
    refusal = api.listen_refusal(host, 'noauth2', False)
    assert refusal.startswith(
        "placement-api: refusing to listen on %r: with [api] auth_strategy "
        "noauth2 anyone who can reach the server and sends "
        "\"X-Auth-Token: admin\" is an administrator." % host)
    assert OPTION in refusal


@pytest.mark.parametrize('host', ['127.0.0.1', '127.1.2.3', '::1',
                                  'localhost'])
def test_noauth_allows_loopback(host):
    assert api.listen_refusal(host, 'noauth2', False) is None


def test_noauth_allows_any_address_when_told_explicitly():
    args, _ = api._parse_args(['--host', '0.0.0.0', OPTION])
    assert api.listen_refusal(args.host, 'noauth2',
                              args.insecure_noauth_on_network) is None


def test_the_option_is_not_taken_from_an_abbreviation():
    args, oslo_args = api._parse_args(['--host', '0.0.0.0', '--insecure'])
    assert not args.insecure_noauth_on_network
    assert oslo_args == ['--insecure']


def test_keystone_allows_any_address():
    assert api.listen_refusal('0.0.0.0', 'keystone', False) is None


def _environment(tmp_path, **extra):
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / 'data'),
               OS_PLACEMENT_CONFIG_DIR=str(tmp_path))
    for name in ('OS_PLACEMENT_DATABASE__CONNECTION', 'OS_API__AUTH_STRATEGY'):
        env.pop(name, None)
    env.update(extra)
    return env


def _start(tmp_path, host, port, **extra_env):
    return subprocess.Popen(
        [sys.executable, '-m', 'placement.cmd.api', '--host', host,
         '--port', str(port)],
        cwd=servers.REPO, env=_environment(tmp_path, **extra_env),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_root(process, url):
    deadline = time.monotonic() + servers.STARTUP_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except OSError:
            time.sleep(0.2)
    process.terminate()
    pytest.fail('the server did not answer on %s:\n%s'
                % (url, process.communicate(timeout=10)[1][-3000:]))


def _stop(process):
    process.terminate()
    process.communicate(timeout=10)


def test_server_refuses_every_interface_with_noauth(tmp_path):
    port = servers.free_port()
    process = _start(tmp_path, '0.0.0.0', port)
    try:
        stderr = process.communicate(timeout=servers.STARTUP_SECONDS)[1]
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail('the server did not refuse to start')
    assert process.returncode == 2
    assert stderr.startswith("placement-api: refusing to listen on '0.0.0.0'")
    assert OPTION in stderr
    # Refused before it touched a database or a socket.
    assert not (tmp_path / 'data').exists()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(('127.0.0.1', port), timeout=2).close()


def test_server_with_keystone_listens_on_every_interface(tmp_path):
    port = servers.free_port()
    process = _start(tmp_path, '0.0.0.0', port,
                     OS_API__AUTH_STRATEGY='keystone')
    try:
        # The root document needs no token.
        assert _wait_for_root(process,
                              'http://127.0.0.1:%d/' % port) == 200
    finally:
        _stop(process)


def _ipv6_loopback_port():
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(('::1', 0))
            return sock.getsockname()[1]
    except OSError:
        pytest.skip('this machine has no IPv6 loopback')


def test_server_with_noauth_listens_on_ipv6_loopback(tmp_path):
    port = _ipv6_loopback_port()
    process = _start(tmp_path, '::1', port)
    try:
        assert _wait_for_root(process, 'http://[::1]:%d/' % port) == 200
    finally:
        _stop(process)
