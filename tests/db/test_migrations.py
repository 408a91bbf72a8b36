"""The migrations build the schema that placement/db/tables.py describes,
on every backend, and a second sync is a no-op."""
from alembic import autogenerate
from alembic import migration as alembic_migration
import pytest
import sqlalchemy as sa

from placement.cmd import manage
from placement.db import migration
from placement.db import tables


def _differences(engine):
    with engine.connect() as conn:
        context = alembic_migration.MigrationContext.configure(
            conn, opts={'compare_type': True})
        return autogenerate.compare_metadata(context, tables.metadata)


def test_schema_matches_tables(database_url):
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    try:
        assert migration.is_current(engine)
        assert _differences(engine) == []
    finally:
        engine.dispose()


def test_every_table_and_index_is_there(database_url):
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    try:
        inspector = sa.inspect(engine)
        assert set(tables.metadata.tables) <= set(inspector.get_table_names())
        index_names = {index['name']
                       for index in inspector.get_indexes('allocations')}
        assert {'allocations_resource_provider_class_used_idx',
                'allocations_consumer_id_idx'} <= index_names
        redundant = {index['name']
                     for index in inspector.get_indexes('resource_providers')}
        assert 'resource_providers_uuid_idx' not in redundant
    finally:
        engine.dispose()


def test_manage_db_sync_and_version(empty_database_url, capsys):
    args = ['--config-file', '/dev/null']
    conf_env = {'OS_PLACEMENT_DATABASE__CONNECTION': empty_database_url}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in conf_env.items():
            patch.setenv(name, value)
        assert manage.main(args + ['db', 'version']) == 0
        assert capsys.readouterr().out.strip() == 'None'
        assert manage.main(args + ['db', 'sync']) == 0
        # A second sync finds nothing to do.
        assert manage.main(args + ['db', 'sync']) == 0
        assert manage.main(args + ['db', 'version']) == 0
    assert capsys.readouterr().out.strip() == migration.head_revision()
    engine = sa.create_engine(empty_database_url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            classes = conn.execute(sa.select(sa.func.count()).select_from(
                tables.resource_classes)).scalar()
            traits = conn.execute(sa.select(sa.func.count()).select_from(
                tables.traits)).scalar()
        assert classes > 10 and traits > 100
        assert _differences(engine) == []
    finally:
        engine.dispose()


def test_migrations_refuse_providers_without_root(empty_database_url):
    engine = sa.create_engine(empty_database_url, poolclass=sa.pool.NullPool)
    try:
        migration.upgrade(engine, 'b4ed3a175331')
        with engine.begin() as conn:
            conn.execute(tables.resource_providers.insert().values(
                id=1, uuid='00000000-0000-0000-0000-000000000001',
                name='rootless', generation=0))
        with pytest.raises(RuntimeError, match='root provider'):
            migration.upgrade(engine)
    finally:
        engine.dispose()
