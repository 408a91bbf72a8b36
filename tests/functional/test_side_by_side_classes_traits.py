"""Side by side with OpenStack Placement 16.0.0: /resource_classes and
/traits, every route and method at the microversions where they fork
(1.2 and 1.6 when they appear, 1.7 when PUT of a class stops renaming,
1.15 for the cache headers, 1.22/1.23 for error codes), each error they
can answer and their successes. See side_by_side.py for how the comparison
works."""
from tests.functional.side_by_side import Catalogue
from tests.functional.side_by_side import Request

RP = '3d9c6a1e-8f2b-4a57-b0c4-6e1d2f7a9b83'
# Error codes come with 1.23: each error is asked for on both sides of it.
BEFORE_CODES, WITH_CODES = '1.22', '1.23'
TOO_LONG = 'CUSTOM_' + 'A' * 249
LONGEST = 'CUSTOM_' + 'A' * 248


def _at_both_forks(request_id, method, path, **kwargs):
    """The request at 1.22 and at 1.23, when error codes appear."""
    return [Request('%s-%s' % (request_id, version), method, path,
                    version=version, **kwargs)
            for version in (BEFORE_CODES, WITH_CODES)]


def _create_class(request_id, body, version='1.2', **kwargs):
    return Request(request_id, 'POST', '/resource_classes', body=body,
                   version=version, **kwargs)


CLASS_LIST = [
    Request('classes-before-1.2', 'GET', '/resource_classes', version='1.1'),
    Request('classes-list-1.2', 'GET', '/resource_classes', version='1.2'),
    Request('classes-list-1.14', 'GET', '/resource_classes', version='1.14'),
    Request('classes-list-1.15', 'GET', '/resource_classes', version='1.15'),
    Request('classes-list-no-version', 'GET', '/resource_classes'),
    Request('classes-list-query-ignored', 'GET', '/resource_classes?x=1',
            version='1.2'),
    Request('classes-list-non-admin', 'GET', '/resource_classes',
            version='latest', token='alice'),
    Request('classes-list-accept-html-before-1.2', 'GET',
            '/resource_classes', version='1.1',
            headers={'Accept': 'text/html'}),
    Request('classes-patch', 'PATCH', '/resource_classes', version='latest'),
    Request('classes-delete-all', 'DELETE', '/resource_classes',
            version='latest'),
]

CLASS_CREATE = [
    Request('class-create-before-1.2', 'POST', '/resource_classes',
            version='1.1', body={'name': 'CUSTOM_EARLY'}),
    _create_class('class-create', {'name': 'CUSTOM_GOLD'}),
    _create_class('class-create-longest', {'name': LONGEST}),
    *[_create_class('class-create-duplicate-%s' % version,
                    {'name': 'CUSTOM_GOLD'}, version=version)
      for version in (BEFORE_CODES, WITH_CODES)],
    _create_class('class-create-duplicate-standard', {'name': 'VCPU'}),
    *[_create_class('class-create-not-custom-%s' % version,
                    {'name': 'GOLD'}, version=version)
      for version in (BEFORE_CODES, WITH_CODES)],
    _create_class('class-create-lower-case', {'name': 'CUSTOM_gold'}),
    _create_class('class-create-prefix-only', {'name': 'CUSTOM_'}),
    _create_class('class-create-too-long', {'name': TOO_LONG}),
    _create_class('class-create-number', {'name': 5}),
    _create_class('class-create-null', {'name': None}),
    _create_class('class-create-no-name', {}),
    _create_class('class-create-misspelt', {'nam': 'CUSTOM_X'}),
    _create_class('class-create-extra', {'name': 'CUSTOM_X', 'x': 1}),
    _create_class('class-create-list', []),
    _create_class('class-create-string', 'CUSTOM_X'),
    _create_class('class-create-nul', {'name': 'CUSTOM_\x00'}),
    Request('class-create-malformed', 'POST', '/resource_classes',
            version='1.2', raw='{"name": ', content_type='application/json'),
    Request('class-create-empty-body', 'POST', '/resource_classes',
            version='1.2', raw='', content_type='application/json'),
    Request('class-create-not-utf8', 'POST', '/resource_classes',
            version='1.2', raw=b'{"name": "\xff"}',
            content_type='application/json'),
    Request('class-create-text', 'POST', '/resource_classes', version='1.2',
            raw='{"name": "CUSTOM_X"}', content_type='text/plain'),
    Request('class-create-no-content-type', 'POST', '/resource_classes',
            version='1.2', raw='{"name": "CUSTOM_X"}'),
    Request('class-create-no-body', 'POST', '/resource_classes',
            version='1.2'),
    Request('class-create-non-admin', 'POST', '/resource_classes',
            version='latest', token='alice', body={'name': 'CUSTOM_X'}),
    Request('class-create-non-admin-bad-body', 'POST', '/resource_classes',
            version='latest', token='alice', body={'nonsense': True}),
    # The media type is checked before policy.
    Request('class-create-non-admin-text', 'POST', '/resource_classes',
            version='latest', token='alice', raw='x',
            content_type='text/plain'),
    Request('class-create-nan', 'POST', '/resource_classes', version='1.2',
            raw='{"name": NaN}', content_type='application/json'),
    Request('class-create-accept-html', 'POST', '/resource_classes',
            version='1.2', body={'name': 'CUSTOM_HTML'},
            headers={'Accept': 'text/html'}),
    Request('class-create-latest', 'POST', '/resource_classes',
            version='latest', body={'name': 'CUSTOM_SILVER'}),
]

