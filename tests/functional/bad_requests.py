"""The malformed requests of the bad-input sweep (test_bad_input.py).

For every path of placement.router.ROUTES, every method and several
microversions: requests that the service must refuse with a 4xx. They
name providers, classes, traits and consumers that exist (WORLD_SETUP
makes them), so that they get past the 404 of a missing provider and
reach the checks of the body, the query string and the path values.

A request that the service may rightly accept is no bad request, and is
left out: a GET ignores unknown query parameters where it takes none,
GET /allocations/{consumer_uuid} answers any consumer with its (maybe
empty) allocations, PUT /resource_classes/{name} (from 1.7) and PUT
/traits/{name} ignore their body, and a min_unit above max_unit is taken,
as OpenStack Placement does all of these.
"""
import collections

from placement import router
from tests.functional import bad_bodies as bodies
from tests.functional.bad_bodies import Array, Field, Map, Obj

VERSIONS = ('1.0', '1.14', '1.23', '1.28', '1.39')
LATEST = VERSIONS[-1]

ROOT = '7a1f4a3e-9d0b-4a6e-8f51-0c2d8e5b6a01'
CHILD = '7a1f4a3e-9d0b-4a6e-8f51-0c2d8e5b6a02'
UNKNOWN = '7a1f4a3e-9d0b-4a6e-8f51-0c2d8e5b6aff'
CONSUMER = '3e8c2b1d-5f47-4c1a-9e6b-2d4f6a8c0b01'
OTHER_CONSUMER = '3e8c2b1d-5f47-4c1a-9e6b-2d4f6a8c0b02'
NEW_CONSUMER = '3e8c2b1d-5f47-4c1a-9e6b-2d4f6a8c0b03'
AGGREGATE = '0d5e7f9a-1b3c-4d5e-8f7a-9b1c3d5e7f01'
OTHER_AGGREGATE = '0d5e7f9a-1b3c-4d5e-8f7a-9b1c3d5e7f02'
PROJECT = 'sweep-project'
USER = 'sweep-user'
CUSTOM_CLASS = 'CUSTOM_SWEEP'
CUSTOM_TRAIT = 'CUSTOM_SWEEP_TRAIT'
STANDARD_TRAIT = 'HW_CPU_X86_AVX2'

# Names for the uuids in case labels.
_ALIASES = (
    (ROOT, 'ROOT'), (ROOT.upper(), 'ROOT_IN_CAPITALS'), (CHILD, 'CHILD'),
    (UNKNOWN, 'UNKNOWN'), (CONSUMER, 'CONSUMER'),
    (OTHER_CONSUMER, 'OTHER_CONSUMER'), (NEW_CONSUMER, 'NEW_CONSUMER'),
    (AGGREGATE, 'AGGREGATE'), (OTHER_AGGREGATE, 'OTHER_AGGREGATE'),
)

# The good requests that make the data the sweep runs against: a root
# provider and its child, with inventories, traits and aggregates, and two
# consumers with allocations on both.
WORLD_SETUP = (
    ('PUT', '/resource_classes/%s' % CUSTOM_CLASS, None),
    ('PUT', '/traits/%s' % CUSTOM_TRAIT, None),
    ('POST', '/resource_providers', {'name': 'sweep-root', 'uuid': ROOT}),
    ('POST', '/resource_providers', {'name': 'sweep-child', 'uuid': CHILD,
                                     'parent_provider_uuid': ROOT}),
    ('PUT', '/resource_providers/%s/inventories' % ROOT, {
        'resource_provider_generation': 0,
        'inventories': {'VCPU': {'total': 16, 'max_unit': 8},
                        'MEMORY_MB': {'total': 8192, 'reserved': 512}}}),
    ('PUT', '/resource_providers/%s/inventories' % CHILD, {
        'resource_provider_generation': 0,
        'inventories': {CUSTOM_CLASS: {'total': 10}}}),
    ('PUT', '/resource_providers/%s/traits' % ROOT, {
        'resource_provider_generation': 1,
        'traits': [STANDARD_TRAIT, CUSTOM_TRAIT]}),
    ('PUT', '/resource_providers/%s/traits' % CHILD, {
        'resource_provider_generation': 1, 'traits': [CUSTOM_TRAIT]}),
    ('PUT', '/resource_providers/%s/aggregates' % ROOT, {
        'resource_provider_generation': 2,
        'aggregates': [AGGREGATE, OTHER_AGGREGATE]}),
    ('PUT', '/resource_providers/%s/aggregates' % CHILD, {
        'resource_provider_generation': 2, 'aggregates': [AGGREGATE]}),
    ('PUT', '/allocations/%s' % CONSUMER, {
        'allocations': {ROOT: {'resources': {'VCPU': 2, 'MEMORY_MB': 1024}}},
        'project_id': PROJECT, 'user_id': USER,
        'consumer_generation': None, 'consumer_type': 'INSTANCE'}),
    ('PUT', '/allocations/%s' % OTHER_CONSUMER, {
        'allocations': {ROOT: {'resources': {'VCPU': 1}},
                        CHILD: {'resources': {CUSTOM_CLASS: 3}}},
        'project_id': PROJECT, 'user_id': USER,
        'consumer_generation': None, 'consumer_type': 'MIGRATION'}),
)

