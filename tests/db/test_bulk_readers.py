"""The bulk readers of provider trees, inventories and usages, on every
backend: exact answers, and one query each however many providers they
are asked about."""
import contextlib
import sqlite3
import uuid as uuidlib

import pytest
import sqlalchemy as sa

from placement import context
from placement.db import id_lists
from placement.db import tables
from placement.objects import allocation_write
from placement.objects import inventory as inv_obj
from placement.objects import capacity
from placement.objects import inventory_usage
from placement.objects import provider_tree
from placement.objects import resource_provider as rp_obj
from tests import databases

_rp = tables.resource_providers
_inv = tables.inventories

# Ids that no provider or class has; more of them than SQLite has ever
# allowed bound parameters in one statement by default.
_MANY_UNKNOWN_IDS = range(10_000_000, 10_040_000)


@pytest.fixture
def ctx(db, database_url):
    return context.RequestContext(
        user_id='admin', project_id='admin', roles=['admin'], db=db,
        config=databases.make_conf(database_url))


def _provider(ctx, parent=None):
    """(id, uuid) of a new provider."""
    uuid = str(uuidlib.uuid4())
    rp_obj.create(ctx, 'rp-%s' % uuid, uuid=uuid, parent_uuid=parent)
    with ctx.db.reader(ctx) as conn:
        return conn.execute(sa.select(_rp.c.id).where(
            _rp.c.uuid == uuid)).scalar_one(), uuid


def _class_ids(ctx, *names):
    classes = tables.resource_classes
    with ctx.db.reader(ctx) as conn:
        rows = conn.execute(sa.select(classes.c.name, classes.c.id).where(
            classes.c.name.in_(names)))
        return {name: class_id for name, class_id in rows}


def _set_inventories(ctx, uuid, **inventories):
    """Inventories given as totals or as dicts of fields."""
    inv_obj.replace_all(ctx, uuid, 0, {
        name: inv_obj.with_defaults(
            fields if isinstance(fields, dict) else {'total': fields})
        for name, fields in inventories.items()})


def _claim(ctx, allocations):
    """A new consumer's allocations, {provider uuid: {class: amount}}."""
    allocation_write.replace_all(ctx, [allocation_write.ConsumerClaim(
        str(uuidlib.uuid4()), allocations, project_id='project',
        user_id='user')])


_statements = databases.statements_run


def _counted(ctx, read, *args):
    """(answer, number of statements) of ``read(conn, *args)``."""
    with ctx.db.reader(ctx) as conn:
        with _statements(ctx.db) as statements:
            answer = read(conn, *args)
    return answer, len(statements)


def _read(ctx, read, *args):
    with ctx.db.reader(ctx) as conn:
        return read(conn, *args)


# Trees

@pytest.fixture
def forest(ctx):
    """{name: (id, uuid)}: tree a four levels deep (a - a1 - a2 - a3, and
    a1b beside a1), tree b (b - b1), and c on its own."""
    made = {}
    for name, parent in (('a', None), ('a1', 'a'), ('a2', 'a1'),
                         ('a3', 'a2'), ('a1b', 'a'), ('b', None),
                         ('b1', 'b'), ('c', None)):
        made[name] = _provider(ctx, made[parent][1] if parent else None)
    return made


def _ids(forest):
    return {name: ids[0] for name, ids in forest.items()}


def test_tree_edges_of_several_roots(ctx, forest):
    i = _ids(forest)
    assert _read(ctx, provider_tree.tree_edges, [i['a'], i['b'], i['c']]) == {
        i['a']: {i['a']: None, i['a1']: i['a'], i['a2']: i['a1'],
                 i['a3']: i['a2'], i['a1b']: i['a']},
        i['b']: {i['b']: None, i['b1']: i['b']},
        i['c']: {i['c']: None},
    }


def test_tree_edges_only_of_roots_asked_for(ctx, forest):
    i = _ids(forest)
    assert _read(ctx, provider_tree.tree_edges, iter([i['b'], i['b']])) == {
        i['b']: {i['b']: None, i['b1']: i['b']}}
    # A child's id or an unknown one is no root's.
    assert _read(ctx, provider_tree.tree_edges, [i['a1'], 10**9]) == {}


def test_nothing_asked_is_no_query(ctx):
    readers = (provider_tree.tree_edges, provider_tree.trees_containing,
               provider_tree.roots_of, provider_tree.tree_fields,
               inventory_usage.inventories_with_usage,
               inventory_usage.usages_by_provider)
    for read in readers:
        assert _counted(ctx, read, []) == ({}, 0)


