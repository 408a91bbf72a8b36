"""Side by side with OpenStack Placement 16.0.0: the same requests to both
services, and every difference in what clients read reported.

A catalogue is a module ``test_side_by_side_<area>.py`` with one class::

    from tests.functional.side_by_side import Catalogue, Request

    RP = '7a1f0d52-3c4b-4e8a-9f61-2d5b8c0e7a14'

    class TestSideBySideTraits(Catalogue):
        REQUESTS = [
            Request('create-rp', 'POST', '/resource_providers',
                    body={'name': 'rp', 'uuid': RP}, version='1.20'),
            Request('rp-traits-unknown', 'PUT',
                    '/resource_providers/%s/traits' % RP, version='1.6',
                    body={'resource_provider_generation': 0,
                          'traits': ['CUSTOM_NOPE']}),
            Request('traits-list', 'GET', '/traits', version='1.6',
                    unordered=['traits']),
        ]
        DELIBERATE_DIFFERENCES = {
            # request id: why we differ on purpose (README says so too)
        }
        KNOWN_DIFFERENCES = {
            # request id: what differs, to fix
        }

Both services start on fresh SQLite databases, once per catalogue, and
get the requests in the order listed, so a catalogue sets up what its
later requests need (with fixed uuids, so that paths are the same on both
sides). Every request is compared, set-up ones too:

- the status;
- the headers clients read (``HEADERS``): Content-Type, Allow (as a set),
  Location (path and query; the host differs), Last-Modified (present or
  not), OpenStack-API-Version;
- an error (both 4xx/5xx) field by field: ``title``, ``code``, ``status``
  and any other field (``min_version``...) equal, ``request_id`` ignored,
  and our ``detail`` must contain upstream's message (see
  ``upstream_message``: webob's generic first sentence and jsonschema's
  dump of the schema are not part of it; whitespace runs count as one
  space);
- a success: the JSON bodies field by field (other bodies byte for byte),
  except the JSON paths a request lists in ``ignore`` (values that differ
  legitimately: timestamps, generated uuids), with the lists it names in
  ``unordered`` compared in any order (only where the API reference leaves
  the order undefined). A path is keys and list indexes joined by ``/``,
  ``*`` standing for any: ``'resource_providers/*/generation'``.

``Request(id, method, path, ...)`` takes: ``version`` (sent as
``OpenStack-API-Version: placement <version>``; None sends no header),
``token`` (X-Auth-Token, ``admin`` by default; None sends none), ``body``
(encoded as JSON with Content-Type application/json) or ``raw`` (bytes or
str sent as they are), ``content_type`` (overrides or adds Content-Type),
``headers`` (anything else, applied last; None leaves a header out, as
``{'Accept': None}`` does the ``Accept: application/json`` sent by
default), ``ignore``, ``unordered``.

A request that differs must be listed, with its reason, in exactly one
table: ``DELIBERATE_DIFFERENCES`` (we differ on purpose, as the README
says) or ``KNOWN_DIFFERENCES`` (to fix). Nothing else is ever skipped.
``test_matches_upstream`` fails with a report of every unlisted difference
of the catalogue, and when a deliberate difference no longer differs.
Each known difference is a strict xfail, ``test_known_difference[id]``:
once fixed it XPASSes, which fails the run until its entry is removed. To
see what the known differences are now: ``pytest --runxfail <module>``.

The upstream service comes from tests/upstream.py (installed on first use,
outside the checkout).
"""
import concurrent.futures
import dataclasses
import fcntl
import http.client
import json
import os
import re
import typing
import urllib.parse
from unittest import mock

import pytest

from tests import servers
from tests import upstream

REQUEST_SECONDS = 60
HEADERS = ('Content-Type', 'Allow', 'Location', 'Last-Modified',
           'OpenStack-API-Version')
# Error fields compared otherwise than by equality.
_DETAIL, _REQUEST_ID = 'detail', 'request_id'
_ABSENT = '<absent>'
_IGNORED = '<ignored>'
_SHOWN_CHARACTERS = 400