# The reads whose answers must not change while the sweep runs.
SNAPSHOT_PATHS = tuple(
    '/resource_providers/%s%s' % (provider, part)
    for provider in (ROOT, CHILD)
    for part in ('', '/inventories', '/traits', '/aggregates',
                 '/allocations', '/usages')
) + (
    '/resource_providers', '/allocations/%s' % CONSUMER,
    '/allocations/%s' % OTHER_CONSUMER, '/resource_classes', '/traits',
    '/usages?project_id=%s' % PROJECT,
    '/usages?project_id=%s&consumer_type=all' % PROJECT,
)


def _version(text):
    return tuple(int(part) for part in text.split('.'))


def _at_least(version, minimum):
    return _version(version) >= _version(minimum)


# --- The body each route takes, as a template; ``state`` holds the
# generations of ROOT and CONSUMER.

def _new_provider_body(version, state):
    fields = {'name': bodies.text('sweep-new', 200, taken=['sweep-root']),
              'uuid': bodies.uuid(UNKNOWN, taken=[ROOT])}
    if _at_least(version, '1.14'):
        fields['parent_provider_uuid'] = bodies.uuid(ROOT, nullable=True)
    return Obj(fields, ['name'])


def _provider_body(version, state):
    fields = {'name': bodies.text('sweep-root', 200)}
    if _at_least(version, '1.14'):
        # ROOT is a root (None); itself, its child or nothing cannot be
        # its parent.
        fields['parent_provider_uuid'] = Field(None, bodies.uuid(
            ROOT, nullable=True, taken=[CHILD, UNKNOWN, ROOT]).bad)
    return Obj(fields, ['name'])


def _new_class_body(version, state):
    return Obj({'name': bodies.new_name(CUSTOM_CLASS + '_NEW',
                                        taken=['VCPU', CUSTOM_CLASS])},
               ['name'])


def _rename_body(version, state):
    """Before 1.7 the PUT renames; from 1.7 it takes no body."""
    if _at_least(version, '1.7'):
        return None
    return Obj({'name': bodies.new_name(CUSTOM_CLASS, taken=['VCPU'])},
               ['name'])


def _inventory(total, generation=None, resource_class=None):
    fields = {
        'total': bodies.integer(total, minimum=1),
        'reserved': bodies.integer(0),
        'min_unit': bodies.integer(1, minimum=1),
        'max_unit': bodies.integer(total, minimum=1),
        'step_size': bodies.integer(1, minimum=1),
        'allocation_ratio': bodies.ratio(1.0),
    }
    required = ['total']
    if generation is not None:
        fields['resource_provider_generation'] = bodies.integer(generation)
        required.append('resource_provider_generation')
    if resource_class is not None:
        fields['resource_class'] = bodies.name(resource_class)
        required.append('resource_class')
    return Obj(fields, required)


def _inventories_body(version, state):
    inventories = Map({'VCPU': _inventory(16),
                       'MEMORY_MB': {'total': 8192, 'reserved': 512}},
                      bodies.NAMES_OF_NOTHING)
    return Obj({
        'resource_provider_generation': bodies.integer(state['generation']),
        'inventories': inventories,
    }, ['resource_provider_generation', 'inventories'])


