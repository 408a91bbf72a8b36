"""placement-api: a development server.

Serves the application with a threaded wsgiref server. With no database
configured it uses an SQLite file (``placement.sqlite`` in
``$XDG_DATA_HOME/placement``, by default ``~/.local/share/placement``) and
brings its schema up to date. For production, run
``placement.wsgi.api:application`` under gunicorn or uwsgi.

It authenticates with the noauth2 strategy unless configured otherwise,
which trusts whatever ``X-Auth-Token`` a request names (``admin`` is an
administrator), so with noauth2 it listens only on a loopback address
unless told otherwise with ``--insecure-noauth-on-network``.
"""
import argparse
import ipaddress
import os
import socket
import socketserver
import sys
from wsgiref import simple_server

from oslo_log import log as logging

from placement import conf as placement_conf
from placement import deploy

LOG = logging.getLogger(__name__)

INSECURE_OPTION = '--insecure-noauth-on-network'
# A usage error, as argparse reports one.
REFUSED_EXIT_CODE = 2


def default_sqlite_path():
    data_home = os.environ.get('XDG_DATA_HOME') or os.path.join(
        os.path.expanduser('~'), '.local', 'share')
    return os.path.join(data_home, 'placement', 'placement.sqlite')


class _ThreadingWSGIServer(socketserver.ThreadingMixIn,
                           simple_server.WSGIServer):
    daemon_threads = True


class _ThreadingWSGIServerIPv6(_ThreadingWSGIServer):
    address_family = socket.AF_INET6


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, format, *args):
        # The application logs every request itself.
        pass

    def get_environ(self):
        environ = super().get_environ()
        # wsgiref makes up "text/plain" for a request without a
        # Content-Type; the application must see that there is none, as
        # under any other server.
        if self.headers.get('Content-Type') is None:
            environ.pop('CONTENT_TYPE', None)
        return environ


def _parse_args(argv):
    parser = argparse.ArgumentParser(
        prog='placement-api', description=__doc__.split('\n')[0],
        # The insecure option must be spelled out in full.
        allow_abbrev=False)
    parser.add_argument('--host', default='127.0.0.1',
                        help='address to listen on (default 127.0.0.1)')
    parser.add_argument('--port', type=int, default=8000,
                        help='port to listen on (default 8000)')
    parser.add_argument(
        INSECURE_OPTION, action='store_true',
        help='with the noauth2 strategy, listen on a --host that is not a '
             'loopback address anyway: anyone who can reach it and sends '
             '"X-Auth-Token: admin" is an administrator')
    return parser.parse_known_args(argv)


def is_loopback(host):
    """Whether every address ``host`` names is a loopback address
    (127.0.0.0/8, ::1), as for "localhost". The empty host means every
    interface."""
    if not host:
        return False
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return False
    return all(ipaddress.ip_address(info[4][0]).is_loopback
               for info in infos)


def listen_refusal(host, auth_strategy, insecure_noauth_on_network):
    """Why the server must not listen on ``host``, or None if it may.

    With noauth2 every request names its own user and roles, so anyone
    who can reach the server can be an administrator: by default only
    this machine may reach it."""
    if (auth_strategy != 'noauth2' or insecure_noauth_on_network
            or is_loopback(host)):
        return None
    return ('placement-api: refusing to listen on %r: with [api] '
            'auth_strategy noauth2 anyone who can reach the server and '
            'sends "X-Auth-Token: admin" is an administrator. Listen on a '
            'loopback address (127.0.0.1, ::1, localhost), configure '
            '[api] auth_strategy = keystone, or pass %s to serve the '
            'network without authentication anyway.'
            % (host, INSECURE_OPTION))


def _use_embedded_sqlite(conf):
    path = default_sqlite_path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    conf.set_override('connection', 'sqlite:///' + path,
                      group='placement_database')
    conf.set_override('sync_on_startup', True, group='placement_database')
    return path


def _make_server(host, port, app):
    is_ipv6 = ':' in host
    server = simple_server.make_server(
        host, port, app, handler_class=_QuietHandler,
        server_class=(_ThreadingWSGIServerIPv6 if is_ipv6
                      else _ThreadingWSGIServer))
    url = 'http://%s:%d/' % ('[%s]' % host if is_ipv6 else host, port)
    return server, url


def main(argv=None):
    args, oslo_args = _parse_args(sys.argv[1:] if argv is None else argv)
    conf = placement_conf.load(oslo_args)
    # A development server should work without an identity service; a
    # config file or OS_API__AUTH_STRATEGY can still ask for keystone.
    conf.set_default('auth_strategy', 'noauth2', group='api')
    refusal = listen_refusal(args.host, conf.api.auth_strategy,
                             args.insecure_noauth_on_network)
    if refusal:
        print(refusal, file=sys.stderr)
        return REFUSED_EXIT_CODE
    logging.setup(conf, 'placement')
    if not conf.placement_database.connection:
        path = _use_embedded_sqlite(conf)
        LOG.info('No database configured; using SQLite at %s', path)
    app = deploy.make_app(conf)
    deploy.freeze_start_up_objects()
    server, url = _make_server(args.host, args.port, app)
    print('placement-api serving on %s' % url, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
