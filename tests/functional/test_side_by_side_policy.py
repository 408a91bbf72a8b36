"""Side by side with OpenStack Placement 16.0.0: who may do what.

Every route and method of placement/router.py's ROUTES, asked by every
kind of caller, under every ``[oslo_policy]`` mode, must get the status
that 16.0.0 gives: a refusal is policy's 403, and an allowed request goes
on to whatever it leads to. Both services run under noauth2, whose
headers stand for what keystonemiddleware would say about a token:
``X-Auth-Token: user:project`` names the user and the project (the token
``admin`` has the admin role), ``X-Roles`` the roles,
``OpenStack-System-Scope: all`` a system-scoped token and ``X-Domain-Id``
a domain-scoped one.

The requests are built so that a caller's answer does not depend on what
the callers before it did: reads, writes that conflict (a stale
generation, a name that exists, inventory in use) or that change nothing
another request reads, and the same requests on a provider, consumer or
name that does not exist, where policy must still answer before the 404.
Each mode gets a fresh pair of servers with the same set-up (about 10 s a
mode). Only the routes of router.ROUTES are asked.
"""
import concurrent.futures
import time

import pytest

from placement import router
from tests import upstream
from tests.functional import side_by_side
from tests.functional.side_by_side import Request

VERSION = '1.39'
PROJECT, OTHER_PROJECT = 'p1', 'p2'
RP = '3c9e5a17-6b2d-4f8e-a041-7d5c2b9e1f36'
CONSUMER = '8d2f4b60-1e7a-4c3d-9b58-0a6e3f7c2d91'
MISSING = 'f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e0f'
RESOURCE_CLASS, MISSING_CLASS = 'CUSTOM_GOLD', 'CUSTOM_NOT_THERE'
TRAIT, MISSING_TRAIT = 'CUSTOM_SHINY', 'CUSTOM_NOT_THERE'
STALE_GENERATION = 99

# [oslo_policy] in the environment of both services. 16.0.0 has no
# enforce_scope option (oslo.policy 6 dropped it): it must make no
# difference here either.
_NEW_DEFAULTS = 'OS_OSLO_POLICY__ENFORCE_NEW_DEFAULTS'
_SCOPE = 'OS_OSLO_POLICY__ENFORCE_SCOPE'
MODES = {
    'defaults': {},
    'both-on': {_NEW_DEFAULTS: 'True', _SCOPE: 'True'},
    'both-off': {_NEW_DEFAULTS: 'False', _SCOPE: 'False'},
}

_SYSTEM = {'OpenStack-System-Scope': 'all'}

# name: (X-Auth-Token, other headers). None sends no token.
CALLERS = {
    'admin': ('admin', {}),
    'project-admin': ('alice:' + PROJECT,
                      {'X-Roles': 'admin,member,reader'}),
    'service': ('nova:services', {'X-Roles': 'service'}),
    'member': ('bob:' + PROJECT, {'X-Roles': 'member,reader'}),
    'reader': ('rita:' + PROJECT, {'X-Roles': 'reader'}),
    'other-project-reader': ('otto:' + OTHER_PROJECT, {'X-Roles': 'reader'}),
    'no-role': ('nora:' + PROJECT, {}),
    'system-admin': ('admin', _SYSTEM),
    'system-service': ('nova', dict(_SYSTEM, **{'X-Roles': 'service'})),
    'system-reader': ('sara', dict(_SYSTEM, **{'X-Roles': 'reader'})),
    'domain-admin': ('dora', {'X-Roles': 'admin', 'X-Domain-Id': 'default'}),
    'empty-token': ('', {}),
    'no-token': (None, {}),
}


def _allocations(generation):
    return {'allocations': {RP: {'resources': {'VCPU': 1}}},
            'project_id': PROJECT, 'user_id': 'u1',
            'consumer_generation': generation, 'consumer_type': 'INSTANCE'}