def _inventory_body(version, state):
    return _inventory(16, generation=state['generation'])


def _new_inventory_body(version, state):
    return _inventory(100, resource_class='DISK_GB')


def _aggregates_body(version, state):
    """A list before 1.19; from 1.19 with the provider generation."""
    aggregates = Array([bodies.uuid(AGGREGATE), OTHER_AGGREGATE],
                       unique=True)
    if not _at_least(version, '1.19'):
        return aggregates
    return Obj({'aggregates': aggregates,
                'resource_provider_generation':
                    bodies.integer(state['generation'])},
               ['aggregates', 'resource_provider_generation'])


def _traits_body(version, state):
    return Obj({
        'traits': Array([bodies.name(STANDARD_TRAIT), CUSTOM_TRAIT]),
        'resource_provider_generation': bodies.integer(state['generation']),
    }, ['traits', 'resource_provider_generation'])


def _resources():
    return Map({'VCPU': bodies.integer(2, minimum=1),
                'MEMORY_MB': bodies.integer(1024, minimum=1)},
               bodies.NAMES_OF_NOTHING)


def _allocation_list(version):
    """PUT /allocations/{consumer_uuid} before 1.12: a list."""
    body = {'allocations': Array([Obj({
        'resource_provider': Obj({'uuid': bodies.uuid(ROOT)}, ['uuid']),
        'resources': _resources(),
    }, ['resource_provider', 'resources'])])}
    required = ['allocations']
    if _at_least(version, '1.8'):
        body.update(project_id=bodies.external_id(PROJECT),
                    user_id=bodies.external_id(USER))
        required += ['project_id', 'user_id']
    return Obj(body, required)


def _consumer(version, generation, may_be_empty):
    """One consumer's allocations as 1.12 and later take them; empty
    allocations release them all in POST, and in PUT from 1.28."""
    allocations = Map(
        {ROOT: Obj({'resources': _resources(),
                    'generation': bodies.integer(0)}, ['resources'])},
        bodies.bad_uuids(ROOT) + [UNKNOWN], empty_is_bad=not may_be_empty)
    body = {'allocations': allocations,
            'project_id': bodies.external_id(PROJECT),
            'user_id': bodies.external_id(USER)}
    required = ['allocations', 'project_id', 'user_id']
    if _at_least(version, '1.28'):
        body['consumer_generation'] = bodies.integer(generation,
                                                     nullable=True)
        required.append('consumer_generation')
    if _at_least(version, '1.34'):
        # Under a request group suffix, a list of uuids. (Whatever is
        # under '' or a key that is no suffix is taken, as OpenStack
        # Placement takes it.)
        body['mappings'] = Map({'_NET': Array([bodies.uuid(ROOT)])}, [])
    if _at_least(version, '1.38'):
        body['consumer_type'] = bodies.consumer_type('INSTANCE')
        required.append('consumer_type')
    return Obj(body, required)


def _consumer_body(version, state):
    if not _at_least(version, '1.12'):
        return _allocation_list(version)
    return _consumer(version, state['consumer_generation'],
                     may_be_empty=_at_least(version, '1.28'))


def _consumers_body(version, state):
    return Map({CONSUMER: _consumer(version, state['consumer_generation'],
                                    may_be_empty=True)},
               bodies.bad_uuids(CONSUMER))


def _reshaper_body(version, state):
    """The root's inventories and the consumer's allocations, as
    POST /reshaper takes them (1.30)."""
    provider = Obj({
        'resource_provider_generation': bodies.integer(state['generation']),
        'inventories': Map({'VCPU': _inventory(16),
                            'MEMORY_MB': {'total': 8192}},
                           bodies.NAMES_OF_NOTHING),
    }, ['resource_provider_generation', 'inventories'])
    return Obj({
        'inventories': Map({ROOT: provider},
                           bodies.bad_uuids(ROOT) + [UNKNOWN]),
        'allocations': Map({CONSUMER: _consumer(
            version, state['consumer_generation'], may_be_empty=True)},
            bodies.bad_uuids(CONSUMER), empty_is_bad=False),
    }, ['inventories', 'allocations'])


# --- Well-formed bodies that ask for what cannot be.