CLASS_SHOW = [
    Request('class-show-before-1.2', 'GET', '/resource_classes/VCPU',
            version='1.1'),
    Request('class-show-standard', 'GET', '/resource_classes/VCPU',
            version='1.2'),
    Request('class-show-custom', 'GET', '/resource_classes/CUSTOM_GOLD',
            version='1.2'),
    Request('class-show-1.15', 'GET', '/resource_classes/CUSTOM_GOLD',
            version='1.15'),
    Request('class-show-standard-1.15', 'GET', '/resource_classes/VCPU',
            version='1.15'),
    *_at_both_forks('class-show-missing', 'GET',
                    '/resource_classes/CUSTOM_NOPE'),
    Request('class-show-lower-case', 'GET', '/resource_classes/vcpu',
            version='latest'),
    Request('class-show-not-a-name', 'GET', '/resource_classes/no%20such',
            version='latest'),
    Request('class-show-non-admin', 'GET', '/resource_classes/VCPU',
            version='latest', token='alice'),
    Request('class-show-accept-html', 'GET', '/resource_classes/VCPU',
            version='latest', headers={'Accept': 'text/html'}),
    Request('class-post-to-one', 'POST', '/resource_classes/VCPU',
            version='latest', body={}),
    Request('class-patch', 'PATCH', '/resource_classes/VCPU',
            version='latest'),
]

# PUT /resource_classes/{name}: a rename from 1.2 to 1.6.
CLASS_RENAME = [
    Request('class-put-before-1.2', 'PUT', '/resource_classes/CUSTOM_GOLD',
            version='1.1', body={'name': 'CUSTOM_X'}),
    _create_class('class-create-to-rename', {'name': 'CUSTOM_OLD'}),
    Request('class-rename', 'PUT', '/resource_classes/CUSTOM_OLD',
            version='1.2', body={'name': 'CUSTOM_NEW'}),
    Request('class-renamed-gone', 'GET', '/resource_classes/CUSTOM_OLD',
            version='1.2'),
    Request('class-renamed-there', 'GET', '/resource_classes/CUSTOM_NEW',
            version='1.2'),
    Request('class-rename-to-itself', 'PUT', '/resource_classes/CUSTOM_NEW',
            version='1.6', body={'name': 'CUSTOM_NEW'}),
    *[Request('class-rename-to-existing-%s' % version, 'PUT',
              '/resource_classes/CUSTOM_NEW', version=version,
              body={'name': 'CUSTOM_GOLD'})
      for version in ('1.2', '1.6')],
    Request('class-rename-to-standard', 'PUT',
            '/resource_classes/CUSTOM_NEW', version='1.6',
            body={'name': 'VCPU'}),
    Request('class-rename-standard', 'PUT', '/resource_classes/VCPU',
            version='1.6', body={'name': 'CUSTOM_VCPU'}),
    Request('class-rename-standard-to-existing', 'PUT',
            '/resource_classes/VCPU', version='1.6',
            body={'name': 'CUSTOM_GOLD'}),
    Request('class-rename-missing', 'PUT', '/resource_classes/CUSTOM_NOPE',
            version='1.6', body={'name': 'CUSTOM_X'}),
    Request('class-rename-missing-bad-body', 'PUT',
            '/resource_classes/CUSTOM_NOPE', version='1.6',
            body={'name': 'bad'}),
    Request('class-rename-no-body', 'PUT', '/resource_classes/CUSTOM_NEW',
            version='1.6'),
    Request('class-rename-text', 'PUT', '/resource_classes/CUSTOM_NOPE',
            version='1.6', raw='x', content_type='text/plain'),
    Request('class-rename-extra', 'PUT', '/resource_classes/CUSTOM_NEW',
            version='1.6', body={'name': 'CUSTOM_X', 'x': 1}),
    Request('class-rename-too-long', 'PUT', '/resource_classes/CUSTOM_NEW',
            version='1.6', body={'name': TOO_LONG}),
    Request('class-rename-non-admin', 'PUT', '/resource_classes/CUSTOM_NEW',
            version='1.6', token='alice', body={'name': 'CUSTOM_X'}),
    Request('class-rename-accept-html', 'PUT',
            '/resource_classes/CUSTOM_NEW', version='1.6',
            body={'name': 'CUSTOM_NEWER'}, headers={'Accept': 'text/html'}),
]

