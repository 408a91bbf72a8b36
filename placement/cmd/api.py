"""placement-api: a development server.

Serves the application with a threaded wsgiref server. With no database
configured it uses an SQLite file (``placement.sqlite`` in
``$XDG_DATA_HOME/placement``, by default ``~/.local/share/placement``) and
brings its schema up to date. For production, run
``placement.wsgi.api:application`` under gunicorn or uwsgi.
"""
import argparse
import os
import socketserver
import sys
from wsgiref import simple_server

from oslo_log import log as logging

from placement import conf as placement_conf
from placement import deploy

LOG = logging.getLogger(__name__)


def default_sqlite_path():
    data_home = os.environ.get('XDG_DATA_HOME') or os.path.join(
        os.path.expanduser('~'), '.local', 'share')
    return os.path.join(data_home, 'placement', 'placement.sqlite')


class _ThreadingWSGIServer(socketserver.ThreadingMixIn,
                           simple_server.WSGIServer):
    daemon_threads = True


class _QuietHandler(simple_server.WSGIRequestHandler):
    def log_message(self, format, *args):
        # The application logs every request itself.
        pass


def _parse_args(argv):
    parser = argparse.ArgumentParser(
        prog='placement-api', description=__doc__.split('\n')[0])
    parser.add_argument('--host', default='127.0.0.1',
                        help='address to listen on (default 127.0.0.1)')
    parser.add_argument('--port', type=int, default=8000,
                        help='port to listen on (default 8000)')
    return parser.parse_known_args(argv)


def _use_embedded_sqlite(conf):
    path = default_sqlite_path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    conf.set_override('connection', 'sqlite:///' + path,
                      group='placement_database')
    conf.set_override('sync_on_startup', True, group='placement_database')
    return path


def main(argv=None):
    args, oslo_args = _parse_args(sys.argv[1:] if argv is None else argv)
    conf = placement_conf.load(oslo_args)
    # A development server should work without an identity service; a
    # config file or OS_API__AUTH_STRATEGY can still ask for keystone.
    conf.set_default('auth_strategy', 'noauth2', group='api')
    logging.setup(conf, 'placement')
    if not conf.placement_database.connection:
        path = _use_embedded_sqlite(conf)
        LOG.info('No database configured; using SQLite at %s', path)
    app = deploy.make_app(conf)
    server = simple_server.make_server(
        args.host, args.port, app, server_class=_ThreadingWSGIServer,
        handler_class=_QuietHandler)
    print('placement-api serving on http://%s:%d/' % (args.host, args.port),
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == '__main__':
    sys.exit(main())
