"""The combination of request groups into allocation candidates, on
hand-made requests: no database."""
import itertools
import time

from placement.objects.candidates import combine
from placement.objects.candidates import groups
from placement.objects.candidates import search
from placement import queryparams

# A root 1 with children 11..18; root 2 alone.
EDGES = {1: None, 2: None, **{child: 1 for child in range(11, 19)}}


def _request(provider, suffix='1', anchor=1, name='VF', amount=1):
    return groups.Request(anchor, ((provider, name, amount),),
                          ((suffix, frozenset([provider])),), bool(suffix))


def _room(providers, name='VF', capacity=1, used=0, max_unit=1):
    return {(provider, name): search.Inventory(name, capacity, used,
                                               max_unit)
            for provider in providers}


def _wide(group_count, children=range(11, 19)):
    return {str(n): [_request(child, str(n)) for child in children]
            for n in range(1, group_count + 1)}


def test_isolate_gives_each_group_its_own_provider():
    found = list(combine.candidates(_wide(2, [11, 12]), _room([11, 12]),
                                    EDGES, group_policy='isolate'))
    assert sorted(sorted(c.mappings['1'] | c.mappings['2'])
                  for c in found) == [[11, 12], [11, 12]]


def test_none_lets_groups_share_a_provider_within_its_capacity():
    inventories = _room([11, 12], capacity=2, max_unit=2)
    found = list(combine.candidates(_wide(2, [11, 12]), inventories, EDGES,
                                    group_policy='none'))
    # Both on 11, both on 12, and one each way.
    assert len(found) == 4
    both_on_11 = next(c for c in found
                      if c.mappings['1'] == c.mappings['2'] == {11})
    assert both_on_11.resources == {11: {'VF': 2}}


def test_amounts_added_up_must_fit():
    # One unit each: two groups on one provider do not fit.
    found = list(combine.candidates(_wide(2, [11]), _room([11]), EDGES,
                                    group_policy='none'))
    assert found == []


def test_used_units_count_against_capacity():
    inventories = _room([11, 12], capacity=2, used=1, max_unit=2)
    found = list(combine.candidates(_wide(2, [11, 12]), inventories, EDGES,
                                    group_policy='none'))
    assert all(len(c.resources) == 2 for c in found)


def test_max_unit_bounds_the_sum():
    inventories = _room([11], capacity=5, max_unit=1)
    assert list(combine.candidates(_wide(2, [11]), inventories, EDGES,
                                   group_policy='none')) == []


def test_same_candidate_twice_is_kept_once():
    requests = {'': [_request(11, ''), _request(11, '')]}
    assert len(list(combine.candidates(requests, _room([11]), EDGES))) == 1


def test_groups_combine_only_within_one_tree():
    requests = {'1': [_request(11, '1', anchor=1)],
                '2': [_request(2, '2', anchor=2)]}
    assert list(combine.candidates(requests, _room([11, 2]), EDGES,
                                   group_policy='none')) == []


def test_same_subtree_needs_one_provider_above_the_others():
    edges = {1: None, 11: 1, 12: 1, 111: 11}
    requests = {'a': [_request(11, 'a')],
                'b': [_request(111, 'b'), _request(12, 'b')]}
    found = list(combine.candidates(
        requests, _room([11, 12, 111]), edges, group_policy='none',
        same_subtrees=[{'a', 'b'}]))
    assert [c.mappings['b'] for c in found] == [{111}]


def test_max_count_stops_the_generation():
    found = list(combine.candidates(_wide(3), _room(range(11, 19)), EDGES,
                                    group_policy='isolate', max_count=5))
    assert len(found) == 5


def test_work_stops_early_on_a_wide_tree(monkeypatch):
    # 8 children, 6 isolated groups: 8**6 = 262144 choices, 20160
    # candidates. The first ten come after a few thousand choices.
    judged = itertools.count()
    isolated = combine.isolated

    def counting(choice, granular_count):
        next(judged)
        return isolated(choice, granular_count)

    monkeypatch.setattr(combine, 'isolated', counting)
    started = time.monotonic()
    first = list(itertools.islice(combine.candidates(
        _wide(6), _room(range(11, 19)), EDGES, group_policy='isolate'), 10))
    assert len(first) == 10
    assert next(judged) < 10000
    assert time.monotonic() - started < 0.5


def test_breadth_first_takes_trees_in_turn():
    requests = {'': [_request(11, '', anchor=1), _request(12, '', anchor=1),
                     _request(2, '', anchor=2)]}
    inventories = _room([11, 12, 2])
    depth = [c.anchor for c in combine.candidates(requests, inventories,
                                                  EDGES)]
    breadth = [c.anchor for c in combine.candidates(
        requests, inventories, EDGES, breadth_first=True)]
    assert depth == [1, 1, 2]
    assert breadth == [1, 2, 1]


def test_one_provider_per_tree_before_nesting():
    roots = {11: 1, 12: 1, 2: 2}
    two_children = combine.Candidate(1, {11: {'A': 1}, 12: {'B': 1}}, {})
    child_and_sharing = combine.Candidate(1, {11: {'A': 1}, 2: {'B': 1}},
                                          {})
    assert not combine.one_provider_per_tree(two_children, roots)
    assert combine.one_provider_per_tree(child_and_sharing, roots)


def _group(**fields):
    return queryparams.RequestGroup(**fields)


def test_sharing_provider_anchors_a_request_in_each_tree_it_shares_with():
    group = _group(suffix='1', resources={'DISK_GB': 10})
    found = list(groups.single_provider_requests(
        group, {(5, 5)}, {5: {5, 1, 2}}, lambda root: root != 2))
    assert [request.anchor for request in found] == [5, 1]


def test_unsuffixed_group_judges_traits_on_the_providers_together():
    group = _group(resources={'VCPU': 1, 'DISK_GB': 1},
                   required_traits=[{'FAST'}, {'SSD'}],
                   forbidden_traits={'SLOW'})
    by_class = {'VCPU': {(11, 1), (12, 1)}, 'DISK_GB': {(1, 1)}}
    traits = {11: {'FAST': 1}, 12: {'FAST': 2, 'SLOW': 3}, 1: {'SSD': 4}}
    found = list(groups.multi_provider_requests(group, by_class, traits))
    assert [request.mappings[0][1] for request in found] == [
        frozenset({1, 11})]


def test_member_of_is_met_by_a_provider_or_its_root():
    group = _group(resources={'VCPU': 1}, member_of=[{'agg'}])

    class Known:
        aggregates = {1: {'agg'}}

        @staticmethod
        def anchor_allowed(root):
            return True

    rows = groups.anchored_rows(group, {'VCPU': {(11, 1), (21, 2)}}, {},
                                Known)
    assert rows == {'VCPU': {(11, 1)}}
