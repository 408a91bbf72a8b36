"""A class or trait deleted while another transaction writes inventory or
provider traits that use it: the delete waits for the write and then
refuses (the name is in use), so no row ever refers to a deleted class or
trait. With the share lock that guards it removed, the delete wins in the
middle of the write on PostgreSQL and MariaDB and leaves such a row."""
import threading
import uuid as uuidlib

from oslo_db import exception as db_exc
import pytest
import sqlalchemy as sa

from placement import context
from placement.db import tables
from placement import exception
from placement.objects import inventory
from placement.objects import names
from placement.objects import provider_trait
from placement.objects import resource_class
from placement.objects import resource_provider as rp_obj
from placement.objects import trait

# How long the write waits, holding its look-up, for the delete to run.
RIVAL_SECONDS = 1.5


@pytest.fixture
def ctx(db):
    return context.RequestContext(user_id='admin', project_id='admin',
                                  roles=['admin'], db=db)


def _provider(ctx):
    return rp_obj.create(ctx, 'rp-%s' % uuidlib.uuid4().hex[:8])['uuid']


class _DeleteDuringLookUp:
    """Once the write has looked up ``name``, run ``delete`` in another
    thread (so in another transaction) and give it RIVAL_SECONDS to
    finish before the write goes on; the delete's outcome is recorded."""

    def __init__(self, monkeypatch, table, name, delete):
        self.outcome = None
        self.finished = threading.Event()
        real_ids_of = names.ids_of

        def ids_of(conn, looked_in, wanted):
            found = real_ids_of(conn, looked_in, wanted)
            if (looked_in is table and name in wanted
                    and self.outcome is None):
                self.outcome = 'pending'
                threading.Thread(target=self._run, args=(delete,)).start()
                self.finished.wait(RIVAL_SECONDS)
            return found

        monkeypatch.setattr(names, 'ids_of', ids_of)

    def _run(self, delete):
        try:
            delete()
            self.outcome = 'deleted'
        except (exception.ResourceClassInUse, exception.TraitInUse):
            self.outcome = 'in use'
        except Exception as exc:  # noqa: B902 - any failure is an outcome
            self.outcome = repr(exc)
        self.finished.set()

    def wait(self):
        assert self.finished.wait(30), 'the delete never finished'
        return self.outcome


def _dangling(ctx, table, column, referenced):
    with ctx.db.reader(ctx) as conn:
        return conn.execute(
            sa.select(sa.func.count()).select_from(table)
            .where(column.not_in(sa.select(referenced)))).scalar()


def _race_class(ctx, monkeypatch):
    resource_class.create(ctx, 'CUSTOM_RACED')
    uuid = _provider(ctx)
    rival = _DeleteDuringLookUp(
        monkeypatch, tables.resource_classes, 'CUSTOM_RACED',
        lambda: resource_class.delete(ctx, 'CUSTOM_RACED'))
    inventory.replace_all(ctx, uuid, 0, {
        'CUSTOM_RACED': inventory.with_defaults({'total': 4})})
    outcome = rival.wait()
    dangling = _dangling(ctx, tables.inventories,
                         tables.inventories.c.resource_class_id,
                         tables.resource_classes.c.id)
    return outcome, dangling


def _race_trait(ctx, monkeypatch):
    trait.ensure(ctx, 'CUSTOM_RACED')
    uuid = _provider(ctx)
    rival = _DeleteDuringLookUp(
        monkeypatch, tables.traits, 'CUSTOM_RACED',
        lambda: trait.delete(ctx, 'CUSTOM_RACED'))
    try:
        provider_trait.set_for_provider(ctx, uuid, ['CUSTOM_RACED'])
        written = True
    except (exception.PlacementError, db_exc.DBReferenceError):
        written = False
    outcome = rival.wait()
    return outcome, written


def test_class_delete_waits_for_the_inventory_write(ctx, monkeypatch):
    outcome, dangling = _race_class(ctx, monkeypatch)
    assert outcome == 'in use'
    assert dangling == 0


def test_trait_delete_waits_for_the_traits_write(ctx, monkeypatch):
    outcome, written = _race_trait(ctx, monkeypatch)
    assert (outcome, written) == ('in use', True)


def _without_share_lock(monkeypatch):
    def unlocked(conn, key, value, wanted):
        return conn.execute(names._lookup_query(key, value, locked=False),
                            {'wanted': wanted})
    monkeypatch.setattr(names, '_lookup', unlocked)


def test_without_the_share_lock_a_deleted_class_is_referenced(
        ctx, monkeypatch, backend):
    if backend == 'sqlite':
        pytest.skip('SQLite runs one writer at a time: no lock to remove')
    _without_share_lock(monkeypatch)
    outcome, dangling = _race_class(ctx, monkeypatch)
    assert (outcome, dangling) == ('deleted', 1)


def test_without_the_share_lock_the_trait_write_fails(
        ctx, monkeypatch, backend):
    if backend == 'sqlite':
        pytest.skip('SQLite runs one writer at a time: no lock to remove')
    _without_share_lock(monkeypatch)
    outcome, written = _race_trait(ctx, monkeypatch)
    # The foreign key still keeps the row out, but the write that named
    # an existing trait fails with a database error (a 500 over HTTP).
    assert outcome == 'deleted'
    assert written is False
