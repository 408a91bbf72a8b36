"""Side by side with OpenStack Placement 16.0.0: the root, microversion
negotiation, routing (404, 405), media types (406, 415), bodies without a
Content-Type, authentication and policy, the order of those checks, and
query strings (the schema's message, the filter parameters' forms). See
side_by_side.py for how the comparison works and how to write a
catalogue."""
import json
import uuid

from tests.functional import side_by_side
from tests.functional.side_by_side import Catalogue
from tests.functional.side_by_side import Request

RP = 'c2f7e1a4-5b3d-4c8e-9a06-1d4f7b2e8c35'
RP2 = '9b0d6e2f-3a7c-4e15-8d94-6c1a5f8b2e07'
CONSUMER = '5e8a3c1f-7d2b-4f90-8e46-0b9c2d7a1f63'
VERSION_HEADER = 'OpenStack-API-Version'
HTML = {'Accept': 'text/html'}
# Error codes come with 1.23: each error is asked for on both sides of it.
BEFORE_CODES, WITH_CODES = '1.22', '1.23'


def _at_both_forks(request_id, method, path, **kwargs):
    """The request at 1.22 and at 1.23, when error codes appear."""
    return [Request('%s-%s' % (request_id, version), method, path,
                    version=version, **kwargs)
            for version in (BEFORE_CODES, WITH_CODES)]


ROOT = [
    Request('root', 'GET', '/'),
    Request('root-latest', 'GET', '/', version='latest'),
    Request('root-no-token', 'GET', '/', token=None),
    Request('root-empty-token', 'GET', '/', token=''),
    Request('root-head', 'HEAD', '/'),
    Request('root-too-new', 'GET', '/', version='1.40'),
]

MICROVERSIONS = [
    Request('version-none', 'GET', '/resource_providers'),
    Request('version-min', 'GET', '/resource_providers', version='1.0'),
    Request('version-max', 'GET', '/resource_providers', version='1.39'),
    Request('version-latest', 'GET', '/resource_providers',
            version='latest'),
    Request('version-letters', 'GET', '/resource_providers', version='1.a'),
    Request('version-word', 'GET', '/resource_providers', version='one'),
    Request('version-no-minor', 'GET', '/resource_providers', version='1'),
    Request('version-three-parts', 'GET', '/resource_providers',
            version='1.2.3'),
    Request('version-negative', 'GET', '/resource_providers',
            version='-1.5'),
    Request('version-leading-zero', 'GET', '/resource_providers',
            version='1.05'),
    Request('version-empty', 'GET', '/resource_providers', version=''),
    Request('version-too-new', 'GET', '/resource_providers', version='1.40'),
    Request('version-major-too-new', 'GET', '/resource_providers',
            version='2.0'),
    Request('version-too-old', 'GET', '/resource_providers', version='0.9'),
    Request('version-other-service', 'GET', '/resource_providers',
            headers={VERSION_HEADER: 'compute 2.1'}),
    Request('version-two-services', 'GET', '/resource_providers',
            headers={VERSION_HEADER: 'compute 2.1, placement 1.14'}),
    Request('version-service-upper-case', 'GET', '/resource_providers',
            headers={VERSION_HEADER: 'PLACEMENT 1.14'}),
    Request('version-bad-on-unknown-path', 'GET', '/nothing-here',
            version='1.a'),
    Request('version-too-new-on-unknown-path', 'GET', '/nothing-here',
            version='1.40'),
    Request('version-bad-on-wrong-method', 'PATCH', '/resource_providers',
            version='1.a'),
]