def test_trees_containing(ctx, forest):
    i = _ids(forest)
    trees = _read(ctx, provider_tree.trees_containing,
                  [i['a3'], i['a1b'], i['c'], 10**9])
    assert trees == _read(ctx, provider_tree.tree_edges, [i['a'], i['c']])
    assert set(trees) == {i['a'], i['c']}


def test_roots_of(ctx, forest):
    i = _ids(forest)
    assert _read(ctx, provider_tree.roots_of, list(i.values()) + [10**9]) == {
        i[name]: i[name[0]] for name in i}


def test_tree_fields(ctx, forest):
    i = _ids(forest)
    uuid = {name: ids[1] for name, ids in forest.items()}
    TreeFields = provider_tree.TreeFields
    assert _read(ctx, provider_tree.tree_fields,
                 [i['a'], i['a3'], i['b1'], i['c'], 10**9]) == {
        i['a']: TreeFields(uuid['a'], None, uuid['a'], None, i['a']),
        i['a3']: TreeFields(uuid['a3'], uuid['a2'], uuid['a'], i['a2'],
                            i['a']),
        i['b1']: TreeFields(uuid['b1'], uuid['b'], uuid['b'], i['b'],
                            i['b']),
        i['c']: TreeFields(uuid['c'], None, uuid['c'], None, i['c']),
    }


def test_pure_helpers_agree_with_the_database(ctx, forest):
    i = _ids(forest)
    edges = provider_tree.merged(_read(
        ctx, provider_tree.tree_edges, [i['a'], i['b'], i['c']]))
    roots = _read(ctx, provider_tree.roots_of, list(i.values()))
    assert {provider_id: provider_tree.root_of(edges, provider_id)
            for provider_id in i.values()} == roots
    assert provider_tree.ancestors(edges, i['a3']) == [i['a2'], i['a1'],
                                                       i['a']]
    assert provider_tree.subtree_ids(edges, i['a1']) == {
        i['a1'], i['a2'], i['a3']}


def _make_trees(ctx, how_many):
    """Root ids of ``how_many`` new trees of three levels."""
    roots = []
    for _ in range(how_many):
        root_id, root_uuid = _provider(ctx)
        _provider(ctx, _provider(ctx, root_uuid)[1])
        roots.append(root_id)
    return roots


def test_tree_queries_do_not_grow_with_roots(ctx):
    few, many = _make_trees(ctx, 1), _make_trees(ctx, 50)
    every = few + many
    for read in (provider_tree.tree_edges, provider_tree.trees_containing,
                 provider_tree.roots_of):
        answer_few, count_few = _counted(ctx, read, few)
        answer_many, count_many = _counted(ctx, read, many)
        assert len(answer_few) == 1 and len(answer_many) == 50
        assert count_few == count_many == 1, read.__name__
    edges = provider_tree.merged(_read(ctx, provider_tree.tree_edges, every))
    assert len(edges) == 51 * 3
    fields_few, count_few = _counted(ctx, provider_tree.tree_fields, few)
    fields_all, count_all = _counted(ctx, provider_tree.tree_fields, edges)
    assert len(fields_few) == 1 and len(fields_all) == 51 * 3
    assert count_few == count_all == 1


# The pure helpers on hand-made edges: 1 - 2 - 3 - 4 and 1 - 5, 6 alone.

_EDGES = {1: None, 2: 1, 3: 2, 4: 3, 5: 1, 6: None}


def test_ancestors_and_root():
    assert provider_tree.ancestors(_EDGES, 4) == [3, 2, 1]
    assert provider_tree.ancestors(_EDGES, 1) == []
    assert [provider_tree.root_of(_EDGES, provider_id)
            for provider_id in (1, 2, 3, 4, 5, 6)] == [1, 1, 1, 1, 1, 6]
    with pytest.raises(KeyError):
        provider_tree.ancestors(_EDGES, 7)


def test_a_parent_loop_is_an_error_not_a_hang():
    with pytest.raises(ValueError, match='loop'):
        provider_tree.ancestors({1: 2, 2: 3, 3: 1}, 1)


def test_subtree_ids():
    assert provider_tree.subtree_ids(_EDGES, 1) == {1, 2, 3, 4, 5}
    assert provider_tree.subtree_ids(_EDGES, 2) == {2, 3, 4}
    assert provider_tree.subtree_ids(_EDGES, 4) == {4}
    assert provider_tree.subtree_ids(_EDGES, 6) == {6}