# PUT /resource_classes/{name} from 1.7: make sure it exists, no body.
CLASS_ENSURE = [
    Request('class-ensure', 'PUT', '/resource_classes/CUSTOM_BRONZE',
            version='1.7'),
    Request('class-ensure-again', 'PUT', '/resource_classes/CUSTOM_BRONZE',
            version='1.7'),
    Request('class-ensure-1.15', 'PUT', '/resource_classes/CUSTOM_TIN',
            version='1.15'),
    Request('class-ensure-again-1.15', 'PUT',
            '/resource_classes/CUSTOM_TIN', version='1.15'),
    Request('class-ensure-body-ignored', 'PUT',
            '/resource_classes/CUSTOM_COPPER', version='1.7',
            body={'name': 'CUSTOM_OTHER'}),
    Request('class-ensure-text-ignored', 'PUT',
            '/resource_classes/CUSTOM_IRON', version='latest', raw='x',
            content_type='text/plain'),
    *_at_both_forks('class-ensure-standard', 'PUT',
                    '/resource_classes/VCPU'),
    Request('class-ensure-not-custom', 'PUT', '/resource_classes/GOLD',
            version='latest'),
    Request('class-ensure-lower-case', 'PUT', '/resource_classes/CUSTOM_a',
            version='latest'),
    Request('class-ensure-too-long', 'PUT', '/resource_classes/' + TOO_LONG,
            version='latest'),
    Request('class-ensure-longest', 'PUT',
            '/resource_classes/CUSTOM_' + 'B' * 248, version='latest'),
    Request('class-ensure-non-admin', 'PUT', '/resource_classes/CUSTOM_X',
            version='latest', token='alice'),
    Request('class-ensure-non-admin-bad-name', 'PUT',
            '/resource_classes/GOLD', version='latest', token='alice'),
    Request('class-ensure-accept-html', 'PUT',
            '/resource_classes/CUSTOM_HTML2', version='latest',
            headers={'Accept': 'text/html'}),
]

CLASS_DELETE = [
    Request('class-delete-before-1.2', 'DELETE',
            '/resource_classes/CUSTOM_GOLD', version='1.1'),
    Request('class-delete', 'DELETE', '/resource_classes/CUSTOM_COPPER',
            version='1.2'),
    *_at_both_forks('class-delete-missing', 'DELETE',
                    '/resource_classes/CUSTOM_COPPER'),
    *_at_both_forks('class-delete-standard', 'DELETE',
                    '/resource_classes/VCPU'),
    Request('class-delete-not-a-class', 'DELETE', '/resource_classes/vcpu',
            version='latest'),
    Request('class-delete-non-admin', 'DELETE',
            '/resource_classes/CUSTOM_GOLD', version='latest',
            token='alice'),
    Request('class-delete-non-admin-missing', 'DELETE',
            '/resource_classes/CUSTOM_NOPE', version='latest',
            token='alice'),
    # In use: a provider with an inventory of the class.
    Request('create-provider', 'POST', '/resource_providers',
            version='1.20', body={'name': 'classes-traits', 'uuid': RP}),
    Request('class-put-inventory', 'PUT',
            '/resource_providers/%s/inventories' % RP, version='1.2',
            body={'resource_provider_generation': 0,
                  'inventories': {'CUSTOM_GOLD': {'total': 1}}}),
    *_at_both_forks('class-delete-in-use', 'DELETE',
                    '/resource_classes/CUSTOM_GOLD'),
    Request('class-rename-in-use', 'PUT', '/resource_classes/CUSTOM_GOLD',
            version='1.6', body={'name': 'CUSTOM_PLATINUM'}),
    Request('class-show-renamed-in-use', 'GET',
            '/resource_providers/%s/inventories' % RP, version='1.2'),
    Request('classes-list-end', 'GET', '/resource_classes', version='1.2'),
    # Last: upstream's pattern ends in a Python "$", which matches before
    # a final newline, so it stores the class (and then fails to answer).
    _create_class('class-create-trailing-newline', {'name': 'CUSTOM_NL\n'}),
]

