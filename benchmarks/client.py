"""A small HTTP client for placement servers.

One connection per request: gunicorn's sync workers close every
connection after its response anyway, so both servers pay the same
connect cost and no client-side pool skews the timings.
"""
import http.client
import json
import threading
import time
import urllib.parse

VERSION = '1.39'


class RequestFailed(Exception):
    """A request whose status was not among those expected."""

    def __init__(self, method, path, status, text):
        super().__init__('%s %s answered %s: %s'
                         % (method, path, status, text[:500]))
        self.status = status


class Response:

    def __init__(self, status, raw, seconds):
        self.status = status
        self.raw = raw
        self.seconds = seconds

    @property
    def ok(self):
        return 200 <= self.status < 300

    def json(self):
        return json.loads(self.raw) if self.raw else None


class Client:
    """Requests to the server at ``base_url`` as the admin, at
    microversion ``VERSION`` unless told otherwise."""

    def __init__(self, base_url, timeout):
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme != 'http':
            raise ValueError('only http:// servers can be benchmarked, '
                             'not %r' % base_url)
        self.host = parts.hostname
        self.port = parts.port or 80
        self.prefix = parts.path.rstrip('/')
        self.timeout = timeout
        # Requests of the load that a 5xx made us send again.
        self.retried = 0
        self._lock = threading.Lock()

    def request(self, method, path, body=None, version=VERSION):
        """The Response, timed from connecting to the last byte read;
        raises OSError (timeouts included) when the server does not
        answer."""
        headers = {'X-Auth-Token': 'admin', 'Accept': 'application/json',
                   'OpenStack-API-Version': 'placement %s' % version}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers['Content-Type'] = 'application/json'
        start = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port,
                                                timeout=self.timeout)
        try:
            connection.request(method, self.prefix + path, body=data,
                               headers=headers)
            response = connection.getresponse()
            raw = response.read()
        finally:
            connection.close()
        return Response(response.status, raw, time.perf_counter() - start)

    def expect(self, method, path, body=None, version=VERSION, retries=0):
        """The decoded body of a request that must succeed, sent again up
        to ``retries`` times after a 5xx (a server on SQLite may answer
        "database is locked" to concurrent writes; the failed
        transaction is rolled back, so sending it again is safe)."""
        for attempt in range(retries + 1):
            response = self.request(method, path, body, version)
            if response.status < 500 or attempt == retries:
                break
            with self._lock:
                self.retried += 1
            time.sleep(0.05 * (attempt + 1))
        if not response.ok:
            raise RequestFailed(method, path, response.status,
                                response.raw.decode(errors='replace'))
        return response.json()