# Made by the admin before the table: a provider with inventory, in use
# by a consumer; a custom resource class and a custom trait.
SETUP = [
    ('POST', '/resource_providers', {'name': 'policy-rp', 'uuid': RP}),
    ('PUT', '/resource_providers/%s/inventories' % RP,
     {'resource_provider_generation': 0,
      'inventories': {'VCPU': {'total': 8}}}),
    ('PUT', '/resource_classes/' + RESOURCE_CLASS, None),
    ('PUT', '/traits/' + TRAIT, None),
    ('PUT', '/allocations/' + CONSUMER, _allocations(None)),
]


class Ask:
    """One request of the table: the route it exercises, then what is
    sent."""

    def __init__(self, route, method, path, body=None):
        self.route, self.method, self.path, self.body = (
            route, method, path, body)

    def key(self):
        return '%s %s' % (self.method, self.path)


def _on_provider(uuid):
    """The requests under /resource_providers/{uuid}."""
    base = '/resource_providers/' + uuid
    stale = {'resource_provider_generation': STALE_GENERATION}
    inventories = '/resource_providers/{uuid}/inventories'
    one_inventory = inventories + '/{resource_class}'
    traits = '/resource_providers/{uuid}/traits'
    aggregates = '/resource_providers/{uuid}/aggregates'
    return [
        Ask('/resource_providers/{uuid}', 'GET', base),
        Ask('/resource_providers/{uuid}', 'PUT', base,
            {'name': 'policy-rp'}),
        # In use by the consumer: a 409 that deletes nothing.
        Ask('/resource_providers/{uuid}', 'DELETE', base),
        Ask(inventories, 'GET', base + '/inventories'),
        Ask(inventories, 'POST', base + '/inventories',
            {'resource_class': 'VCPU', 'total': 8}),
        Ask(inventories, 'PUT', base + '/inventories',
            dict(stale, inventories={'VCPU': {'total': 8}})),
        Ask(inventories, 'DELETE', base + '/inventories'),
        Ask(one_inventory, 'GET', base + '/inventories/VCPU'),
        Ask(one_inventory, 'PUT', base + '/inventories/VCPU',
            dict(stale, total=8)),
        Ask(one_inventory, 'DELETE', base + '/inventories/VCPU'),
        Ask('/resource_providers/{uuid}/usages', 'GET', base + '/usages'),
        Ask(aggregates, 'GET', base + '/aggregates'),
        Ask(aggregates, 'PUT', base + '/aggregates',
            dict(stale, aggregates=[])),
        Ask('/resource_providers/{uuid}/allocations', 'GET',
            base + '/allocations'),
        Ask(traits, 'GET', base + '/traits'),
        Ask(traits, 'PUT', base + '/traits', dict(stale, traits=[])),
        Ask(traits, 'DELETE', base + '/traits'),
    ]


def _by_name(route, existing, missing, create_body):
    """Requests on a resource class or trait: ``existing`` may be read
    and put again (which changes nothing); the deletion names one that is
    not there."""
    named = route + '/{name}'
    return [
        Ask(route, 'GET', route),
        *([Ask(route, 'POST', route, create_body)] if create_body else []),
        Ask(named, 'GET', '%s/%s' % (route, existing)),
        Ask(named, 'GET', '%s/%s' % (route, missing)),
        Ask(named, 'PUT', '%s/%s' % (route, existing)),
        Ask(named, 'DELETE', '%s/%s' % (route, missing)),
    ]