@dataclasses.dataclass(frozen=True)
class Request:
    id: str
    method: str
    path: str
    version: typing.Optional[str] = None
    token: typing.Optional[str] = 'admin'
    body: typing.Any = None
    raw: typing.Union[bytes, str, None] = None
    content_type: typing.Optional[str] = None
    headers: typing.Mapping[str, str] = dataclasses.field(
        default_factory=dict)
    ignore: typing.Sequence[str] = ()
    unordered: typing.Sequence[str] = ()

    def wire_headers(self):
        headers = {'Accept': 'application/json'}
        if self.token is not None:
            headers['X-Auth-Token'] = self.token
        if self.version is not None:
            headers['OpenStack-API-Version'] = 'placement ' + self.version
        if self.body is not None:
            headers['Content-Type'] = 'application/json'
        if self.content_type is not None:
            headers['Content-Type'] = self.content_type
        headers.update(self.headers)
        return {name: value for name, value in headers.items()
                if value is not None}

    def wire_body(self):
        if self.body is not None:
            return json.dumps(self.body).encode()
        if isinstance(self.raw, str):
            return self.raw.encode()
        return self.raw

    def describe(self):
        version = '' if self.version is None else ' (%s)' % self.version
        return '[%s] %s %s%s' % (self.id, self.method, self.path, version)


@dataclasses.dataclass(frozen=True)
class Response:
    status: int
    headers: typing.Mapping[str, typing.Optional[str]]
    body: bytes


@dataclasses.dataclass(frozen=True)
class Mismatch:
    what: str
    ours: typing.Any
    theirs: typing.Any

    def __str__(self):
        return '    %s: ours %s, theirs %s' % (
            self.what, _shown(self.ours), _shown(self.theirs))


def _shown(value):
    text = value if isinstance(value, str) and value in (
        _ABSENT, _IGNORED) else repr(value)
    if len(text) > _SHOWN_CHARACTERS:
        return text[:_SHOWN_CHARACTERS] + '...'
    return text


def send(base, request):
    """The Response of ``base`` (http://host:port) to ``request``."""
    netloc = urllib.parse.urlsplit(base).netloc
    connection = http.client.HTTPConnection(netloc, timeout=REQUEST_SECONDS)
    try:
        connection.request(request.method, request.path,
                           body=request.wire_body(),
                           headers=request.wire_headers())
        response = connection.getresponse()
        body = response.read()
        headers = {name: response.getheader(name) for name in HEADERS}
        return Response(response.status, headers, body)
    finally:
        connection.close()


# Comparison.

def _header_value(name, value):
    """What clients read of header ``name``."""
    if value is None:
        return _ABSENT
    if name == 'Last-Modified':
        return '<present>'
    if name == 'Allow':
        return ', '.join(sorted(m.strip() for m in value.split(',')))
    if name == 'Location':
        parts = urllib.parse.urlsplit(value)
        return urllib.parse.urlunsplit(('', '', parts.path, parts.query, ''))
    return value


def _compare_headers(ours, theirs):
    found = []
    for name in HEADERS:
        our_value = _header_value(name, ours.headers[name])
        their_value = _header_value(name, theirs.headers[name])
        if our_value != their_value:
            found.append(Mismatch('header ' + name, our_value, their_value))
    return found


def _json_or_none(body):
    try:
        return json.loads(body)
    except ValueError:
        return None


def _collapse(text):
    return ' '.join(text.split())


def upstream_message(detail):
    """The words of an upstream error detail that ours must contain.

    Upstream's details are webob's generic explanation of the status, a
    blank line, then the message ("The resource could not be found.\\n\\n
    No resource provider with uuid ... found"); the explanation may be
    kept or left out. Its JSON schema errors go on with jsonschema's dump
    of the schema and the instance ("  Failed validating 'type' in
    schema..."), which says nothing the message does not.
    """
    if '\n\n' in detail:
        detail = detail.split('\n\n', 1)[1]
    detail = re.split(r'\s+Failed validating ', detail, maxsplit=1)[0]
    return _collapse(detail)


def _errors_of(document):
    if isinstance(document, dict):
        errors = document.get('errors')
        if isinstance(errors, list) and all(
                isinstance(error, dict) for error in errors):
            return errors
    return None


def _compare_error(index, ours, theirs):
    found = []
    for field in sorted(set(ours) | set(theirs)):
        if field == _REQUEST_ID:
            continue
        our_value = ours.get(field, _ABSENT)
        their_value = theirs.get(field, _ABSENT)
        if field == _DETAIL and their_value != _ABSENT:
            message = upstream_message(their_value)
            if our_value == _ABSENT or message not in _collapse(our_value):
                found.append(Mismatch(
                    'errors/%d/detail (must contain theirs, without the '
                    'preamble: %r)' % (index, message),
                    our_value, their_value))
        elif our_value != their_value:
            found.append(Mismatch('errors/%d/%s' % (index, field),
                                  our_value, their_value))
    return found


