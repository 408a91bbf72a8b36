"""The allocation candidate search on every backend: a fixed number of
queries however many providers there are, and a wide tree answered fast
at default settings."""
import json
import time
import uuid as uuidlib

import pytest

from placement import context
from placement.objects.candidates import combine
from placement.objects.candidates import find as find_obj
from placement.objects import aggregate as agg_obj
from placement.objects import inventory as inv_obj
from placement.objects import provider_trait
from placement.objects import resource_provider as rp_obj
from placement import queryparams
from tests import databases

AGGREGATE = 'a1000000-0000-4000-8000-000000000001'


@pytest.fixture
def ctx(db, database_url):
    return context.RequestContext(
        user_id='admin', project_id='admin', roles=['admin'], db=db,
        config=databases.make_conf(database_url))


def _provider(ctx, parent=None, traits=(), aggregates=(), **inventories):
    uuid = str(uuidlib.uuid4())
    rp_obj.create(ctx, 'rp-%s' % uuid, uuid=uuid, parent_uuid=parent)
    if inventories:
        inv_obj.replace_all(ctx, uuid, 0, {
            name: inv_obj.with_defaults({'total': total})
            for name, total in inventories.items()})
    if traits:
        provider_trait.set_for_provider(ctx, uuid, list(traits))
    if aggregates:
        agg_obj.set_for_provider(ctx, uuid, list(aggregates))
    return uuid


def _compute_tree(ctx):
    """A compute node with two NUMA nodes, in AGGREGATE."""
    root = _provider(ctx, DISK_GB=100, traits=['HW_CPU_X86_AVX2'],
                     aggregates=[AGGREGATE])
    for _ in range(2):
        _provider(ctx, parent=root, VCPU=4, MEMORY_MB=1024)
    return root


_statements = databases.statements_run


def _groups(**query):
    class Want:
        @staticmethod
        def matches(version):
            return True
    return queryparams.request_groups(query, Want)


QUERIES = [
    ({'resources': 'VCPU:1,DISK_GB:10,MEMORY_MB:256',
      'member_of': AGGREGATE, 'required': 'HW_CPU_X86_AVX2'}, {}),
    ({'resources_a': 'VCPU:1', 'resources_b': 'VCPU:1',
      'resources': 'DISK_GB:500'},
     {'group_policy': 'isolate'}),
]


@pytest.mark.parametrize('query, wide', QUERIES)
def test_queries_do_not_grow_with_the_providers(ctx, query, wide):
    _provider(ctx, DISK_GB=1000, traits=['MISC_SHARES_VIA_AGGREGATE'],
              aggregates=[AGGREGATE])
    counts, found = [], []
    for trees in (2, 8):
        while len(found) < trees:
            found.append(_compute_tree(ctx))
        with _statements(ctx.db) as statements:
            answer = find_obj.find(ctx, _groups(**query),
                                   find_obj.Wide(**wide))
        assert answer.candidates
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_a_wide_tree_answers_fast_at_default_settings(ctx):
    root = _provider(ctx)
    for _ in range(8):
        _provider(ctx, parent=root, SRIOV_NET_VF=1)
    query = {'resources%d' % n: 'SRIOV_NET_VF:1' for n in range(1, 7)}
    started = time.monotonic()
    answer = find_obj.find(ctx, _groups(**query),
                           find_obj.Wide(limit=10, group_policy='isolate'))
    elapsed = time.monotonic() - started
    assert len(answer.candidates) == 10
    assert all(len(candidate.resources) == 6
               for candidate in answer.candidates)
    assert elapsed < 1.0


def _wide_trees(ctx, count):
    for _ in range(count):
        root = _provider(ctx)
        for _ in range(4):
            _provider(ctx, parent=root, SRIOV_NET_VF=1)


_TWO_ISOLATED = {'resources1': 'SRIOV_NET_VF:1',
                 'resources2': 'SRIOV_NET_VF:1'}


def _search(database_url, db, **overrides):
    conf = databases.make_conf(database_url, {
        ('placement', name): value for name, value in overrides.items()})
    ctx = context.RequestContext(user_id='admin', project_id='admin',
                                 roles=['admin'], db=db, config=conf)
    return find_obj.find(ctx, _groups(**_TWO_ISOLATED),
                         find_obj.Wide(group_policy='isolate'))


def test_max_allocation_candidates_bounds_the_generation(ctx, database_url):
    _wide_trees(ctx, 2)
    # 4 * 3 ordered pairs of children in each of two trees.
    assert len(_search(database_url, ctx.db).candidates) == 24
    bounded = _search(database_url, ctx.db, max_allocation_candidates=5)
    assert len(bounded.candidates) == 5
    # Depth first: all from the first tree.
    assert len({candidate.anchor for candidate in bounded.candidates}) == 1


def test_breadth_first_takes_every_tree_in_turn(ctx, database_url):
    _wide_trees(ctx, 2)
    bounded = _search(
        database_url, ctx.db, max_allocation_candidates=4,
        allocation_candidates_generation_strategy='breadth-first')
    assert len({candidate.anchor for candidate in bounded.candidates}) == 2


def test_randomized_candidates_are_the_same_set(ctx, database_url):
    _wide_trees(ctx, 2)

    def keys(found):
        return {combine.resource_key(candidate) for candidate in
                found.candidates}

    plain = _search(database_url, ctx.db)
    shuffled = _search(database_url, ctx.db,
                       randomize_allocation_candidates=True)
    assert keys(plain) == keys(shuffled)


