"""Whether two servers answer a query the same, order aside.

Each allocation request, provider summary and provider becomes one
canonical JSON string (keys sorted, trait lists sorted), and the servers'
sets of those strings are compared. An answer cut by ``limit`` may
legitimately hold a different subset on each server (the API does not
say which candidates come first), so there only the count is compared,
and every request of each answer is checked for validity against the
query instead.
"""
import json


def _canonical(value):
    return json.dumps(value, sort_keys=True, separators=(',', ':'))


def allocation_requests(answer):
    """The set of canonical allocation requests, mappings included."""
    requests = set()
    for request in answer['allocation_requests']:
        mappings = {suffix: sorted(providers) for suffix, providers
                    in request.get('mappings', {}).items()}
        requests.add(_canonical({'allocations': request['allocations'],
                                 'mappings': mappings}))
    return requests


def provider_summaries(answer):
    summaries = set()
    for rp, summary in answer['provider_summaries'].items():
        summary = dict(summary, traits=sorted(summary.get('traits', [])))
        summaries.add(_canonical({rp: summary}))
    return summaries


def providers(answer):
    """The providers of a GET /resource_providers answer, links aside
    (they hold each server's own host)."""
    return {_canonical({key: value for key, value in provider.items()
                        if key != 'links'})
            for provider in answer['resource_providers']}


def invalid_requests(answer, query):
    """Why each allocation request that does not fit ``query`` does not:
    the resources it allocates must add up to those asked for, and every
    group must map to providers that it allocates from."""
    wanted = query.requested_totals()
    problems = []
    for request in answer['allocation_requests']:
        totals = {}
        for allocation in request['allocations'].values():
            for name, amount in allocation['resources'].items():
                totals[name] = totals.get(name, 0) + amount
        mappings = request.get('mappings', {})
        if totals != wanted:
            problems.append('allocates %s, not %s' % (totals, wanted))
        elif set(mappings) != set(query.groups):
            problems.append('maps groups %s, not %s'
                            % (sorted(mappings), sorted(query.groups)))
        elif any(rp not in request['allocations']
                 for rps in mappings.values() for rp in rps):
            problems.append('maps a group to a provider it does not use')
    return problems


def _set_difference(what, ours, theirs):
    if ours == theirs:
        return []
    return ['%s: %d only in ours, %d only in theirs (e.g. %s)' % (
        what, len(ours - theirs), len(theirs - ours),
        _example(ours - theirs or theirs - ours))]


def _example(strings):
    example = min(strings)
    return example if len(example) <= 300 else example[:300] + '...'


def compare_candidates(ours, theirs, query):
    """(summary, differences) of two GET /allocation_candidates answers
    to ``query``; differences is empty when they agree."""
    differences = []
    for side, answer in (('ours', ours), ('theirs', theirs)):
        problems = invalid_requests(answer, query)
        if problems:
            differences.append('%s: %d invalid allocation requests (%s)'
                               % (side, len(problems), problems[0]))
    count = len(ours['allocation_requests'])
    if query.limit is None:
        differences += _set_difference(
            'allocation requests', allocation_requests(ours),
            allocation_requests(theirs))
        how = 'same %d allocation requests' % count
    else:
        other = len(theirs['allocation_requests'])
        if count != other:
            differences.append('limit=%d: %d allocation requests in ours, '
                               '%d in theirs' % (query.limit, count, other))
        how = '%d valid allocation requests each (limit=%d: count and ' \
              'validity compared, not the subset)' % (count, query.limit)
    differences += _set_difference(
        'provider summaries', provider_summaries(ours),
        provider_summaries(theirs))
    summary = '%s, same %d provider summaries' % (
        how, len(ours['provider_summaries']))
    return summary, differences


def compare_providers(ours, theirs):
    differences = _set_difference('providers', providers(ours),
                                  providers(theirs))
    return 'same %d providers' % len(ours['resource_providers']), \
        differences


def check_alone(answer, query):
    """(summary, problems) of one server's candidates answer, when there
    is no other server to compare it with."""
    problems = invalid_requests(answer, query)
    summary = '%d allocation requests, all valid' % len(
        answer['allocation_requests'])
    return summary, ['%d invalid allocation requests (%s)'
                     % (len(problems), problems[0])] if problems else []