def _inventory_conflicts(method, template, version, state):
    generation = state['generation']
    reserved_above_total = {'total': 10, 'reserved': 11}
    if template.endswith('{resource_class}'):
        yield 'reserved above total', dict(
            reserved_above_total, resource_provider_generation=generation)
    elif method == 'POST':
        yield 'reserved above total', dict(reserved_above_total,
                                           resource_class='DISK_GB')
        yield 'a class it has', {'resource_class': 'VCPU', 'total': 1}
    else:
        memory = {'total': 8192, 'reserved': 512}
        for label, inventories in (
                ('reserved above total', {'VCPU': reserved_above_total,
                                          'MEMORY_MB': memory}),
                ('no VCPU though it is used', {'MEMORY_MB': memory})):
            yield label, {'resource_provider_generation': generation,
                          'inventories': inventories}
        yield 'a stale generation', {
            'resource_provider_generation': generation + 1,
            'inventories': {'VCPU': {'total': 16}, 'MEMORY_MB': memory}}


def _allocation_conflicts(method, template, version, state):
    if not _at_least(version, '1.12'):
        return
    consumer = {'project_id': PROJECT, 'user_id': USER}
    if _at_least(version, '1.28'):
        consumer['consumer_generation'] = state['consumer_generation']
    if _at_least(version, '1.38'):
        consumer['consumer_type'] = 'INSTANCE'

    def body(**changes):
        one = dict(consumer, **changes)
        return one if method == 'PUT' else {CONSUMER: one}

    for label, allocations in (
            ('more VCPU than there is', {ROOT: {'VCPU': 1000}}),
            ('above max_unit', {ROOT: {'VCPU': 9}}),
            ('a class the provider lacks', {ROOT: {'DISK_GB': 1}}),
            ('a provider that does not exist', {UNKNOWN: {'VCPU': 1}}),
            ('an unknown class', {ROOT: {bodies.UNKNOWN_NAME: 1}})):
        yield label, body(allocations={
            provider: {'resources': resources}
            for provider, resources in allocations.items()})
    if _at_least(version, '1.28'):
        yield 'a stale consumer generation', body(
            consumer_generation=state['consumer_generation'] + 1,
            allocations={ROOT: {'resources': {'VCPU': 1}}})


def _reshaper_conflicts(method, template, version, state):
    """The root's inventories in the ways a PUT of them is refused,
    beside the consumer's allocations in the ways a POST of them is."""
    for label, inventories in _inventory_conflicts(method, template,
                                                   version, state):
        yield 'inventories ' + label, {'inventories': {ROOT: inventories},
                                       'allocations': {}}
    inventories = {ROOT: {
        'resource_provider_generation': state['generation'],
        'inventories': {'VCPU': {'total': 16}, 'MEMORY_MB': {'total': 8192}},
    }}
    for label, allocations in _allocation_conflicts('POST', template,
                                                    version, state):
        if label == 'above max_unit':
            # The new VCPU inventory has no max_unit to be above.
            continue
        yield 'allocations ' + label, {'inventories': inventories,
                                       'allocations': allocations}


def _no_conflicts(method, template, version, state):
    return ()


# --- What each route takes.

Spec = collections.namedtuple(
    'Spec', 'since body conflicts extra_versions unknown_path_values')


def _spec(since='1.0', body=None, conflicts=_no_conflicts,
          extra_versions=(), unknown_path_values=True):
    """``since``: the route's first microversion; ``body``: its body
    template, by version; ``conflicts``: its well-formed bodies that must
    be refused; ``extra_versions``: where its body changes shape;
    ``unknown_path_values``: whether a path naming nothing is refused."""
    return Spec(since, body, conflicts, tuple(extra_versions),
                unknown_path_values)


_PROVIDER = '/resource_providers/{uuid}'
_ONE_INVENTORY = _PROVIDER + '/inventories/{resource_class}'