NOT_FOUND = [
    *_at_both_forks('unknown-path', 'GET', '/nothing-here'),
    Request('unknown-path-no-version', 'GET', '/nothing-here'),
    Request('unknown-path-trailing-slash', 'GET', '/resource_providers/',
            version='latest'),
    Request('unknown-path-prefix', 'GET', '/resource_providersX',
            version='latest'),
    Request('unknown-path-under-provider', 'GET',
            '/resource_providers/%s/nothing' % RP, version='latest'),
    Request('unknown-path-deeper', 'GET', '/traits/CUSTOM_A/B',
            version='latest'),
    Request('unknown-path-no-token', 'GET', '/nothing-here', token=None),
    # Routes that a later microversion added, asked for just before it.
    Request('resource-classes-before-1.2', 'GET', '/resource_classes',
            version='1.1'),
    Request('aggregates-before-1.1', 'GET',
            '/resource_providers/%s/aggregates' % RP, version='1.0'),
    Request('traits-before-1.6', 'GET', '/traits', version='1.5'),
    Request('usages-before-1.9', 'GET', '/usages?project_id=p',
            version='1.8'),
    Request('candidates-before-1.10', 'GET',
            '/allocation_candidates?resources=VCPU:1', version='1.9'),
    Request('allocations-post-before-1.13', 'POST', '/allocations',
            version='1.12', body={}),
    Request('reshaper-before-1.30', 'POST', '/reshaper', version='1.29',
            body={}),
]

WRONG_METHOD = [
    *_at_both_forks('patch-providers', 'PATCH', '/resource_providers'),
    Request('delete-root', 'DELETE', '/', version='latest'),
    Request('put-providers', 'PUT', '/resource_providers', version='latest',
            body={}),
    Request('post-provider', 'POST', '/resource_providers/%s' % RP,
            version='latest', body={}),
    Request('post-trait', 'POST', '/traits/CUSTOM_A', version='latest'),
    Request('patch-allocations', 'PATCH', '/allocations/%s' % CONSUMER,
            version='latest', body={}),
    Request('delete-usages', 'DELETE', '/resource_providers/%s/usages' % RP,
            version='latest'),
    Request('post-candidates', 'POST', '/allocation_candidates',
            version='latest', body={}),
    Request('get-reshaper', 'GET', '/reshaper', version='latest'),
    Request('wrong-method-no-token', 'PATCH', '/resource_providers',
            token=None),
    Request('wrong-method-non-admin', 'PATCH', '/resource_providers',
            token='alice'),
]

MEDIA_TYPES = [
    *_at_both_forks('accept-html', 'GET', '/resource_providers',
                    headers=HTML),
    Request('accept-html-root', 'GET', '/', headers=HTML),
    Request('accept-none', 'GET', '/resource_providers', version='latest',
            headers={'Accept': None}),
    Request('accept-xml', 'GET', '/traits', version='latest',
            headers={'Accept': 'application/xml'}),
    Request('accept-any', 'GET', '/resource_providers', version='latest',
            headers={'Accept': '*/*'}),
    Request('accept-application-any', 'GET', '/resource_providers',
            version='latest', headers={'Accept': 'application/*'}),
    Request('accept-json-or-html', 'GET', '/resource_providers',
            version='latest',
            headers={'Accept': 'text/html, application/json;q=0.5'}),
    Request('accept-html-unknown-path', 'GET', '/nothing-here',
            version='latest', headers=HTML),
    *_at_both_forks('content-type-text', 'POST', '/resource_providers',
                    raw='{"name": "x"}', content_type='text/plain'),
    Request('content-type-xml-put', 'PUT', '/resource_providers/%s' % RP,
            version='latest', raw='<name>x</name>',
            content_type='application/xml'),
    # A request that takes no body ignores its media type.
    Request('form-body-where-none-is-read', 'PUT', '/traits/CUSTOM_A',
            version='latest', raw='a=b',
            content_type='application/x-www-form-urlencoded'),
    *_at_both_forks('no-content-type', 'POST', '/resource_providers',
                    raw='{"name": "x"}'),
    Request('no-content-type-put', 'PUT',
            '/resource_providers/%s/inventories' % RP, version='latest',
            raw='{"resource_provider_generation": 0, "inventories": {}}'),
    Request('malformed-json', 'POST', '/resource_providers',
            version='latest', raw='{"name": ',
            content_type='application/json'),
]

AUTH = [
    *_at_both_forks('non-admin-list', 'GET', '/resource_providers',
                    token='alice'),
    Request('non-admin-with-project', 'GET', '/resource_providers',
            version='latest', token='alice:project-a'),
    Request('non-admin-create', 'POST', '/resource_providers',
            version='latest', token='alice', body={'name': 'x'}),
    Request('non-admin-unknown-path', 'GET', '/nothing-here',
            version='latest', token='alice'),
    Request('non-admin-bad-version', 'GET', '/resource_providers',
            version='1.a', token='alice'),
    *_at_both_forks('empty-token', 'GET', '/resource_providers', token=''),
    *_at_both_forks('no-token', 'GET', '/resource_providers', token=None),
    Request('no-token-create', 'POST', '/resource_providers',
            version='latest', token=None, body={'name': 'x'}),
]

