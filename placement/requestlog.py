"""One log line per request, in the style of an access log."""
import time

from oslo_log import log as logging

from placement import microversion

LOG = logging.getLogger(__name__)


class RequestLogMiddleware:

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        started = time.monotonic()
        status_line = []

        def recording_start_response(status, headers, exc_info=None):
            status_line.append(status)
            return start_response(status, headers, exc_info)

        try:
            return self.application(environ, recording_start_response)
        finally:
            self._log(environ, status_line[0] if status_line else '-',
                      time.monotonic() - started)

    @staticmethod
    def _log(environ, status, elapsed):
        path = environ.get('PATH_INFO', '')
        query = environ.get('QUERY_STRING')
        if query:
            path = '%s?%s' % (path, query)
        LOG.info('%(remote)s "%(method)s %(path)s" status: %(status)s '
                 'microversion: %(version)s time: %(elapsed).3fs',
                 {'remote': environ.get('REMOTE_ADDR', '-'),
                  'method': environ.get('REQUEST_METHOD'),
                  'path': path,
                  'status': status.split(' ', 1)[0],
                  'version': environ.get(microversion.ENVIRON_KEY, '-'),
                  'elapsed': elapsed})