SPECS = {
    ('GET', '/'): _spec(),
    ('GET', '/resource_classes'): _spec('1.2'),
    ('POST', '/resource_classes'): _spec('1.2', _new_class_body),
    ('GET', '/resource_classes/{name}'): _spec('1.2'),
    # From 1.7 a PUT creates the class its path names.
    ('PUT', '/resource_classes/{name}'): _spec(
        '1.2', _rename_body, extra_versions=('1.2', '1.6'),
        unknown_path_values=False),
    ('DELETE', '/resource_classes/{name}'): _spec('1.2'),
    ('GET', '/resource_providers'): _spec(),
    ('POST', '/resource_providers'): _spec(body=_new_provider_body),
    ('GET', _PROVIDER): _spec(),
    ('PUT', _PROVIDER): _spec(body=_provider_body),
    ('DELETE', _PROVIDER): _spec(),
    ('GET', _PROVIDER + '/inventories'): _spec(),
    ('POST', _PROVIDER + '/inventories'): _spec(
        body=_new_inventory_body, conflicts=_inventory_conflicts),
    ('PUT', _PROVIDER + '/inventories'): _spec(
        body=_inventories_body, conflicts=_inventory_conflicts),
    ('DELETE', _PROVIDER + '/inventories'): _spec(),
    ('GET', _ONE_INVENTORY): _spec(),
    ('PUT', _ONE_INVENTORY): _spec(body=_inventory_body,
                                   conflicts=_inventory_conflicts),
    ('DELETE', _ONE_INVENTORY): _spec(),
    ('GET', _PROVIDER + '/usages'): _spec(),
    ('GET', _PROVIDER + '/aggregates'): _spec('1.1'),
    ('PUT', _PROVIDER + '/aggregates'): _spec(
        '1.1', _aggregates_body, extra_versions=('1.1', '1.19')),
    ('GET', _PROVIDER + '/allocations'): _spec(),
    ('GET', _PROVIDER + '/traits'): _spec('1.6'),
    ('PUT', _PROVIDER + '/traits'): _spec('1.6', _traits_body),
    ('DELETE', _PROVIDER + '/traits'): _spec('1.6'),
    ('POST', '/allocations'): _spec(
        '1.13', _consumers_body, _allocation_conflicts,
        extra_versions=('1.13', '1.34')),
    # Any consumer has allocations, maybe none; a PUT creates the consumer
    # its path names.
    ('GET', '/allocations/{consumer_uuid}'): _spec(
        unknown_path_values=False),
    ('PUT', '/allocations/{consumer_uuid}'): _spec(
        body=_consumer_body, conflicts=_allocation_conflicts,
        extra_versions=('1.8', '1.12', '1.34'), unknown_path_values=False),
    ('DELETE', '/allocations/{consumer_uuid}'): _spec(),
    ('GET', '/traits'): _spec('1.6'),
    ('GET', '/traits/{name}'): _spec('1.6'),
    # A PUT creates the trait its path names, and ignores any body.
    ('PUT', '/traits/{name}'): _spec('1.6', unknown_path_values=False),
    ('DELETE', '/traits/{name}'): _spec('1.6'),
    ('GET', '/usages'): _spec('1.9'),
    ('GET', '/allocation_candidates'): _spec('1.10'),
    ('POST', '/reshaper'): _spec(
        '1.30', _reshaper_body, _reshaper_conflicts,
        extra_versions=('1.30', '1.34', '1.38')),
}

# The reshaper is for services: without the role, policy would refuse
# every body before it is read.
_ROUTE_HEADERS = {'/reshaper': {'X-Roles': 'admin,service'}}


def routes():
    """Every (method, path) of the route table."""
    return {(method, path) for path, methods in router.ROUTES.items()
            for method in methods}


# --- The requests.

Case = collections.namedtuple('Case', 'id method path version body headers')


def _readable(label):
    for uuid, alias in _ALIASES:
        label = label.replace(uuid, alias)
    return label


def _case(template, label, method, path, version, body=None,
          content_type='application/json', headers=None):
    all_headers = {'OpenStack-API-Version': 'placement %s' % version}
    if body is not None and content_type:
        all_headers['Content-Type'] = content_type
    all_headers.update(_ROUTE_HEADERS.get(template, {}))
    all_headers.update(headers or {})
    return Case('%s %s @%s %s' % (method, template, version,
                                  _readable(label)),
                method, path, version, body, all_headers)


def _good_value(template, variable):
    if variable == 'name':
        return (CUSTOM_CLASS if template.startswith('/resource_classes')
                else CUSTOM_TRAIT)
    return {'uuid': ROOT, 'consumer_uuid': CONSUMER,
            'resource_class': 'VCPU'}[variable]