# The order in which the edge checks a request, each against the next:
# a body without a Content-Type (before routing, after the microversion
# and the token), the route and its microversion, the media type of a
# JSON body (before policy and the target), the Accept header (GETs that
# answer JSON only).
EDGE_ORDER = [
    Request('untyped-body-unknown-path', 'POST', '/nothing-here',
            version='latest', raw='x'),
    Request('untyped-body-get', 'GET', '/resource_providers',
            version='latest', raw='x'),
    Request('untyped-body-root', 'GET', '/', raw='x'),
    Request('untyped-body-bodiless-route', 'PUT', '/traits/CUSTOM_UNTYPED',
            version='latest', raw='x'),
    Request('untyped-body-bad-version', 'POST', '/resource_providers',
            version='1.a', raw='x'),
    Request('untyped-body-non-admin', 'POST', '/resource_providers',
            version='latest', token='alice', raw='x'),
    Request('untyped-body-no-token', 'POST', '/resource_providers',
            version='latest', token=None, raw='x'),
    Request('untyped-body-gated-route', 'POST', '/allocations',
            version='1.12', raw='x'),
    Request('empty-content-type', 'POST', '/resource_providers',
            version='latest', raw='{"name": "x"}', content_type=''),
    Request('text-to-missing-provider-non-admin', 'PUT',
            '/resource_providers/%s' % RP2, version='latest',
            token='alice', raw='x', content_type='text/plain'),
    Request('text-to-missing-provider-traits', 'PUT',
            '/resource_providers/%s/traits' % RP2, version='latest',
            raw='x', content_type='text/plain'),
    Request('text-to-missing-consumer-non-admin', 'PUT',
            '/allocations/%s' % CONSUMER, version='latest', token='alice',
            raw='x', content_type='text/plain'),
    Request('text-to-gated-route', 'POST', '/allocations', version='1.12',
            raw='x', content_type='text/plain'),
    Request('text-with-wrong-method', 'PATCH', '/traits', version='latest',
            raw='x', content_type='text/plain'),
    Request('text-no-body', 'PUT', '/resource_providers/%s' % RP2,
            version='latest', content_type='text/plain'),
    Request('json-no-body', 'PUT', '/resource_providers/%s' % RP2,
            version='latest', content_type='application/json'),
    Request('accept-html-non-admin', 'GET', '/resource_providers',
            version='latest', token='alice', headers={'Accept': 'text/html'}),
    Request('gated-method', 'DELETE',
            '/resource_providers/%s/inventories' % RP, version='1.4'),
    Request('gated-method-non-admin', 'DELETE',
            '/resource_providers/%s/inventories' % RP, version='1.4',
            token='alice'),
    Request('gated-route-non-admin', 'GET', '/resource_classes',
            version='1.1', token='alice'),
    Request('nul-in-path', 'GET', '/resource_classes/CUSTOM_%00',
            version='latest'),
    Request('query-not-utf8', 'GET', '/traits?name=in:%FF', version='latest'),
]

