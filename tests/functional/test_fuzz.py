"""Generated hostile requests (hypothesis) against every route and method.

Where the bad-input sweep (test_bad_input.py) sends requests written out
one by one, this test has hypothesis make them: a route of the route
table and a method (now and then one it does not take), path values,
query strings, headers and bodies drawn from values that services get
wrong (huge and negative integers, floats where integers belong, NaN,
unicode and control characters, long text, SQL-like text, bad uuids,
invalid UTF-8, deeply nested JSON, repeated parameters, bad microversion
headers), and good bodies with one part of them replaced, removed or
added to. They run against the World of the sweep (providers, traits,
aggregates, allocations that exist) on every backend.

Whatever the request, the answer is never a 5xx; an error is the JSON
error document with its status; a success with a body is JSON; and a
good request is answered after every one.

PLACEMENT_TEST_FUZZ_EXAMPLES sets the requests per backend (300 unless
told; CI sets it).
"""
import collections
import json
import os
import urllib.parse

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
import pytest

from placement import router
from tests import databases
from tests.functional import bad_bodies
from tests.functional import bad_requests as bad
from tests.functional.test_bad_input import worlds  # noqa: F401 fixture

EXAMPLES = int(os.environ.get('PLACEMENT_TEST_FUZZ_EXAMPLES', '300'))

ROUTES = sorted((method, template)
                for template, methods in router.ROUTES.items()
                for method in methods)
TEMPLATES = sorted(router.ROUTES)

QUERY_NAMES = (
    'resources', 'required', 'member_of', 'in_tree', 'limit',
    'group_policy', 'same_subtree', 'root_required', 'name', 'uuid',
    'project_id', 'user_id', 'consumer_type', 'associated', 'only',
    'resources1', 'required_X', 'member_of2', 'in_tree_A', 'resources_',
)

GOOD_PATH_VALUES = (bad.ROOT, bad.CHILD, bad.UNKNOWN, bad.CONSUMER,
                    bad.NEW_CONSUMER, bad.CUSTOM_CLASS, bad.CUSTOM_TRAIT,
                    bad.STANDARD_TRAIT, 'VCPU', 'MEMORY_MB',
                    'CUSTOM_FUZZ_NEW')

SQL_LIKE = ("' OR '1'='1", "'; DROP TABLE resource_providers; --", '%',
            '_', '\\', '"', '%00', 'NULL', '1; SELECT 1', '*')

BAD_UUIDS = ('', 'not-a-uuid', bad.ROOT.upper(), bad.ROOT.replace('-', ''),
             bad.ROOT + 'x', bad.ROOT[:-1], '{%s}' % bad.ROOT,
             'urn:uuid:' + bad.ROOT)

texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x1f), max_size=10),
    st.sampled_from(SQL_LIKE + BAD_UUIDS),
    st.builds(lambda part, times: part * times,
              st.text(min_size=1, max_size=3), st.integers(200, 3000)),
)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(),
    st.integers(min_value=-2 ** 70, max_value=2 ** 70),
    st.sampled_from([0, -1, 2 ** 31 - 1, 2 ** 31, 2 ** 63, -2 ** 63 - 1]),
    st.floats(), st.sampled_from([0.5, 1e400, -0.0, 1.0000001]),
    st.sampled_from([bad_bodies.Raw('NaN'), bad_bodies.Raw('1e400'),
                     bad_bodies.Raw('-Infinity')]),
    texts,
)

json_values = st.recursive(
    scalars, lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(texts, children, max_size=4)),
    max_leaves=12)


def _deeply_nested(depth, kind):
    if kind == 'list':
        return b'[' * depth + b']' * depth
    return b'{"a":' * depth + b'1' + b'}' * depth


raw_bodies = st.one_of(
    st.binary(max_size=64),
    st.builds(_deeply_nested, st.sampled_from([32, 900, 1001, 5000]),
              st.sampled_from(['list', 'object'])),
    st.sampled_from([b'', b'{', b'null', b'{"a": 1, "a": 2}',
                     b'\xff\xfe{}', b'{"\xff": 1}']),
)


def _quoted(value):
    if isinstance(value, bytes):
        return urllib.parse.quote_from_bytes(value, safe='')
    return urllib.parse.quote(value, safe='', errors='surrogatepass')


hostile_path_values = st.one_of(texts, st.binary(min_size=1, max_size=8))

query_names = st.one_of(st.sampled_from(QUERY_NAMES), texts,
                        st.binary(min_size=1, max_size=4))
query_values = st.one_of(
    st.sampled_from(['VCPU:1', 'VCPU:1,MEMORY_MB:256', bad.STANDARD_TRAIT,
                     '!' + bad.STANDARD_TRAIT, 'in:' + bad.AGGREGATE,
                     bad.ROOT, '1', 'none', 'isolate']),
    texts, st.binary(max_size=4),
    st.integers().map(str))

GOOD_VERSIONS = ['placement 1.%d' % minor for minor in range(40)] + [
    'placement latest']

bad_versions = st.one_of(
    st.sampled_from(['placement 1.40', 'placement 2.0', 'placement 1.',
                     'compute 1.2', 'placement', 'placement 1.01', '']),
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7e),
            max_size=20))

content_types = st.sampled_from([
    'text/plain', 'application/x-www-form-urlencoded',
    'application/json; charset=latin1', None])


