"""The SQL that each backend writes in its own words: capacity computed
in SQL equals capacity computed in Python, rounding down as Python does
for negative values too, and the resources JSON of provider summaries
says what the Python summaries say."""
import json
import uuid as uuidlib

import pytest
import sqlalchemy as sa

from placement import context
from placement.db import functions
from placement.db import tables
from placement.objects import capacity
from placement.objects.candidates import search
from placement.objects import resource_provider as rp_obj
from tests import databases

_inv = tables.inventories
_rp = tables.resource_providers
_rc = tables.resource_classes

# (total, reserved, allocation_ratio): ratios that single precision
# stores a hair off, large totals, and reserved above total, which an
# adopted database may hold.
INVENTORIES = [
    (10, 0, 0.7), (32, 0, 4.0), (131072, 512, 1.5), (2048, 10, 1.0),
    (7, 0, 1.0 / 3), (2147483647, 0, 16.0), (3, 2, 0.1), (5, 0, 0.0),
    (2, 5, 1.5), (1, 4, 0.333333), (0, 1, 1.0),
]


@pytest.fixture
def ctx(db, database_url):
    return context.RequestContext(
        user_id='admin', project_id='admin', roles=['admin'], db=db,
        config=databases.make_conf(database_url))


def _provider_with_raw_inventory(ctx, class_ids, rows):
    """A provider id with ``rows`` written straight into the table, past
    the API's checks."""
    uuid = str(uuidlib.uuid4())
    rp_obj.create(ctx, 'rp-%s' % uuid, uuid=uuid)
    with ctx.db.writer(ctx) as conn:
        provider_id = conn.execute(sa.select(_rp.c.id).where(
            _rp.c.uuid == uuid)).scalar_one()
        for class_id, (total, reserved, ratio) in zip(class_ids, rows):
            conn.execute(_inv.insert().values(
                resource_provider_id=provider_id, resource_class_id=class_id,
                total=total, reserved=reserved, min_unit=1, max_unit=total
                or 1, step_size=1, allocation_ratio=ratio))
    return provider_id


def _class_ids(ctx, count):
    with ctx.db.reader(ctx) as conn:
        return [row[0] for row in conn.execute(
            sa.select(_rc.c.id).order_by(_rc.c.id).limit(count))]


def test_capacity_in_sql_is_capacity_in_python(ctx):
    class_ids = _class_ids(ctx, len(INVENTORIES))
    provider_id = _provider_with_raw_inventory(ctx, class_ids, INVENTORIES)
    with ctx.db.reader(ctx) as conn:
        rows = conn.execute(
            sa.select(_inv.c.total, _inv.c.reserved,
                      capacity.scaled_ratio_column(_inv),
                      capacity.capacity_column(_inv))
            .where(_inv.c.resource_provider_id == provider_id)).all()
    assert len(rows) == len(INVENTORIES)
    for total, reserved, scaled, in_sql in rows:
        assert in_sql == capacity.capacity_from(total, reserved, scaled), (
            total, reserved, scaled)
    # Reserved above total makes a negative capacity, rounded down.
    assert min(row[3] for row in rows) < 0


@pytest.mark.parametrize('a', [-7, -6, -1, 0, 1, 5, 6, 7,
                               -(2 ** 40) - 1, 2 ** 40 + 1])
def test_whole_floor_div_rounds_down(ctx, a):
    with ctx.db.reader(ctx) as conn:
        value = conn.execute(sa.select(functions.whole_floor_div(
            sa.literal(a, sa.BigInteger), 3))).scalar_one()
    assert value == a // 3


def test_resources_json_says_what_the_inventories_say(ctx):
    class_ids = _class_ids(ctx, len(INVENTORIES))
    first = _provider_with_raw_inventory(ctx, class_ids, INVENTORIES)
    second = _provider_with_raw_inventory(ctx, class_ids[:2],
                                          INVENTORIES[:2])
    ids = [first, second]
    with ctx.db.reader(ctx) as conn:
        written = search.resources_json_of(conn, ids)
        inventories = search.inventories_of(conn, ids)
        names = {row[0] for row in conn.execute(
            sa.select(_rc.c.name).where(_rc.c.id.in_(class_ids[:1])))}
        some = search.resources_json_of(conn, ids, names)
    for provider_id in ids:
        assert json.loads(written[provider_id]) == {
            inventory.class_name: {'capacity': inventory.capacity,
                                   'used': inventory.used}
            for inventory in inventories[provider_id]}
        assert set(json.loads(some[provider_id])) == names