def _compare_errors(ours, theirs):
    our_errors = _errors_of(_json_or_none(ours.body))
    their_errors = _errors_of(_json_or_none(theirs.body))
    if our_errors is None or their_errors is None:
        if ours.body == theirs.body:
            return []
        return [Mismatch('error body', ours.body, theirs.body)]
    if len(our_errors) != len(their_errors):
        return [Mismatch('number of errors', our_errors, their_errors)]
    found = []
    for index, (our_error, their_error) in enumerate(
            zip(our_errors, their_errors)):
        found.extend(_compare_error(index, our_error, their_error))
    return found


def _at_paths(document, parts, change):
    """``document`` with ``change`` applied to the values at the path
    ``parts`` (``*`` for any key or index)."""
    if not parts:
        return change(document)
    head, rest = parts[0], parts[1:]
    if isinstance(document, dict):
        keys = list(document) if head == '*' else (
            [head] if head in document else [])
    elif isinstance(document, list):
        keys = range(len(document)) if head == '*' else (
            [int(head)] if head.isdigit() and int(head) < len(document)
            else [])
    else:
        keys = []
    for key in keys:
        document[key] = _at_paths(document[key], rest, change)
    return document


def _canonical(value):
    return json.dumps(value, sort_keys=True)


def _sorted_list(value):
    return sorted(value, key=_canonical) if isinstance(value, list) else value


def _normalised(document, request):
    for path in request.ignore:
        document = _at_paths(document, path.split('/'),
                             lambda value: _IGNORED)
    for path in request.unordered:
        document = _at_paths(document, path.split('/'), _sorted_list)
    return document


def _diff(path, ours, theirs, found):
    if isinstance(ours, dict) and isinstance(theirs, dict):
        for key in sorted(set(ours) | set(theirs)):
            _diff(path + [key], ours.get(key, _ABSENT),
                  theirs.get(key, _ABSENT), found)
    elif (isinstance(ours, list) and isinstance(theirs, list)
          and len(ours) == len(theirs)):
        for index, (our_item, their_item) in enumerate(zip(ours, theirs)):
            _diff(path + [str(index)], our_item, their_item, found)
    elif _canonical(ours) != _canonical(theirs):
        # Types count: 1 is not 1.0, nor True.
        found.append(Mismatch('body ' + ('/'.join(path) or '(whole)'),
                              ours, theirs))


def _compare_bodies(request, ours, theirs):
    our_json, their_json = _json_or_none(ours.body), _json_or_none(
        theirs.body)
    if our_json is None or their_json is None:
        if ours.body == theirs.body:
            return []
        return [Mismatch('body', ours.body, theirs.body)]
    found = []
    _diff([], _normalised(our_json, request),
          _normalised(their_json, request), found)
    return found


def compare(request, ours, theirs):
    """Every Mismatch between our Response and upstream's to
    ``request``."""
    found = []
    if ours.status != theirs.status:
        found.append(Mismatch('status', ours.status, theirs.status))
    found.extend(_compare_headers(ours, theirs))
    if ours.status >= 400 and theirs.status >= 400:
        found.extend(_compare_errors(ours, theirs))
    elif ours.status < 400 and theirs.status < 400:
        found.extend(_compare_bodies(request, ours, theirs))
    return found


# Running a catalogue.

def _run(base, requests):
    return [send(base, request) for request in requests]


def start_pair(work_dir, env=None):
    """(ours, upstream's) servers, each on a fresh SQLite file, with the
    environment variables ``env`` (options, say) beside the usual, ready."""
    env = env or {}
    venv = upstream.ensure_venv()
    ours = servers.Server('sqlite:///%s' % (work_dir / 'ours.sqlite'),
                          work_dir, 0, extra_env=env)
    try:
        # upstream.Server passes on this process's environment.
        with mock.patch.dict(os.environ, env):
            theirs = upstream.Server(
                venv, 'sqlite:///%s' % (work_dir / 'upstream.sqlite'),
                work_dir)
    except BaseException:
        ours.stop()
        raise
    try:
        ours.wait_ready()
        theirs.wait_ready()
    except BaseException:
        ours.stop()
        theirs.stop()
        raise
    return ours, theirs


def run_side_by_side(requests, work_dir):
    """{request id: [Mismatch]} of ``requests`` sent in order to both
    services; each sequence runs in a thread of its own."""
    ours, theirs = start_pair(work_dir)
    try:
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            our_run = pool.submit(_run, ours.base, requests)
            their_run = pool.submit(_run, theirs.base, requests)
            our_responses, their_responses = (
                our_run.result(), their_run.result())
    finally:
        ours.stop()
        theirs.stop()
    return {request.id: compare(request, our_response, their_response)
            for request, our_response, their_response in zip(
                requests, our_responses, their_responses)}