TRAIT_LIST = [
    Request('traits-before-1.6', 'GET', '/traits', version='1.5'),
    Request('traits-list', 'GET', '/traits', version='1.6',
            unordered=['traits']),
    Request('traits-list-1.15', 'GET', '/traits', version='1.15',
            unordered=['traits']),
    Request('traits-list-no-version', 'GET', '/traits'),
    Request('traits-in', 'GET',
            '/traits?name=in:HW_CPU_X86_AVX,HW_CPU_X86_SSE,CUSTOM_NOPE',
            version='1.6', unordered=['traits']),
    Request('traits-in-empty-item', 'GET',
            '/traits?name=in:HW_CPU_X86_AVX,,HW_CPU_X86_SSE',
            version='1.6', unordered=['traits']),
    Request('traits-in-nothing', 'GET', '/traits?name=in:', version='1.6'),
    Request('traits-startswith', 'GET', '/traits?name=startswith:HW_CPU_X86_A',
            version='1.6', unordered=['traits']),
    Request('traits-startswith-nothing', 'GET', '/traits?name=startswith:',
            version='1.6', unordered=['traits']),
    Request('traits-associated-true', 'GET', '/traits?associated=true',
            version='1.6'),
    Request('traits-associated-false', 'GET',
            '/traits?associated=false&name=startswith:HW_CPU_X86_A',
            version='1.6', unordered=['traits']),
    Request('traits-associated-upper-case', 'GET',
            '/traits?associated=TRUE', version='1.6'),
    *_at_both_forks('traits-associated-bad', 'GET',
                    '/traits?associated=maybe'),
    Request('traits-associated-empty', 'GET', '/traits?associated=',
            version='latest'),
    *_at_both_forks('traits-name-bad', 'GET', '/traits?name=foo'),
    Request('traits-name-empty', 'GET', '/traits?name=', version='latest'),
    Request('traits-name-operator-only', 'GET', '/traits?name=in',
            version='latest'),
    Request('traits-name-unknown-operator', 'GET', '/traits?name=like:HW',
            version='latest'),
    *_at_both_forks('traits-unknown-parameter', 'GET', '/traits?foo=bar'),
    Request('traits-repeated-parameter', 'GET',
            '/traits?name=in:HW_CPU_X86_AVX&name=in:HW_CPU_X86_SSE',
            version='latest'),
    Request('traits-non-admin', 'GET', '/traits', version='latest',
            token='alice'),
    Request('traits-non-admin-bad-query', 'GET', '/traits?foo=bar',
            version='latest', token='alice'),
    Request('traits-accept-html', 'GET', '/traits', version='latest',
            headers={'Accept': 'text/html'}),
    Request('traits-post', 'POST', '/traits', version='latest', body={}),
    Request('traits-delete-all', 'DELETE', '/traits', version='latest'),
]

