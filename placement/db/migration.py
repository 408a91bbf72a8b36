"""Schema migrations: bring a database to the newest revision, safely even
when several processes try at once."""
import contextlib
import fcntl

from alembic import command as alembic_command
from alembic import config as alembic_config
from alembic import migration as alembic_migration
from alembic import script as alembic_script
import sqlalchemy as sa

# Any fixed number: the key of the advisory lock that serialises migrations.
_PG_LOCK_KEY = 0x706C6163
_MYSQL_LOCK_NAME = 'placement_db_sync'
_MYSQL_LOCK_TIMEOUT_S = 300


def _alembic_config(connection=None):
    config = alembic_config.Config()
    config.set_main_option('script_location', 'placement.db:migrations')
    config.attributes['connection'] = connection
    return config


def _scripts():
    return alembic_script.ScriptDirectory.from_config(_alembic_config())


def head_revision():
    return _scripts().get_current_head()


def is_known(revision):
    """Whether ``revision`` is one of this release's migrations."""
    return revision in {script.revision
                        for script in _scripts().walk_revisions()}


def current_revision(engine):
    with engine.connect() as connection:
        context = alembic_migration.MigrationContext.configure(connection)
        return context.get_current_revision()


def is_current(engine):
    return current_revision(engine) == head_revision()


@contextlib.contextmanager
def _sqlite_file_lock(engine):
    path = engine.url.database
    if not path or path == ':memory:':
        yield
        return
    with open(path + '.sync-lock', 'a') as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


@contextlib.contextmanager
def _migration_lock(engine):
    """Hold a lock that only one migrating process can have at a time."""
    dialect = engine.dialect.name
    if dialect == 'sqlite':
        with _sqlite_file_lock(engine):
            yield
        return
    with engine.connect() as connection:
        if dialect == 'postgresql':
            connection.execute(sa.text('SELECT pg_advisory_lock(:key)'),
                               {'key': _PG_LOCK_KEY})
            release = sa.text('SELECT pg_advisory_unlock(:key)')
            params = {'key': _PG_LOCK_KEY}
        elif dialect == 'mysql':
            got = connection.execute(
                sa.text('SELECT GET_LOCK(:name, :timeout)'),
                {'name': _MYSQL_LOCK_NAME,
                 'timeout': _MYSQL_LOCK_TIMEOUT_S}).scalar()
            if got != 1:
                raise RuntimeError('Timed out waiting for another process '
                                   'to finish migrating the database.')
            release = sa.text('SELECT RELEASE_LOCK(:name)')
            params = {'name': _MYSQL_LOCK_NAME}
        else:
            release = None
        connection.commit()
        try:
            yield
        finally:
            if release is not None:
                connection.execute(release, params)
                connection.commit()


def upgrade(engine, revision='head'):
    """Migrate the schema to ``revision``; a no-op when it is there."""
    with _migration_lock(engine):
        with engine.begin() as connection:
            alembic_command.upgrade(_alembic_config(connection), revision)


def stamp(engine, revision):
    """Record ``revision`` as the schema's revision without migrating:
    for a schema that was built or repaired by other means.

    alembic.util.CommandError when ``revision`` is not a known one."""
    with _migration_lock(engine):
        with engine.begin() as connection:
            alembic_command.stamp(_alembic_config(connection), revision)
