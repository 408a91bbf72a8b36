"""The bad-input sweep: every path and method of the route table, fed
malformed bodies, query strings, path values and headers at several
microversions (see bad_requests.py), against providers, inventories,
traits, aggregates and allocations that exist.

Every such request must get a 4xx with the JSON error document, and
leave the data as it was; good requests must still work after them.
Those that the service gets wrong today are listed in KNOWN_FAILURES and
each is run on its own, expected to fail. A test that changed the data
makes it anew for the next one.

PLACEMENT_TEST_BAD_INPUT_CASES caps the requests per path and backend
(0, the default, sends them all, about 7,000; a cap sends an even spread
of them).
"""
import collections
import functools
import json
import os

import pytest
import webob

from placement import deploy
from placement.objects import standard
from placement import router
from tests import databases
from tests.functional import bad_requests as bad

CODES_FROM = (1, 23)

Known = collections.namedtuple('Known', 'route label why backends')


# Bad requests that the service does not refuse properly yet, as Known
# entries: the route and case label, why, and the backends where it fails
# (None: all). Each of their cases (at every microversion) runs on its
# own, strictly expected to fail, so that the rest of the sweep stays
# strict and a fix shows. None today.
KNOWN_FAILURES = []


def known_failure(case_id):
    """The Known entry of ``case_id``, or None."""
    method, template, _version, label = case_id.split(' ', 3)
    for known in KNOWN_FAILURES:
        if known.route == '%s %s' % (method, template) \
                and known.label == label:
            return known
    return None


def _cap():
    return int(os.environ.get('PLACEMENT_TEST_BAD_INPUT_CASES', '0'))


class AppClient:
    """Requests to the in-process application, as an admin."""

    def __init__(self, app):
        self.app = app

    def request(self, method, path, body=None, headers=None):
        request = webob.Request.blank(path, method=method)
        request.headers['X-Auth-Token'] = 'admin'
        for name, value in (headers or {}).items():
            request.headers[name] = value
        if body is not None:
            request.body = body
        response = request.get_response(self.app)
        return response.status_int, response.headers, response.body


def send(client, method, path, body=None, version=bad.LATEST):
    headers = {'OpenStack-API-Version': 'placement %s' % version}
    if body is not None:
        headers['Content-Type'] = 'application/json'
        body = json.dumps(body).encode()
    return client.request(method, path, body, headers)


class World:
    """The data the sweep runs against, and what its reads answered.

    ``empty`` empties the database (to the standard classes and traits).
    """

    def __init__(self, client, empty):
        self.client, self.empty = client, empty
        self.reset()

    def reset(self):
        self.empty()
        for method, path, body in bad.WORLD_SETUP:
            status, _headers, answer = send(self.client, method, path, body)
            assert 200 <= status < 300, (method, path, status, answer)
        self.snapshot = self.read()

    def read(self):
        answers = {}
        for path in bad.SNAPSHOT_PATHS:
            status, _headers, body = send(self.client, 'GET', path)
            assert status == 200, (path, status, body)
            answers[path] = json.loads(body)
        return answers

    def changes(self):
        """The reads whose answers changed; if any did, the data is made
        anew for the next test."""
        now = self.read()
        changed = sorted(path for path in now
                         if now[path] != self.snapshot[path])
        if changed:
            self.reset()
        return changed

    def state(self):
        """The generations that good bodies would name."""
        root = '/resource_providers/%s' % bad.ROOT
        consumer = '/allocations/%s' % bad.CONSUMER
        return {
            'generation': self.snapshot[root]['generation'],
            'consumer_generation':
                self.snapshot[consumer]['consumer_generation'],
        }


@pytest.fixture(scope='session')
def worlds(tmp_path_factory):
    """A World on each backend, on a database of its own (the other tests
    empty theirs), made once per test process."""
    made = {}

    def world_on(backend):
        if backend not in made:
            url, cleanup = databases.create_database(
                backend, tmp_path_factory.mktemp('bad-input-' + backend))
            db = databases.fresh_database(url)
            app = deploy.make_app(databases.make_conf(url), db=db)

            def empty():
                databases.empty_database(url)
                standard.ensure_synced(db)

            made[backend] = (World(AppClient(app), empty), db, cleanup)
        return made[backend][0]

    yield world_on
    for _world, db, cleanup in made.values():
        db.dispose()
        cleanup()


def _version_tuple(version):
    return tuple(int(part) for part in version.split('.'))


def _has_version_header(case):
    return case.headers['OpenStack-API-Version'] == (
        'placement %s' % case.version)