def _variables(template):
    return [part[1:-1] for part in template.split('/')
            if part.startswith('{')]


def _fill(template, **overrides):
    values = {variable: overrides.get(variable,
                                      _good_value(template, variable))
              for variable in _variables(template)}
    return template.format(**values)


# Path values that no route accepts: malformed, NUL, not UTF-8, too long.
BAD_PATH_VALUES = (
    'not-a-uuid', 'x' * 1000, '%00', 'a%00b', '%C3%28', '%FF',
    '%E2%98%83', "'%3B%20DROP%20TABLE%20traits",
)

# Values that are well formed but name nothing, for each variable.
_UNKNOWN_PATH_VALUES = {
    'uuid': UNKNOWN,
    'consumer_uuid': NEW_CONSUMER,
    'resource_class': 'DISK_GB',
    'name': bodies.UNKNOWN_NAME,
}


def _near_misses(good):
    """The good value spoilt at its end: MySQL compares strings with
    trailing spaces ignored (and letters in any case), and a regular
    expression's $ lets a trailing newline through."""
    misses = [good + '%20', good + '%0A', good + '%09']
    if good.upper() != good:
        misses.append(good.upper() + '%20')
    else:
        misses.append(good.lower())
    return misses


def _versions(spec):
    """The microversions to send a route's bodies at: the route's own,
    and the last before it (a 404 or 405)."""
    own = {version for version in VERSIONS + spec.extra_versions
           if _at_least(version, spec.since)}
    before = [version for version in VERSIONS
              if not _at_least(version, spec.since)]
    return sorted(own.union(before[-1:]), key=_version)


def _good_body(method, template, version, state):
    spec = SPECS[(method, template)]
    node = spec.body(version, state) if spec.body else None
    return None if node is None else bodies.encode(bodies.render(node))


def path_cases(method, template, state):
    """Bad path values, and unknown ones where nothing is created."""
    spec = SPECS[(method, template)]
    for version in (spec.since, LATEST):
        body = _good_body(method, template, version, state)
        for variable in _variables(template):
            values = list(BAD_PATH_VALUES)
            values += _near_misses(_good_value(template, variable))
            if spec.unknown_path_values:
                values.append(_UNKNOWN_PATH_VALUES[variable])
            if (method, template) == ('GET', '/allocations/{consumer_uuid}'):
                # Only NUL, which is refused before anything.
                values = ['%00', 'a%00b']
            for value in values:
                yield _case(template,
                            'path %s=%s' % (variable, bodies.short(value)),
                            method, _fill(template, **{variable: value}),
                            version, body)


def body_cases(method, template, state):
    spec = SPECS[(method, template)]
    if spec.body is None:
        return
    path = _fill(template)
    for version in _versions(spec):
        node = spec.body(version, state)
        if node is None:
            continue
        for label, body in bodies.generic_bodies(isinstance(node, Array)):
            yield _case(template, label, method, path, version, body)
        if not _at_least(version, spec.since):
            continue
        good = bodies.encode(bodies.render(node))
        for content_type in bodies.WRONG_CONTENT_TYPES:
            yield _case(template, 'good body as %r' % content_type, method,
                        path, version, good, content_type=content_type)
        for label, value in node.variants():
            yield _case(template, 'body' + label, method, path, version,
                        bodies.encode(value))
        for label, value in spec.conflicts(method, template, version,
                                           state):
            yield _case(template, label, method, path, version,
                        bodies.encode(value))


# As in OpenStack Placement, these answer whatever the client accepts.
_ANSWERS_ANY_ACCEPT = ('/', '/traits/{name}')

BAD_VERSIONS = ('placement 1.40', 'placement 2.0', 'placement 0.9',
                'placement one', 'placement 1.', 'placement 1.0.0',
                'placement -1.1', 'placement 1.01x')


def header_cases(method, template, state):
    path = _fill(template)
    body = _good_body(method, template, LATEST, state)
    for header in BAD_VERSIONS:
        yield _case(template, 'version header %r' % header, method, path,
                    LATEST, body, headers={'OpenStack-API-Version': header})
    if method == 'GET' and template not in _ANSWERS_ANY_ACCEPT:
        for accept in ('text/html', 'application/json;q=0, text/plain'):
            yield _case(template, 'accept %r' % accept, method, path,
                        LATEST, headers={'Accept': accept})