def _lone_world(ctx):
    """Lone providers: some in AGGREGATE, some with AVX2, one too full
    for a big request, one with a step size of 2."""
    uuids = [_provider(ctx, VCPU=8, MEMORY_MB=4096, DISK_GB=100,
                       traits=['HW_CPU_X86_AVX2'], aggregates=[AGGREGATE])
             for _ in range(3)]
    uuids.append(_provider(ctx, VCPU=2, MEMORY_MB=512,
                           aggregates=[AGGREGATE]))
    uuids.append(_provider(ctx, VCPU=16, DISK_GB=10,
                           traits=['HW_CPU_X86_AVX2', 'COMPUTE_NODE']))
    stepped = _provider(ctx)
    inv_obj.replace_all(ctx, stepped, 0, {
        'VCPU': inv_obj.with_defaults({'total': 8, 'step_size': 2})})
    return uuids + [stepped]


def _summary_resources(found, provider_id):
    """What the summary of the provider says of its resources, whether
    the search read its inventories or had the database write them."""
    if found.resources_json is not None:
        return json.loads(found.resources_json[provider_id])
    return {inventory.class_name: {'capacity': inventory.capacity,
                                   'used': inventory.used}
            for inventory in found.inventories[provider_id]}


def _answer(found):
    """What an answer is made of, in its order."""
    return ([(candidate.anchor, candidate.resources, candidate.mappings)
             for candidate in found.candidates],
            sorted(found.summary_ids),
            {provider_id: found.providers[provider_id]
             for provider_id in found.summary_ids},
            {provider_id: _summary_resources(found, provider_id)
             for provider_id in found.summary_ids},
            {provider_id: found.traits.get(provider_id, {})
             for provider_id in found.summary_ids})


def test_lone_providers_answer_as_the_general_search(
        ctx, database_url, monkeypatch):
    uuids = _lone_world(ctx)
    lone_queries = [
        ({'resources': 'VCPU:2'}, {}),
        ({'resources': 'VCPU:1,MEMORY_MB:1024'}, {'limit': 2}),
        ({'resources': 'VCPU:3'}, {}),
        ({'resources': 'VCPU:1', 'member_of': AGGREGATE,
          'required': '!COMPUTE_NODE'}, {}),
        ({'resources': 'VCPU:1', 'required': 'in:COMPUTE_NODE,'
          'HW_CPU_X86_AVX2'}, {'root_forbidden': {'COMPUTE_NODE'}}),
        ({'resources1': 'VCPU:1,DISK_GB:10'}, {'same_subtrees': [{'1'}]}),
        ({'resources': 'VCPU:1', 'in_tree': uuids[1]}, {}),
        ({'resources': 'VCPU:1', 'member_of': '!' + AGGREGATE}, {}),
        ({'resources': 'VCPU:64'}, {}),
    ]
    answers = []
    for query, wide in lone_queries:
        answers.append(_answer(find_obj.find(ctx, _groups(**query),
                                             find_obj.Wide(**wide))))
    assert all(answer[0] for answer in answers[:-1])
    monkeypatch.setattr(find_obj, '_all_lone', lambda *args: False)
    for (query, wide), answer in zip(lone_queries, answers):
        general = find_obj.find(ctx, _groups(**query),
                                find_obj.Wide(**wide))
        assert answer == _answer(general), query


def test_lone_providers_are_bounded_and_shuffled(ctx, database_url):
    _lone_world(ctx)
    conf = databases.make_conf(database_url, {
        ('placement', 'max_allocation_candidates'): 3})
    bounded_ctx = context.RequestContext(
        user_id='admin', project_id='admin', roles=['admin'], db=ctx.db,
        config=conf)
    query = _groups(resources='VCPU:1')
    every = find_obj.find(ctx, query, find_obj.Wide())
    # The provider with a step size of 2 cannot give 1.
    assert len(every.candidates) == 5
    bounded = find_obj.find(bounded_ctx, query, find_obj.Wide())
    assert bounded.candidates == every.candidates[:3]
    assert bounded.summary_ids == {candidate.anchor
                                   for candidate in bounded.candidates}
    conf = databases.make_conf(database_url, {
        ('placement', 'randomize_allocation_candidates'): True})
    shuffled_ctx = context.RequestContext(
        user_id='admin', project_id='admin', roles=['admin'], db=ctx.db,
        config=conf)
    orders = set()
    for _ in range(20):
        shuffled = find_obj.find(shuffled_ctx, query, find_obj.Wide())
        assert sorted(shuffled.candidates) == sorted(every.candidates)
        orders.add(tuple(candidate.anchor
                         for candidate in shuffled.candidates))
        picked = find_obj.find(shuffled_ctx, query, find_obj.Wide(limit=2))
        assert len(picked.candidates) == 2
        assert all(candidate in every.candidates
                   for candidate in picked.candidates)
    assert len(orders) > 1


def test_lone_provider_queries_do_not_grow_with_the_providers(ctx):
    counts = []
    for providers in (2, 8):
        for _ in range(providers):
            _provider(ctx, VCPU=4, traits=['HW_CPU_X86_AVX2'],
                      aggregates=[AGGREGATE])
        with _statements(ctx.db) as statements:
            answer = find_obj.find(
                ctx, _groups(resources='VCPU:1', member_of=AGGREGATE,
                             required='HW_CPU_X86_AVX2'),
                find_obj.Wide())
        assert answer.candidates
        counts.append(len(statements))
    assert counts[0] == counts[1]