def problem_with(client, case):
    """What is wrong with the answer to ``case``, or None."""
    status, headers, body = client.request(case.method, case.path,
                                           case.body, case.headers)
    if not 400 <= status < 500:
        return 'answered %d: %s' % (status, body[:300])
    if headers.get('Content-Type') != 'application/json':
        return 'a %d of type %s' % (status, headers.get('Content-Type'))
    try:
        error = json.loads(body)['errors'][0]
    except (ValueError, KeyError, IndexError, TypeError):
        return 'a %d without the error document: %s' % (status, body[:300])
    if error.get('status') != status:
        return 'a %d whose document says %r' % (status, error.get('status'))
    if not error.get('title') or not error.get('detail'):
        return 'a %d without a title or detail: %s' % (status, error)
    wants_code = (_has_version_header(case)
                  and _version_tuple(case.version) >= CODES_FROM)
    if wants_code != ('code' in error):
        return 'a %d %s a code: %s' % (
            status, 'without' if wants_code else 'with', error)
    return None


def _spread(cases, cap):
    """At most ``cap`` of ``cases``, evenly spread over them."""
    if not cap or len(cases) <= cap:
        return cases
    step = len(cases) / cap
    return [cases[int(index * step)] for index in range(cap)]


@functools.lru_cache(maxsize=4)
def _cases(template, state_items):
    return {case.id: case
            for case in bad.cases_for_path(template, dict(state_items))}


def cases_for(template, world):
    """{id: case} of ``template`` for the world as it is."""
    return _cases(template, tuple(sorted(world.state().items())))


def sweep_cases(template, world):
    cases = [case for case_id, case in cases_for(template, world).items()
             if known_failure(case_id) is None]
    return _spread(cases, _cap())


BACKENDS = databases.selected_backends()


@pytest.mark.parametrize('backend_name', BACKENDS)
@pytest.mark.parametrize('template', list(router.ROUTES))
def test_bad_requests_are_refused(worlds, backend_name, template):
    world = worlds(backend_name)
    problems = []
    for case in sweep_cases(template, world):
        problem = problem_with(world.client, case)
        if problem is not None:
            problems.append('%s: %s' % (case.id, problem))
    changed = world.changes()
    assert not problems, '%d bad requests not refused:\n%s' % (
        len(problems), '\n'.join(problems[:40]))
    assert not changed, 'the sweep changed what these answer: %s' % changed


def _all_case_ids():
    # Ids do not depend on the generations.
    state = {'generation': 0, 'consumer_generation': 0}
    return [case.id for template in router.ROUTES
            for case in bad.cases_for_path(template, state)]


def _known_failure_params():
    for case_id in _all_case_ids():
        known = known_failure(case_id)
        if known is None:
            continue
        for backend in BACKENDS:
            marks = ()
            if known.backends is None or backend in known.backends:
                marks = pytest.mark.xfail(reason=known.why, strict=True)
            yield pytest.param(backend, case_id, marks=marks,
                               id='%s-%s' % (backend, case_id))


@pytest.mark.parametrize('backend_name, case_id',
                         list(_known_failure_params()))
def test_known_failure(worlds, backend_name, case_id):
    world = worlds(backend_name)
    case = cases_for(case_id.split(' ')[1], world)[case_id]
    problem = problem_with(world.client, case)
    changed = world.changes()
    assert problem is None, problem
    assert not changed, 'the request changed what these answer: %s' % (
        changed)


@pytest.mark.parametrize('backend_name', BACKENDS)
def test_good_requests_work_after_bad_ones(worlds, backend_name):
    world = worlds(backend_name)
    client = world.client
    for template in router.ROUTES:
        case = sweep_cases(template, world)[0]
        assert problem_with(client, case) is None, case.id
    state = world.state()
    root = '/resource_providers/%s' % bad.ROOT
    status, _headers, body = send(client, 'PUT', root + '/traits', {
        'resource_provider_generation': state['generation'],
        'traits': [bad.CUSTOM_TRAIT]})
    assert status == 200, body
    assert json.loads(body)['traits'] == [bad.CUSTOM_TRAIT]
    status, _headers, body = send(
        client, 'PUT', '/allocations/%s' % bad.CONSUMER, {
            'allocations': {bad.ROOT: {'resources': {'VCPU': 3}}},
            'project_id': bad.PROJECT, 'user_id': bad.USER,
            'consumer_generation': state['consumer_generation'],
            'consumer_type': 'INSTANCE'})
    assert status == 204, body
    status, _headers, body = send(client, 'GET',
                                  '/allocations/%s' % bad.CONSUMER)
    assert json.loads(body)['allocations'][bad.ROOT]['resources'] == {
        'VCPU': 3}
    status, _headers, body = send(client, 'POST', '/resource_providers', {
        'name': 'sweep-new', 'uuid': bad.UNKNOWN})
    assert status == 200, body
    assert world.changes()


def test_every_route_and_method_is_swept():
    assert set(bad.SPECS) == bad.routes()


def test_case_ids_are_unique():
    ids = _all_case_ids()
    assert len(ids) == len(set(ids)), sorted(
        case_id for case_id in set(ids) if ids.count(case_id) > 1)[:10]


def test_every_known_failure_names_cases():
    ids = _all_case_ids()
    for known in KNOWN_FAILURES:
        assert any(known_failure(case_id) == known for case_id in ids), (
            known)