# Query strings that every route refuses: NUL, not UTF-8.
EDGE_QUERIES = ('x=%00', 'x=%FF', '%FF=1')

QUERIES = {
    '/resource_providers': (
        'bogus=1', 'limit=1', 'uuid=not-a-uuid', 'uuid=',
        'uuid=%s%%0A' % ROOT, 'name=a&name=b',
        'uuid=%s&uuid=%s' % (ROOT, ROOT), 'member_of=not-a-uuid',
        'member_of=in:', 'member_of=in:%s,nope' % AGGREGATE,
        'member_of=%s,%s' % (AGGREGATE, OTHER_AGGREGATE), 'member_of=!in:',
        'member_of=%s%%0A' % AGGREGATE, 'resources=VCPU',
        'resources=VCPU:-1', 'resources=VCPU:0', 'resources=VCPU:1.5',
        'resources=VCPU:1:2', 'resources=VCPU:99999999999',
        'resources=%s:1' % bodies.UNKNOWN_NAME, 'resources=',
        'resources=,', 'resources=vcpu:1', 'resources=VCPU%00:1',
        'in_tree=not-a-uuid', 'in_tree=', 'in_tree=%s%%0A' % ROOT,
        'required=', 'required=!', 'required=%s' % bodies.UNKNOWN_NAME,
        'required=in:', 'required=in:%s,!%s' % (STANDARD_TRAIT,
                                                CUSTOM_TRAIT),
        'required=%s,,%s' % (STANDARD_TRAIT, CUSTOM_TRAIT),
        'name=%00', 'uuid=%00', 'name=%FF',
    ),
    '/traits': (
        'bogus=1', 'name=%s' % CUSTOM_TRAIT, 'name=nope:x',
        'associated=maybe', 'associated=', 'name=in:A&name=in:B',
        'associated=true&associated=false', 'name=startswith:%00',
        'name=in:%FF',
    ),
    '/allocation_candidates': (
        '', 'bogus=1', 'resources=', 'resources=VCPU', 'resources=VCPU:0',
        'resources=%s:1' % bodies.UNKNOWN_NAME, 'resources=VCPU:1&limit=0',
        'resources=VCPU:1&required=%s' % bodies.UNKNOWN_NAME,
        'resources=VCPU:1&in_tree=not-a-uuid',
        'resources1=VCPU:1&resources2=VCPU:1',
        'resources=VCPU:1&group_policy=bogus', 'resources=VCPU%00:1',
    ),
    '/usages': (
        '', 'bogus=1', 'project_id=', 'user_id=%s' % USER,
        'project_id=%s&bogus=1' % PROJECT,
        'project_id=%s&project_id=other' % PROJECT,
        'project_id=' + 'x' * 256, 'project_id=%s&user_id=' % PROJECT,
        'project_id=%s&consumer_type=instance' % PROJECT,
        'project_id=%s&consumer_type=' % PROJECT,
        'project_id=%FF', 'project_id=%00',
    ),
}


def query_cases(method, template, state):
    if method != 'GET':
        return
    path = _fill(template)
    for query in EDGE_QUERIES:
        yield _case(template, 'query %r' % query, method,
                    '%s?%s' % (path, query), LATEST)
    for version in _versions(SPECS[(method, template)]):
        for query in QUERIES.get(template, ()):
            yield _case(template, 'query %s' % bodies.short(query), method,
                        '%s?%s' % (path, query), version)


def method_cases(template, state):
    """Every method the path does not take."""
    path = _fill(template)
    for method in ('GET', 'PUT', 'POST', 'DELETE', 'PATCH'):
        if method not in router.ROUTES[template]:
            body = b'{}' if method in ('PUT', 'POST', 'PATCH') else None
            yield _case(template, 'method not allowed', method, path,
                        LATEST, body)


def cases_for_path(template, state):
    """Every bad request for one path of the route table, in a stable
    order. ``state``: {'generation': ROOT's, 'consumer_generation':
    CONSUMER's}, for the bodies to name."""
    for method in router.ROUTES[template]:
        for make in (path_cases, body_cases, header_cases, query_cases):
            yield from make(method, template, state)
    yield from method_cases(template, state)