def _once_per_run(tmp_path_factory, name, compute):
    """``compute()``, a JSON value, computed once per pytest run: xdist
    may hand a catalogue's tests to several workers, and the first one
    shares its result with the others through a file."""
    run_id = os.environ.get('PYTEST_XDIST_TESTRUNUID')
    if run_id is None:
        return compute()
    # Every worker's base directory is in the run's own.
    path = tmp_path_factory.getbasetemp().parent / (
        'side-by-side-%s-%s.json' % (run_id, name))
    with open('%s.lock' % path, 'w') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            return json.loads(path.read_text())
        result = compute()
        path.write_text(json.dumps(result))
        return result


def _report(requests, mismatches, ids):
    by_id = {request.id: request for request in requests}
    lines = []
    for request_id in ids:
        lines.append(by_id[request_id].describe())
        lines.extend(mismatches[request_id])
    return '\n'.join(lines)


def _check_tables(cls):
    ids = [request.id for request in cls.REQUESTS]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    unknown = sorted((set(cls.DELIBERATE_DIFFERENCES)
                      | set(cls.KNOWN_DIFFERENCES)) - set(ids))
    both = sorted(set(cls.DELIBERATE_DIFFERENCES)
                  & set(cls.KNOWN_DIFFERENCES))
    problems = []
    if repeated:
        problems.append('request ids used twice: %s' % ', '.join(repeated))
    if unknown:
        problems.append('differences listed for no request: %s'
                        % ', '.join(unknown))
    if both:
        problems.append('both deliberate and to fix: %s' % ', '.join(both))
    if problems:
        raise ValueError('%s: %s' % (cls.__name__, '; '.join(problems)))


class Catalogue:
    """Base of a side-by-side test class: see the module's docstring."""

    REQUESTS = ()
    DELIBERATE_DIFFERENCES = {}
    KNOWN_DIFFERENCES = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _check_tables(cls)

    def pytest_generate_tests(self, metafunc):
        if 'known_id' in metafunc.fixturenames:
            metafunc.parametrize('known_id', [
                pytest.param(request_id, id=request_id,
                             marks=pytest.mark.xfail(
                                 strict=True,
                                 # Only a difference: a server that did
                                 # not start still fails the test.
                                 raises=AssertionError,
                                 reason='to fix: %s (remove it from '
                                        'KNOWN_DIFFERENCES once it matches)'
                                        % reason))
                for request_id, reason in self.KNOWN_DIFFERENCES.items()])

    @pytest.fixture(scope='class')
    @classmethod
    def mismatches(cls, tmp_path_factory):
        """{request id: [the lines that say how it differs]}."""
        def compute():
            found = run_side_by_side(
                list(cls.REQUESTS), tmp_path_factory.mktemp('side-by-side'))
            return {request_id: [str(mismatch) for mismatch in mismatches]
                    for request_id, mismatches in found.items()}
        return _once_per_run(tmp_path_factory,
                             '%s.%s' % (cls.__module__, cls.__name__),
                             compute)

    def test_matches_upstream(self, mismatches, capsys):
        differing = [request.id for request in self.REQUESTS
                     if mismatches[request.id]]
        unlisted = [request_id for request_id in differing
                    if request_id not in self.DELIBERATE_DIFFERENCES
                    and request_id not in self.KNOWN_DIFFERENCES]
        stale = [request_id for request_id in self.DELIBERATE_DIFFERENCES
                 if not mismatches[request_id]]
        with capsys.disabled():
            print('\n%s: %d requests compared with OpenStack Placement '
                  '%s, %d differ: %d deliberate, %d known (to fix), '
                  '%d unlisted' % (
                      type(self).__name__, len(self.REQUESTS),
                      upstream.VERSION, len(differing),
                      len(set(differing) & set(self.DELIBERATE_DIFFERENCES)),
                      len(set(differing) & set(self.KNOWN_DIFFERENCES)),
                      len(unlisted)))
        problems = []
        if unlisted:
            problems.append(
                '%d requests differ from OpenStack Placement %s (list each '
                'in KNOWN_DIFFERENCES or DELIBERATE_DIFFERENCES, or fix '
                'it):\n%s' % (len(unlisted), upstream.VERSION,
                              _report(self.REQUESTS, mismatches, unlisted)))
        if stale:
            problems.append('deliberate differences that no longer differ '
                            '(remove them): %s' % ', '.join(stale))
        assert not problems, '\n\n'.join(problems)

    def test_known_difference(self, mismatches, known_id):
        assert not mismatches[known_id], _report(
            self.REQUESTS, mismatches, [known_id])