@pytest.mark.parametrize('providers, root', [
    ({4}, 4),
    ({2, 4}, 2),
    ({4, 3, 2}, 2),
    ({1, 4, 5}, 1),
    ([3, 3, 4], 3),
    # Siblings' subtrees, or cousins', hold neither of them.
    ({4, 5}, None),
    ({2, 5}, None),
    # Another tree altogether.
    ({1, 6}, None),
    (set(), None),
])
def test_shared_subtree_root(providers, root):
    assert provider_tree.shared_subtree_root(_EDGES, providers) == root


def test_merged():
    assert provider_tree.merged({1: {1: None, 2: 1}, 6: {6: None}}) == {
        1: None, 2: 1, 6: None}


# Inventories and usages

@pytest.fixture
def stocked(ctx):
    """{name: (id, uuid)} of providers: 'compute' with VCPU (allocated
    by two consumers), MEMORY_MB (allocated) and DISK_GB (not); 'storage'
    with DISK_GB (allocated); 'bare' with no inventory; and a child of
    compute with an unallocated VCPU inventory."""
    made = {name: _provider(ctx) for name in ('compute', 'storage', 'bare')}
    made['child'] = _provider(ctx, made['compute'][1])
    uuid = {name: ids[1] for name, ids in made.items()}
    _set_inventories(ctx, uuid['compute'], VCPU={
        'total': 16, 'reserved': 2, 'min_unit': 2, 'max_unit': 8,
        'step_size': 2, 'allocation_ratio': 1.5},
        MEMORY_MB={'total': 4096, 'reserved': 512, 'max_unit': 4096},
        DISK_GB={'total': 100, 'allocation_ratio': 0.5})
    _set_inventories(ctx, uuid['storage'], DISK_GB=2000)
    _set_inventories(ctx, uuid['child'], VCPU=4)
    _claim(ctx, {uuid['compute']: {'VCPU': 4, 'MEMORY_MB': 1024},
                 uuid['storage']: {'DISK_GB': 100}})
    _claim(ctx, {uuid['compute']: {'VCPU': 2},
                 uuid['storage']: {'DISK_GB': 50}})
    return made


def _inventory(total, used, reserved=0, min_unit=1, max_unit=2147483647,
               step_size=1, allocation_ratio=1.0):
    return {'total': total, 'reserved': reserved, 'min_unit': min_unit,
            'max_unit': max_unit, 'step_size': step_size,
            'allocation_ratio': allocation_ratio,
            'scaled_ratio': capacity.scaled_ratio(allocation_ratio),
            'used': used}


def test_inventories_with_usage(ctx, stocked):
    i = _ids(stocked)
    c = _class_ids(ctx, 'VCPU', 'MEMORY_MB', 'DISK_GB')
    assert _read(ctx, inventory_usage.inventories_with_usage,
                 list(i.values()) + [10**9]) == {
        (i['compute'], c['VCPU']): _inventory(
            16, 6, reserved=2, min_unit=2, max_unit=8, step_size=2,
            allocation_ratio=1.5),
        (i['compute'], c['MEMORY_MB']): _inventory(
            4096, 1024, reserved=512, max_unit=4096),
        (i['compute'], c['DISK_GB']): _inventory(
            100, 0, allocation_ratio=0.5),
        (i['storage'], c['DISK_GB']): _inventory(2000, 150),
        (i['child'], c['VCPU']): _inventory(4, 0),
    }


def test_inventories_of_some_classes(ctx, stocked):
    i = _ids(stocked)
    c = _class_ids(ctx, 'VCPU', 'DISK_GB', 'IPV4_ADDRESS')
    found = _read(ctx, inventory_usage.inventories_with_usage,
                  [i['compute'], i['storage'], i['child']],
                  [c['DISK_GB'], c['IPV4_ADDRESS']])
    assert {key: inventory['used'] for key, inventory in found.items()} == {
        (i['compute'], c['DISK_GB']): 0, (i['storage'], c['DISK_GB']): 150}
    assert _counted(ctx, inventory_usage.inventories_with_usage,
                    [i['compute']], []) == ({}, 0)


def test_allocation_ratio_as_the_database_gives_it(ctx):
    # 1.1 is not exact in binary, and MariaDB's single precision FLOAT
    # rounds it further; the reader changes nothing of what it gets.
    provider_id, uuid = _provider(ctx)
    _set_inventories(ctx, uuid, VCPU={'total': 10, 'allocation_ratio': 1.1})
    with ctx.db.reader(ctx) as conn:
        stored = conn.execute(sa.select(_inv.c.allocation_ratio).where(
            _inv.c.resource_provider_id == provider_id)).scalar_one()
        found = inventory_usage.inventories_with_usage(conn, [provider_id])
    [inventory] = found.values()
    assert inventory['allocation_ratio'] == stored
    assert inventory['allocation_ratio'] == pytest.approx(1.1)