CONSUMER_PATH = '/allocations/{consumer_uuid}'
ALL_ASKS = [
    Ask('/', 'GET', '/'),
    # The name exists: a 409.
    *_by_name('/resource_classes', RESOURCE_CLASS, MISSING_CLASS,
              {'name': RESOURCE_CLASS}),
    *_by_name('/traits', TRAIT, MISSING_TRAIT, None),
    Ask('/resource_providers', 'GET', '/resource_providers'),
    Ask('/resource_providers', 'POST', '/resource_providers',
        {'name': 'policy-rp', 'uuid': RP}),
    *_on_provider(RP),
    *_on_provider(MISSING),
    Ask('/allocations', 'POST', '/allocations',
        {CONSUMER: _allocations(STALE_GENERATION)}),
    Ask(CONSUMER_PATH, 'GET', '/allocations/' + CONSUMER),
    Ask(CONSUMER_PATH, 'PUT', '/allocations/' + CONSUMER,
        _allocations(STALE_GENERATION)),
    Ask(CONSUMER_PATH, 'DELETE', '/allocations/' + MISSING),
    # A reader may see their own project's usages only.
    Ask('/usages', 'GET', '/usages?project_id=' + PROJECT),
    Ask('/usages', 'GET', '/usages?project_id=' + OTHER_PROJECT),
    Ask('/allocation_candidates', 'GET',
        '/allocation_candidates?resources=VCPU:1'),
    Ask('/reshaper', 'POST', '/reshaper', {'inventories': {}}),
]


def _routes(route_table):
    return {(route, method) for route, methods in route_table.items()
            for method in methods}


# Only the routes that we serve: a route that 16.0.0 has and we do not
# yet joins the table when router.ROUTES gets it.
ASKS = [ask for ask in ALL_ASKS
        if (ask.route, ask.method) in _routes(router.ROUTES)]


def _request(ask, caller):
    token, headers = CALLERS[caller]
    return Request('%s as %s' % (ask.key(), caller), ask.method, ask.path,
                   version=VERSION, token=token, body=ask.body,
                   headers=headers)


def _setup_requests():
    return [Request('setup %s %s' % (method, path), method, path,
                    version=VERSION, body=body)
            for method, path, body in SETUP]


def _table_requests():
    return [_request(ask, caller) for ask in ASKS for caller in CALLERS]


def _statuses(base, requests):
    return [side_by_side.send(base, request).status for request in requests]


def _set_up(server):
    for request in _setup_requests():
        response = side_by_side.send(server.base, request)
        assert response.status < 400, (request.describe(), response)


def _run_table(server):
    _set_up(server)
    return _statuses(server.base, _table_requests())


def _undecided(statuses):
    """The requests that upstream allowed every caller with a token, or
    refused them all: a table that is not testing policy there."""
    per_caller = len(CALLERS)
    found = []
    for index, ask in enumerate(ASKS):
        answers = set(statuses[index * per_caller:(index + 1) * per_caller])
        if ask.route != '/' and (403 not in answers
                                 or not answers - {401, 403}):
            found.append(ask.key())
    return found


def test_every_route_and_method_is_in_the_table():
    asked = {(ask.route, ask.method) for ask in ALL_ASKS}
    assert _routes(router.ROUTES) <= asked


def test_no_request_is_asked_twice():
    keys = [ask.key() for ask in ALL_ASKS]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize('mode', MODES)
def test_same_decisions_as_upstream(mode, tmp_path, capsys):
    started = time.monotonic()
    ours, theirs = side_by_side.start_pair(tmp_path, MODES[mode])
    try:
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            our_run = pool.submit(_run_table, ours)
            their_run = pool.submit(_run_table, theirs)
            our_statuses, their_statuses = (our_run.result(),
                                            their_run.result())
    finally:
        ours.stop()
        theirs.stop()
    requests = _table_requests()
    differing = [
        '  %s: ours %d, theirs %d' % (request.id, our_status, their_status)
        for request, our_status, their_status in zip(
            requests, our_statuses, their_statuses)
        if our_status != their_status]
    with capsys.disabled():
        print('\npolicy table, mode %s: %d requests (%d per caller x %d '
              'callers) compared with OpenStack Placement %s in %.1f s, '
              '%d differ' % (
                  mode, len(requests), len(ASKS), len(CALLERS),
                  upstream.VERSION, time.monotonic() - started,
                  len(differing)))
    assert not _undecided(their_statuses)
    assert not differing, (
        'mode %s: %d of %d statuses differ from OpenStack Placement %s:\n%s'
        % (mode, len(differing), len(requests), upstream.VERSION,
           '\n'.join(differing)))
