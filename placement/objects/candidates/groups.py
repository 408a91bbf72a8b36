"""The allocation requests of one request group, built in Python from the
rows the search fetched.

A granular group (suffixed) takes all its resources from one provider; so
does the unsuffixed group where no provider has a parent and none shares.
Otherwise the unsuffixed group may take each resource class from another
provider of one tree, or from a sharing provider whose aggregate the tree
is in; its traits are then judged on the providers it takes from
together, as OpenStack Placement does.
"""
import collections
import itertools

# One way to satisfy one group: the root of the tree it is anchored to,
# ((provider id, class name, amount), ...), ((suffix, frozenset of
# provider ids),) and whether the group is a granular one.
Request = collections.namedtuple(
    'Request', 'anchor resources mappings same_provider')


def single_provider_requests(group, rows, sharing, anchor_allowed):
    """The requests of a group met by ``rows``, (provider id, root id) of
    providers that alone satisfy it. A sharing provider anchors a request
    in every tree it shares with (``sharing``: {provider id: root ids})."""
    same_provider = bool(group.suffix)
    for provider_id, root_id in sorted(rows):
        request = Request(
            root_id,
            tuple((provider_id, name, amount)
                  for name, amount in group.resources.items()),
            ((group.suffix, frozenset([provider_id])),), same_provider)
        if anchor_allowed(root_id):
            yield request
        for anchor in sorted(sharing.get(provider_id, ())):
            if anchor != root_id and anchor_allowed(anchor):
                yield request._replace(anchor=anchor)


def in_aggregates(aggregates, member_of):
    """Whether a provider with ``aggregates`` is in some aggregate of each
    set of ``member_of``."""
    return all(aggregates & any_of for any_of in member_of)


def anchored_rows(group, room, sharing, known):
    """{class name: {(provider id, anchor root id)}} that may give each
    class, or None when some class has none: the providers with room in
    their own tree and, unless in_tree is given, sharing providers in
    every tree they share with; filtered by the group's aggregates and
    ``known.anchor_allowed``."""
    def matches(provider_id):
        return in_aggregates(known.aggregates.get(provider_id, set()),
                             group.member_of)

    def bad(provider_id):
        return bool(known.aggregates.get(provider_id, set())
                    & group.forbidden_aggregates)

    by_class = {}
    for name in group.resources:
        rows = set(room[name])
        shared = {provider_id for provider_id, _ in rows
                  if provider_id in sharing}
        if group.member_of:
            shared = {provider_id for provider_id in shared
                      if matches(provider_id)}
        if group.in_tree is None:
            rows |= {(provider_id, anchor) for provider_id in shared
                     for anchor in sharing[provider_id]}
        rows = {row for row in rows if known.anchor_allowed(row[1])}
        if group.member_of:
            rows = {row for row in rows if matches(row[0])
                    or matches(row[1])}
        if group.forbidden_aggregates:
            rows = {row for row in rows
                    if not bad(row[0]) and not bad(row[1])}
        if not rows:
            return None
        by_class[name] = rows
    return by_class


def _traits_met(provider_ids, group, traits):
    """Whether the providers together have a trait of each required set
    and none of them a forbidden one."""
    if not (group.required_traits or group.forbidden_traits):
        return True
    union = set()
    for provider_id in provider_ids:
        names = traits.get(provider_id, {}).keys()
        if not group.forbidden_traits.isdisjoint(names):
            return False
        union.update(names)
    return all(not union.isdisjoint(any_of)
               for any_of in group.required_traits)


def multi_provider_requests(group, by_class, traits):
    """The requests of the unsuffixed group that take each class from a
    provider of ``by_class`` (anchored_rows), one tree at a time.

    The same request anchored in several trees (a sharing provider alone)
    is kept in each, so that other groups can join it in any of them.
    OpenStack Placement keeps one of them, whichever its set iteration
    meets first, and so may miss candidates that this search finds."""
    trees = collections.defaultdict(dict)
    for name, rows in by_class.items():
        for provider_id, anchor in rows:
            trees[anchor].setdefault(name, []).append(provider_id)
    for anchor in sorted(trees):
        options = trees[anchor]
        if len(options) != len(by_class):
            continue
        names = sorted(options)
        for choice in itertools.product(
                *(sorted(options[name]) for name in names)):
            if not _traits_met(choice, group, traits):
                continue
            resources = tuple((provider_id, name, group.resources[name])
                              for provider_id, name in zip(choice, names))
            yield Request(anchor, resources,
                          ((group.suffix, frozenset(choice)),), False)