def test_usages_by_provider(ctx, stocked):
    i = _ids(stocked)
    c = _class_ids(ctx, 'VCPU', 'MEMORY_MB', 'DISK_GB')
    every = list(i.values()) + [10**9]
    assert _read(ctx, inventory_usage.usages_by_provider, every) == {
        i['compute']: {c['VCPU']: 6, c['MEMORY_MB']: 1024},
        i['storage']: {c['DISK_GB']: 150},
    }
    assert _read(ctx, inventory_usage.usages_by_provider, every,
                 [c['VCPU'], c['DISK_GB']]) == {
        i['compute']: {c['VCPU']: 6}, i['storage']: {c['DISK_GB']: 150}}


def test_inventory_queries_do_not_grow_with_providers(ctx):
    providers = [_provider(ctx) for _ in range(51)]
    for _, uuid in providers:
        _set_inventories(ctx, uuid, VCPU=8, MEMORY_MB=1024)
    _claim(ctx, {uuid: {'VCPU': 1} for _, uuid in providers})
    ids = [provider_id for provider_id, _ in providers]
    few, many = ids[:1], ids[1:]
    for read, per_provider in (
            (inventory_usage.inventories_with_usage, 2),
            (inventory_usage.usages_by_provider, 1)):
        answer_few, count_few = _counted(ctx, read, few)
        answer_many, count_many = _counted(ctx, read, many)
        assert len(answer_few) == per_provider
        assert len(answer_many) == 50 * per_provider
        assert count_few == count_many == 1, read.__name__


# Long id lists

@contextlib.contextmanager
def _sqlite_parameter_cap(conn, cap):
    """On SQLite, cap the bound parameters of a statement at ``cap`` for
    the block, as old or frugal builds of SQLite do."""
    if conn.dialect.name != 'sqlite':
        yield
        return
    dbapi_connection = conn.connection.dbapi_connection
    old = dbapi_connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER,
                                    cap)
    try:
        yield
    finally:
        dbapi_connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, old)


def _read_many(ctx, forest, stocked):
    """Every reader's answer for the known ids among 40,000 unknown ones,
    each read counted."""
    ids = list(_MANY_UNKNOWN_IDS) + list(_ids(forest).values()) + list(
        _ids(stocked).values())
    answers, counts = [], []
    with ctx.db.reader(ctx) as conn:
        with _sqlite_parameter_cap(conn, 999):
            for read in (provider_tree.tree_edges,
                         provider_tree.trees_containing,
                         provider_tree.roots_of, provider_tree.tree_fields,
                         inventory_usage.inventories_with_usage,
                         inventory_usage.usages_by_provider):
                with _statements(ctx.db) as statements:
                    answers.append(read(conn, ids))
                counts.append(len(statements))
    return answers, counts


def test_long_id_lists_in_one_query(ctx, forest, stocked):
    answers, counts = _read_many(ctx, forest, stocked)
    assert counts == [1] * 6
    edges, trees, roots, fields, inventories, usages = answers
    assert set(edges) == set(trees) == {
        forest[name][0] for name in ('a', 'b', 'c')} | {
        stocked[name][0] for name in ('compute', 'storage', 'bare')}
    assert len(roots) == len(fields) == len(forest) + len(stocked)
    assert len(inventories) == 5
    assert set(usages) == {stocked['compute'][0], stocked['storage'][0]}


def test_bound_parameters_would_overflow_sqlite(ctx, backend, forest,
                                                stocked, monkeypatch):
    # The guard the test above relies on: without the ids written inline,
    # SQLite refuses the statement.
    if backend != 'sqlite':
        pytest.skip('only SQLite caps bound parameters')
    monkeypatch.setattr(id_lists, 'column_in',
                        lambda column, ids: column.in_(sorted(set(ids))))
    with pytest.raises(sa.exc.OperationalError,
                       match='too many SQL variables'):
        _read_many(ctx, forest, stocked)


@pytest.mark.parametrize('bad_id', ['1) OR (1=1', 1.5, None])
def test_only_integers_are_written_inline(bad_id):
    with pytest.raises(TypeError):
        id_lists.column_in(_rp.c.id, [bad_id])