# Query strings: the generic schema failure, and the forms of the filter
# parameters, at the microversions where they fork.
QUERY_STRINGS = [
    *_at_both_forks('query-unknown-parameter', 'GET',
                    '/resource_providers?colour=red'),
    Request('query-bad-uuid', 'GET', '/resource_providers?uuid=abc',
            version='latest'),
    Request('query-missing-required', 'GET', '/usages', version='1.9'),
    Request('query-empty-value', 'GET', '/usages?project_id=',
            version='1.9'),
    Request('query-repeated', 'GET', '/resource_providers?name=a&name=b',
            version='latest'),
    *[Request('query-resources-%s' % name, 'GET',
              '/resource_providers?resources=' + value, version='latest')
      for name, value in (('empty', ''), ('no-amount', 'VCPU'),
                          ('word-amount', 'VCPU:a'), ('zero', 'VCPU:0'),
                          ('negative', 'VCPU:-1'),
                          ('two-colons', 'VCPU:1:2'),
                          ('empty-item', ',VCPU:1'),
                          ('unknown-class', 'CUSTOM_NOPE:1'),
                          ('too-much', 'VCPU:2147483648'))],
    *[Request('query-member-of-%s' % name, 'GET',
              '/resource_providers?member_of=' + value, version=version)
      for name, value, version in (
          ('no-uuid', 'abc', 'latest'),
          ('any-of-no-uuid', 'in:%s,abc' % RP, 'latest'),
          ('empty', '', 'latest'),
          ('empty-any-of', 'in:', 'latest'),
          ('several-without-in', '%s,%s' % (RP, RP2), 'latest'),
          ('several-without-in-1.23', 'abc,def', '1.23'),
          ('forbidden-1.31', '!' + RP, '1.31'),
          ('forbidden-no-uuid', '!abc', 'latest'),
          ('repeated-1.23', '%s&member_of=%s' % (RP, RP2), '1.23'))],
    *[Request('query-required-%s' % name, 'GET',
              '/resource_providers?required=' + value, version=version)
      for name, value, version in (
          ('empty', '', 'latest'),
          ('bang', '!', 'latest'),
          ('empty-item', 'HW_CPU_X86_AVX,,HW_CPU_X86_SSE', 'latest'),
          ('empty-item-1.21', 'HW_CPU_X86_AVX,', '1.21'),
          ('forbidden-1.21', '!HW_CPU_X86_AVX', '1.21'),
          ('any-of-1.38', 'in:HW_CPU_X86_AVX', '1.38'),
          ('any-of-forbidden', 'in:!HW_CPU_X86_AVX', 'latest'),
          ('any-of-empty', 'in:', 'latest'),
          ('unknown', 'CUSTOM_NOPE', 'latest'))],
    Request('query-in-tree-no-uuid', 'GET', '/resource_providers?in_tree=abc',
            version='latest'),
]

# Successes, compared field by field: a provider made, read, listed and
# deleted, with the fixed uuid.
SUCCESSES = [
    Request('create-provider', 'POST', '/resource_providers',
            version='1.20', body={'name': 'basics', 'uuid': RP}),
    Request('create-provider-charset', 'POST', '/resource_providers',
            version='1.0', body={'name': 'basics-2', 'uuid': RP2},
            content_type='application/json; charset=UTF-8'),
    Request('show-provider', 'GET', '/resource_providers/%s' % RP,
            version='latest'),
    Request('list-providers', 'GET', '/resource_providers',
            version='latest', unordered=['resource_providers']),
    Request('list-providers-1.0', 'GET', '/resource_providers',
            unordered=['resource_providers']),
    # A write answers JSON whatever the client accepts.
    Request('update-provider-accept-html', 'PUT',
            '/resource_providers/%s' % RP, version='latest',
            body={'name': 'basics-renamed'},
            headers={'Accept': 'text/html'}, ignore=['generation']),
    Request('delete-provider', 'DELETE', '/resource_providers/%s' % RP,
            version='latest'),
    Request('show-deleted-provider', 'GET', '/resource_providers/%s' % RP,
            version='latest'),
]


NO_TOKEN = (
    'no X-Auth-Token, 401: upstream answers webob\'s own JSON document '
    '({"message", "code": "401 Unauthorized", "title"}, not an errors list, '
    'and no OpenStack-API-Version header); ours is the error document '
    'every error has, with the same message')
HTML_ERROR = (
    'Accept: text/html or application/xml: upstream (webob) writes its '
    'error as an HTML page or plain text; ours is always the JSON error '
    'document, with the same message')
NUL = ('a NUL character in the path or query string: ours refuses it '
       '(400), where upstream looks it up (and PostgreSQL cannot)')
REPEATED_QUERY = (
    'a single-valued query parameter given twice: ours refuses it (400, '
    'placement.query.duplicate_key), upstream takes the last value')
AMOUNT_BOUND = (
    'an amount over 2147483647 in resources=: ours refuses it (400), '
    'upstream has no bound')