TRAIT_ONE = [
    Request('trait-show-before-1.6', 'GET', '/traits/HW_CPU_X86_AVX',
            version='1.5'),
    Request('trait-show-standard', 'GET', '/traits/HW_CPU_X86_AVX',
            version='1.6'),
    Request('trait-show-standard-1.15', 'GET', '/traits/HW_CPU_X86_AVX',
            version='1.15'),
    *_at_both_forks('trait-show-missing', 'GET', '/traits/CUSTOM_NOPE'),
    Request('trait-show-non-admin', 'GET', '/traits/HW_CPU_X86_AVX',
            version='latest', token='alice'),
    # No body to accept or not.
    Request('trait-show-accept-html', 'GET', '/traits/HW_CPU_X86_AVX',
            version='latest', headers={'Accept': 'text/html'}),
    Request('trait-put-before-1.6', 'PUT', '/traits/CUSTOM_EARLY',
            version='1.5'),
    Request('trait-create', 'PUT', '/traits/CUSTOM_FAST', version='1.6'),
    Request('trait-create-again', 'PUT', '/traits/CUSTOM_FAST',
            version='1.6'),
    Request('trait-show-custom', 'GET', '/traits/CUSTOM_FAST', version='1.6'),
    Request('trait-create-1.15', 'PUT', '/traits/CUSTOM_SLOW',
            version='1.15'),
    Request('trait-create-again-1.15', 'PUT', '/traits/CUSTOM_SLOW',
            version='1.15'),
    Request('trait-show-custom-1.15', 'GET', '/traits/CUSTOM_SLOW',
            version='1.15'),
    *_at_both_forks('trait-create-not-custom', 'PUT', '/traits/FAST'),
    Request('trait-create-standard', 'PUT', '/traits/HW_CPU_X86_AVX',
            version='latest'),
    Request('trait-create-lower-case', 'PUT', '/traits/CUSTOM_fast',
            version='latest'),
    Request('trait-create-prefix-only', 'PUT', '/traits/CUSTOM_',
            version='latest'),
    Request('trait-create-too-long', 'PUT', '/traits/' + TOO_LONG,
            version='latest'),
    Request('trait-create-longest', 'PUT', '/traits/' + LONGEST,
            version='latest'),
    Request('trait-create-body-ignored', 'PUT', '/traits/CUSTOM_BODY',
            version='latest', body={'name': 'CUSTOM_OTHER'}),
    Request('trait-create-non-admin', 'PUT', '/traits/CUSTOM_X',
            version='latest', token='alice'),
    Request('trait-create-non-admin-bad-name', 'PUT', '/traits/FAST',
            version='latest', token='alice'),
    Request('trait-create-accept-html', 'PUT', '/traits/CUSTOM_HTML',
            version='latest', headers={'Accept': 'text/html'}),
    Request('trait-delete-before-1.6', 'DELETE', '/traits/CUSTOM_FAST',
            version='1.5'),
    Request('trait-delete', 'DELETE', '/traits/CUSTOM_FAST', version='1.6'),
    *_at_both_forks('trait-delete-missing', 'DELETE', '/traits/CUSTOM_FAST'),
    *_at_both_forks('trait-delete-standard', 'DELETE',
                    '/traits/HW_CPU_X86_AVX'),
    Request('trait-delete-not-custom-missing', 'DELETE', '/traits/FAST',
            version='latest'),
    Request('trait-delete-non-admin', 'DELETE', '/traits/CUSTOM_SLOW',
            version='latest', token='alice'),
    Request('trait-give-provider', 'PUT', '/resource_providers/%s/traits' % RP,
            version='1.6', body={'resource_provider_generation': 1,
                                 'traits': ['CUSTOM_SLOW']}),
    *_at_both_forks('trait-delete-in-use', 'DELETE', '/traits/CUSTOM_SLOW'),
    Request('traits-associated-end', 'GET', '/traits?associated=true',
            version='1.6'),
    Request('traits-custom-end', 'GET', '/traits?name=startswith:CUSTOM_',
            version='1.6', unordered=['traits']),
    Request('trait-post-to-one', 'POST', '/traits/CUSTOM_SLOW',
            version='latest', body={}),
    Request('trait-patch', 'PATCH', '/traits/CUSTOM_SLOW', version='latest'),
]


# Reasons shared by several requests.
HTML_ERROR = (
    'Accept: text/html: upstream (webob) writes its error as an HTML page; '
    'ours is always the JSON error document, with the same message')


class TestSideBySideClassesTraits(Catalogue):
    REQUESTS = (CLASS_LIST + CLASS_CREATE + CLASS_SHOW + CLASS_RENAME
                + CLASS_ENSURE + CLASS_DELETE + TRAIT_LIST + TRAIT_ONE)
    # Each also in the README's list of differences.
    DELIBERATE_DIFFERENCES = {
        'classes-list-accept-html-before-1.2': HTML_ERROR,
        'class-show-accept-html': HTML_ERROR,
        'traits-accept-html': HTML_ERROR,
        'class-create-nan': (
            'NaN in a body: ours refuses it as malformed JSON (400, '
            '"Malformed JSON: NaN is not a JSON number"); upstream decodes '
            'it and then fails the schema'),
        'class-create-trailing-newline': (
            'a class name with a trailing newline: upstream stores it (its '
            'pattern is checked with a Python "$") and answers 500, unable '
            'to put it in the Location header; ours refuses it (400) as JSON '
            'Schema means the pattern, with the message of any bad name'),
        'traits-repeated-parameter': (
            'a single-valued query parameter given twice: ours refuses it '
            '(400, placement.query.duplicate_key), upstream takes the last '
            'value'),
        'traits-name-unknown-operator': (
            'an unknown name= operator on /traits: ours refuses it (400, '
            'with upstream\'s message for a badly formatted name), '
            'upstream ignores the filter and lists every trait'),
    }
    KNOWN_DIFFERENCES = {}