def _mostly(draw, usual, unusual, one_in=5):
    """A draw of ``usual``, or of ``unusual`` one time in ``one_in``: the
    usual value gets a request past the checks before the one fuzzed."""
    if draw(st.integers(1, one_in)) == 1:
        return draw(unusual)
    return draw(usual)


@st.composite
def mutated(draw, value):
    """``value`` with one part replaced, removed, or added to."""
    if not isinstance(value, (dict, list)) or not value \
            or draw(st.integers(0, 3)) == 0:
        return draw(json_values)
    if isinstance(value, dict):
        key = draw(st.sampled_from(sorted(value)))
        action = draw(st.sampled_from(['into', 'drop', 'add']))
        changed = dict(value)
        if action == 'drop':
            del changed[key]
        elif action == 'add':
            changed[draw(texts)] = draw(json_values)
        else:
            changed[key] = draw(mutated(value[key]))
        return changed
    index = draw(st.integers(0, len(value) - 1))
    changed = list(value)
    changed[index] = draw(mutated(value[index]))
    return changed


def _good_body(method, template, version, state):
    spec = bad.SPECS.get((method, template))
    if spec is None or spec.body is None:
        return None
    return bad_bodies.render(spec.body(version, state))


@st.composite
def requests(draw, state):
    """(method, path, headers, body bytes or None)."""
    if draw(st.integers(0, 9)) == 0:
        template = draw(st.sampled_from(TEMPLATES))
        method = draw(st.sampled_from(['GET', 'PUT', 'POST', 'DELETE',
                                       'PATCH', 'HEAD', 'OPTIONS']))
    else:
        method, template = draw(st.sampled_from(ROUTES))
    path = '/'.join(
        _quoted(_mostly(draw, st.sampled_from(GOOD_PATH_VALUES),
                        hostile_path_values, one_in=3))
        if part.startswith('{') else part
        for part in template.split('/'))
    pairs = draw(st.lists(st.tuples(query_names, query_values), max_size=4))
    if pairs:
        path += '?' + '&'.join('%s=%s' % (_quoted(name), _quoted(value))
                               for name, value in pairs)
    version = _mostly(draw, st.sampled_from(GOOD_VERSIONS), bad_versions)
    headers = {'OpenStack-API-Version': version}
    headers.update(bad._ROUTE_HEADERS.get(template, {}))
    content_type = _mostly(draw, st.just('application/json'),
                           content_types)
    if content_type:
        headers['Content-Type'] = content_type
    numbers = version.rpartition(' ')[2].replace('latest', bad.LATEST)
    good = None
    if numbers.startswith('1.') and numbers[2:].isdigit():
        good = _good_body(method, template, numbers, state)
    choice = draw(st.integers(0, 7))
    if choice == 0 or (method in ('GET', 'DELETE') and choice < 7):
        body = None
    elif choice <= 2:
        body = draw(raw_bodies)
    elif choice == 3 or good is None:
        body = bad_bodies.encode(draw(json_values))
    else:
        body = bad_bodies.encode(draw(mutated(good)))
    return method, path, headers, body


# What an error body shows only if the service leaks its insides (unless
# the request itself said it, which a detail may quote).
LEAKS = (b'Traceback', b'.py"', b'sqlalche.me', b'psycopg2', b'pymysql',
         b'sqlite3', b'SELECT ', b'INSERT INTO')


def _problem(status, headers, body, sent=b''):
    """What is wrong with an answer to the request ``sent`` (its path,
    headers and body as bytes), or None."""
    leaked = [leak for leak in LEAKS if leak in body and leak not in sent]
    if leaked:
        return 'a %d showing %s: %s' % (status, leaked, body[:300])
    if status >= 500:
        return 'answered %d: %s' % (status, body[:300])
    if status == 204 or not body:
        return None
    if not headers.get('Content-Type', '').startswith('application/json'):
        return 'a %d of type %s' % (status, headers.get('Content-Type'))
    try:
        document = json.loads(body)
    except ValueError:
        return 'a %d that is not JSON: %s' % (status, body[:300])
    if status >= 400:
        try:
            error = document['errors'][0]
        except (KeyError, IndexError, TypeError):
            return 'a %d without the error document: %s' % (
                status, body[:300])
        if error.get('status') != status:
            return 'a %d whose document says %r' % (status,
                                                    error.get('status'))
    return None


@pytest.mark.parametrize('backend_name', databases.selected_backends())
def test_generated_requests_never_break_the_service(worlds,  # noqa: F811
                                                    backend_name, capsys):
    world = worlds(backend_name)
    state = world.state()
    statuses = collections.Counter()
    problems = []

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(requests(state))
    def check(request):
        method, path, headers, body = request
        status, answer_headers, answer = world.client.request(
            method, path, body, headers)
        statuses[status // 100 * 100] += 1
        sent = b' '.join([urllib.parse.unquote_to_bytes(path),
                          repr(headers).encode(), body or b''])
        problem = _problem(status, answer_headers, answer, sent)
        if problem:
            problems.append('%s %s %r %r: %s' % (
                method, path[:200], headers, (body or b'')[:200], problem))
        good = world.client.request(
            'GET', '/resource_classes',
            headers={'OpenStack-API-Version': 'placement 1.39'})
        assert good[0] == 200, good

    check()
    world.reset()
    with capsys.disabled():
        print('\nfuzz %s: %d requests, %s, %d problems' % (
            backend_name, sum(statuses.values()),
            ', '.join('%dxx %d' % (status // 100, count)
                      for status, count in sorted(statuses.items())),
            len(problems)))
    assert not problems, '\n'.join(problems[:20])