class TestSideBySideBasics(Catalogue):
    REQUESTS = (ROOT + MICROVERSIONS + NOT_FOUND + WRONG_METHOD
                + MEDIA_TYPES + AUTH + EDGE_ORDER + QUERY_STRINGS
                + SUCCESSES)
    # Each also in the README's list of differences.
    DELIBERATE_DIFFERENCES = {
        'root-head': HTML_ERROR + ' (here its Content-Type, of an empty '
                                  'body)',
        'unknown-path-no-token': NO_TOKEN,
        'wrong-method-no-token': NO_TOKEN,
        'no-token-1.22': NO_TOKEN,
        'no-token-1.23': NO_TOKEN,
        'no-token-create': NO_TOKEN,
        'untyped-body-no-token': NO_TOKEN,
        'accept-html-1.22': HTML_ERROR,
        'accept-html-1.23': HTML_ERROR,
        'accept-xml': HTML_ERROR,
        'accept-html-unknown-path': HTML_ERROR,
        'accept-html-non-admin': HTML_ERROR,
        'nul-in-path': NUL,
        'query-repeated': REPEATED_QUERY,
        'query-resources-too-much': AMOUNT_BOUND,
    }
    # To fix, not deliberate: each is a strict xfail until it matches.
    KNOWN_DIFFERENCES = {}


# The comparison itself, on made-up responses: what it must report, and
# what it must not.

def _response(status, document, headers=None):
    values = dict.fromkeys(side_by_side.HEADERS)
    values['Content-Type'] = 'application/json'
    values.update(headers or {})
    return side_by_side.Response(status, values,
                                 json.dumps(document).encode())


def _error(status, title, detail, **fields):
    return {'errors': [dict(status=status, title=title, detail=detail,
                            request_id='req-%s' % uuid.uuid4(), **fields)]}


def _differences(ours, theirs, **request):
    found = side_by_side.compare(Request('r', 'GET', '/', **request),
                                 ours, theirs)
    return [mismatch.what.split(' (')[0] for mismatch in found]


def test_upstream_message_leaves_out_preamble_and_schema_dump():
    assert side_by_side.upstream_message(
        'The resource could not be found.\n\n No resource provider with '
        'uuid x found  ') == 'No resource provider with uuid x found'
    assert side_by_side.upstream_message(
        'The server could not comply with the request since it is either '
        'malformed or otherwise incorrect.\n\n JSON does not validate: 5 '
        "is not of type 'string'  Failed validating 'type' in schema: {}"
    ) == "JSON does not validate: 5 is not of type 'string'"


def test_our_detail_must_contain_upstream_message():
    theirs = _response(404, _error(
        404, 'Not Found', 'The resource could not be found.\n\n No '
        'resource provider with uuid x found  ', code='placement.x'))
    containing = _response(404, _error(
        404, 'Not Found', 'No resource provider with uuid x found.',
        code='placement.x'))
    other_words = _response(404, _error(
        404, 'Not Found', 'There is no resource provider x.',
        code='placement.x'))
    assert _differences(containing, theirs) == []
    assert _differences(other_words, theirs) == ['errors/0/detail']


def test_every_difference_of_an_error_is_reported():
    theirs = _response(405, _error(405, 'Method Not Allowed', 'm',
                                   code='placement.undefined_code'),
                       {'Allow': 'GET'})
    ours = _response(404, _error(404, 'Not Found', 'm'))
    assert _differences(ours, theirs) == [
        'status', 'header Allow', 'errors/0/code', 'errors/0/status',
        'errors/0/title']


def test_success_bodies_compared_field_by_field():
    theirs = _response(200, {'count': 1.0, 'names': ['a', 'b'],
                             'at': 'then', 'same': {'x': [1]}},
                       {'Last-Modified': 'then',
                        'Location': 'http://127.0.0.1:1/a?b=c'})
    ours = _response(200, {'count': 1, 'names': ['b', 'a'], 'at': 'now',
                           'same': {'x': [1]}},
                     {'Last-Modified': 'now',
                      'Location': 'http://127.0.0.1:2/a?b=c'})
    assert _differences(ours, theirs) == ['body at', 'body count',
                                          'body names/0', 'body names/1']
    assert _differences(ours, theirs, ignore=['at'],
                        unordered=['names']) == ['body count']
    assert _differences(
        _response(200, {}), _response(200, {}, {'Last-Modified': 'x'})
    ) == ['header Last-Modified']
