"""placement-manage and placement-status as operators run them: the
options, messages and exit codes of OpenStack Placement's commands, on
every backend."""
import json
import logging
import os
import pathlib
import subprocess
import sys
import uuid

from oslo_log import log as oslo_logging
import pytest
import sqlalchemy as sa

from placement.cmd import manage
from placement.cmd import status
from placement.db import migration
from placement.db import tables
from placement.objects import data_migrations

REPO = pathlib.Path(__file__).resolve().parents[2]
UNREACHABLE = 'postgresql+psycopg2://placement@127.0.0.1:1/placement'
INCOMPLETE_PROJECT = '00000000-0000-0000-0000-000000000000'
TABLE_HEADER = '|          Migration          | Total Found | Completed |'


@pytest.fixture(autouse=True)
def _logging_restored():
    """The commands set up oslo.log for the whole process; put the root
    logger and the library loggers back as they were."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    names = [pair.partition('=')[0]
             for pair in oslo_logging.get_default_log_levels()] + ['alembic']
    levels = {name: logging.getLogger(name).level for name in names}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, saved in levels.items():
        logging.getLogger(name).setLevel(saved)


@pytest.fixture
def configure(monkeypatch, tmp_path):
    """Point the commands at a database, with no config file but the
    environment."""
    monkeypatch.setenv('OS_PLACEMENT_CONFIG_DIR', str(tmp_path))

    def point_at(url):
        monkeypatch.setenv('OS_PLACEMENT_DATABASE__CONNECTION', url)
    return point_at


def _manage(capsys, *args):
    code = manage.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _status(capsys, *args):
    code = status.main(['upgrade', 'check'] + list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _checks(capsys):
    """The exit code and {check name: (result code, details)}."""
    code, out, _err = _status(capsys, '--json')
    results = json.loads(out)['checks']
    return code, {check['check']: (check['result'], check['details'])
                  for check in results}


def _table_rows(out):
    """{migration: (found, completed)} from the summary table."""
    rows = {}
    for line in out.splitlines():
        cells = [cell.strip() for cell in line.strip('|').split('|')]
        if len(cells) == 3 and cells[1].isdigit():
            rows[cells[0]] = (int(cells[1]), int(cells[2]))
    return rows


# The command line.

def test_db_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as exit:
        manage.main(['db', '--help'])
    assert exit.value.code == 0
    out = capsys.readouterr().out
    for line in ('sync                Sync the database to the current '
                 'version.',
                 'version             Report the current database version.',
                 'stamp               Stamp the revision table with the '
                 'given version.',
                 'Run the online data migrations.'):
        assert line in out


def test_online_data_migrations_help(capsys):
    with pytest.raises(SystemExit) as exit:
        manage.main(['db', 'online_data_migrations', '--help'])
    assert exit.value.code == 0
    out = capsys.readouterr().out
    assert 'usage: ' in out and '[--max-count <number>]' in out
    assert 'Maximum number of objects to consider' in out


def test_stamp_requires_a_revision(capsys):
    with pytest.raises(SystemExit) as exit:
        manage.main(['db', 'stamp'])
    assert exit.value.code == 2
    assert 'the following arguments are required: version' in (
        capsys.readouterr().err)


def test_no_command_prints_the_help_and_fails(capsys, configure, tmp_path):
    configure('sqlite:///%s' % (tmp_path / 'p.sqlite'))
    code, out, _err = _manage(capsys)
    assert code == 1
    assert out.startswith('usage: ') and 'Available DB commands' in out


def test_db_alone_prints_its_help(capsys, configure, tmp_path):
    configure('sqlite:///%s' % (tmp_path / 'p.sqlite'))
    code, out, _err = _manage(capsys, 'db')
    assert code == 0
    assert 'database commands' in out


def test_no_database_configured(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv('OS_PLACEMENT_CONFIG_DIR', str(tmp_path))
    monkeypatch.delenv('OS_PLACEMENT_DATABASE__CONNECTION', raising=False)
    for main, args in ((manage.main, ['db', 'version']),
                       (status.main, ['upgrade', 'check'])):
        with pytest.raises(SystemExit) as exit:
            main(args)
        assert exit.value.code == ('No database is configured: set '
                                   '[placement_database] connection.')


@pytest.mark.parametrize('max_count', ['0', '-1', 'abc', ''])
def test_max_count_must_be_positive(capsys, configure, max_count):
    # Refused before the database is reached.
    configure(UNREACHABLE)
    code, out, _err = _manage(capsys, 'db', 'online_data_migrations',
                              '--max-count', max_count)
    assert (code, out) == (127, 'Must supply a positive value for '
                                'max_count\n')


# Schema revisions.

def test_sync_version_and_stamp(capsys, configure, empty_database_url):
    configure(empty_database_url)
    assert _manage(capsys, 'db', 'version')[:2] == (0, 'None\n')
    assert _manage(capsys, 'db', 'sync')[:2] == (0, '')
    head = migration.head_revision()
    assert _manage(capsys, 'db', 'version')[:2] == (0, head + '\n')

    assert _manage(capsys, 'db', 'stamp', 'b4ed3a175331')[:2] == (0, '')
    assert _manage(capsys, 'db', 'version')[1] == 'b4ed3a175331\n'
    assert _manage(capsys, 'db', 'stamp', 'head')[:2] == (0, '')
    assert _manage(capsys, 'db', 'version')[1] == head + '\n'


def test_stamp_refuses_an_unknown_revision(capsys, configure,
                                           empty_database_url):
    configure(empty_database_url)
    _manage(capsys, 'db', 'sync')
    code, out, err = _manage(capsys, 'db', 'stamp', 'bogus')
    assert (code, out) == (1, '')
    assert "Can't locate revision identified by 'bogus'" in err
    assert _manage(capsys, 'db', 'version')[1] == (
        migration.head_revision() + '\n')


def test_unreachable_database(capsys, configure):
    configure(UNREACHABLE)
    for command in (['db', 'sync'], ['db', 'version'],
                    ['db', 'stamp', 'head']):
        code, out, err = _manage(capsys, *command)
        assert (code, out) == (1, ''), command
        assert err.startswith('placement-manage: ') and 'refused' in err

    code, out, err = _manage(capsys, 'db', 'online_data_migrations')
    assert code == 2
    assert 'Error attempting to run set_root_provider_ids\n' in out
    assert 'Error attempting to run create_incomplete_consumers\n' in out
    assert _table_rows(out) == {'set_root_provider_ids': (0, 0),
                                'create_incomplete_consumers': (0, 0)}
    assert out.endswith('Some migrations failed unexpectedly. Check log '
                        'for details.\n')

    code, out, _err = _status(capsys)
    assert code == 255
    assert out.startswith('Error:\n')


# Online data migrations.

def test_nothing_to_migrate(capsys, configure, db, database_url):
    configure(database_url)
    code, out, _err = _manage(capsys, 'db', 'online_data_migrations')
    assert code == 0
    assert out.startswith('Running batches of 50 until complete\n')
    assert TABLE_HEADER in out
    assert _table_rows(out) == {'set_root_provider_ids': (0, 0),
                                'create_incomplete_consumers': (0, 0)}
    code, out, _err = _manage(capsys, 'db', 'online_data_migrations',
                              '--max-count', '5')
    assert code == 0
    assert 'Running batches' not in out
    assert _table_rows(out) == {'set_root_provider_ids': (0, 0),
                                'create_incomplete_consumers': (0, 0)}


def _insert_provider(conn, name, parent_id=None):
    providers = tables.resource_providers
    return conn.execute(providers.insert().values(
        uuid=str(uuid.uuid4()), name=name, generation=0,
        parent_provider_id=parent_id)).inserted_primary_key[0]


def _class_id(conn, name):
    classes = tables.resource_classes
    return conn.scalar(sa.select(classes.c.id)
                       .where(classes.c.name == name))


def _old_rows(db):
    """What an older release left: a root provider and its child without
    root provider ids, and a consumer with allocations but no record."""
    consumer = str(uuid.uuid4())
    with db.engine.begin() as conn:
        root_id = _insert_provider(conn, 'old-root')
        child_id = _insert_provider(conn, 'old-child', parent_id=root_id)
        for provider_id, class_name in ((root_id, 'VCPU'),
                                        (child_id, 'MEMORY_MB')):
            conn.execute(tables.allocations.insert().values(
                resource_provider_id=provider_id, consumer_id=consumer,
                resource_class_id=_class_id(conn, class_name), used=1))
    return root_id, child_id, consumer


def _roots(db):
    providers = tables.resource_providers
    with db.engine.connect() as conn:
        return dict(conn.execute(sa.select(
            providers.c.id, providers.c.root_provider_id)).all())


def _consumer(db, consumer):
    consumers = tables.consumers
    with db.engine.connect() as conn:
        return conn.execute(
            sa.select(consumers.c.generation,
                      tables.projects.c.external_id.label('project'))
            .select_from(consumers.join(
                tables.projects,
                tables.projects.c.id == consumers.c.project_id))
            .where(consumers.c.uuid == consumer)).one_or_none()


def test_upgrade_check_finds_what_the_migrations_put_right(
        capsys, configure, db, database_url):
    configure(database_url)
    root_id, child_id, consumer = _old_rows(db)

    code, checks = _checks(capsys)
    assert code == 2
    assert checks['Missing Root Provider IDs'] == (
        2, 'There is at least one resource provider table record which '
           'misses its root provider id. Run the "placement-manage db '
           'online_data_migrations" command.')
    assert checks['Incomplete Consumers'] == (
        1, 'There are 1 incomplete consumers table records for existing '
           'allocations. Run the "placement-manage db '
           'online_data_migrations" command.')

    code, out, _err = _manage(capsys, 'db', 'online_data_migrations')
    assert code == 0
    # The child waits for a batch in which its parent has a root.
    assert _table_rows(out) == {'set_root_provider_ids': (3, 2),
                                'create_incomplete_consumers': (1, 1)}
    assert '2 rows matched query set_root_provider_ids, 1 migrated' in out
    assert '1 rows matched query create_incomplete_consumers, 1 migrated' \
        in out
    assert _roots(db) == {root_id: root_id, child_id: root_id}
    assert _consumer(db, consumer) == (0, INCOMPLETE_PROJECT)

    code, checks = _checks(capsys)
    assert code == 0
    assert {result for result, _details in checks.values()} == {0}


def test_max_count_migrates_one_batch(capsys, configure, db, database_url):
    configure(database_url)
    root_id, child_id, consumer = _old_rows(db)

    code, out, _err = _manage(capsys, 'db', 'online_data_migrations',
                              '--max-count', '1')
    # One row migrated and more to do; the batch was used up before the
    # consumers' migration had its turn.
    assert code == 1
    assert _table_rows(out) == {'set_root_provider_ids': (1, 1)}
    assert _roots(db) == {root_id: root_id, child_id: None}
    assert _consumer(db, consumer) is None

    code, out, _err = _manage(capsys, 'db', 'online_data_migrations',
                              '--max-count', '50')
    assert code == 1
    assert _table_rows(out) == {'set_root_provider_ids': (1, 1),
                                'create_incomplete_consumers': (1, 1)}
    code, out, _err = _manage(capsys, 'db', 'online_data_migrations',
                              '--max-count', '50')
    assert code == 0
    assert _roots(db) == {root_id: root_id, child_id: root_id}


def test_online_migrations_unblock_db_sync_of_an_old_schema(
        capsys, configure, empty_database_url):
    """At the first revision, before the migrations that refuse them, the
    rows are put right so that db sync can go on."""
    configure(empty_database_url)
    engine = sa.create_engine(empty_database_url, poolclass=sa.pool.NullPool)
    try:
        migration.upgrade(engine, 'b4ed3a175331')
        with engine.begin() as conn:
            provider_id = _insert_provider(conn, 'old')
            conn.execute(tables.allocations.insert().values(
                resource_provider_id=provider_id,
                consumer_id=str(uuid.uuid4()), resource_class_id=0, used=1))
    finally:
        engine.dispose()
    code, _out, err = _manage(capsys, 'db', 'sync')
    assert code == 1
    assert 'have no root provider id' in err

    code, out, _err = _manage(capsys, 'db', 'online_data_migrations')
    assert code == 0
    assert _table_rows(out) == {'set_root_provider_ids': (1, 1),
                                'create_incomplete_consumers': (1, 1)}
    assert _manage(capsys, 'db', 'sync')[0] == 0
    code, checks = _checks(capsys)
    assert code == 0


def _failing(ctx, count):
    raise RuntimeError('cannot migrate')


def test_a_failure_beside_rows_migrated(capsys, configure, monkeypatch, db,
                                        database_url):
    configure(database_url)
    _old_rows(db)
    monkeypatch.setattr(data_migrations, 'ONLINE_MIGRATIONS', (
        _failing, data_migrations.set_root_provider_ids))

    # With --max-count the next run may get further: not yet an error.
    code, out, err = _manage(capsys, 'db', 'online_data_migrations',
                             '--max-count', '10')
    assert code == 1
    assert 'Error attempting to run _failing\n' in out
    assert 'Error attempting to run _failing' in err
    assert 'Some migrations failed' not in out

    # Without it, batches run until none migrates anything; the failure
    # is still there.
    code, out, _err = _manage(capsys, 'db', 'online_data_migrations')
    assert code == 2
    assert _table_rows(out)['set_root_provider_ids'] == (1, 1)
    assert out.endswith('Some migrations failed unexpectedly. Check log '
                        'for details.\n')


# Upgrade checks.

def test_upgrade_check_on_a_current_database(capsys, configure, db,
                                             database_url):
    configure(database_url)
    code, out, _err = _status(capsys)
    assert code == 0
    assert '| Upgrade Check Results' in out
    for name in ('Database Schema', 'Missing Root Provider IDs',
                 'Incomplete Consumers',
                 'Policy File JSON to YAML Migration'):
        assert '| Check: %s' % name in out
    assert out.count('| Result: Success') == 4


def test_upgrade_check_on_a_database_without_schema(capsys, configure,
                                                    empty_database_url):
    configure(empty_database_url)
    code, checks = _checks(capsys)
    assert code == 1
    assert checks['Database Schema'] == (
        1, 'The database has no placement schema yet. Run the '
           '"placement-manage db sync" command.')
    nothing = 'The database has no placement tables yet: nothing to check.'
    assert checks['Missing Root Provider IDs'] == (0, nothing)
    assert checks['Incomplete Consumers'] == (0, nothing)


def test_upgrade_check_on_an_older_and_an_unknown_revision(
        capsys, configure, db, database_url):
    configure(database_url)
    head = migration.head_revision()
    try:
        migration.stamp(db.engine, 'b4ed3a175331')
        code, checks = _checks(capsys)
        assert code == 1
        assert checks['Database Schema'] == (
            1, 'The database schema is at revision b4ed3a175331; this '
               'release needs revision %s. Run the "placement-manage db '
               'sync" command.' % head)
        with db.engine.begin() as conn:
            conn.execute(sa.text(
                "UPDATE alembic_version SET version_num = 'ffffffffffff'"))
        code, checks = _checks(capsys)
        assert code == 2
        assert checks['Database Schema'] == (
            2, 'The database schema is at revision ffffffffffff, which '
               'this release does not know (a newer release upgraded it); '
               'this release needs revision %s.' % head)
    finally:
        with db.engine.begin() as conn:
            conn.execute(sa.text(
                "UPDATE alembic_version SET version_num = :head"),
                {'head': head})


def test_upgrade_check_on_a_json_policy_file(capsys, configure, monkeypatch,
                                             db, database_url, tmp_path):
    configure(database_url)
    policy = tmp_path / 'policy.json'
    policy.write_text('{}')
    monkeypatch.setenv('OS_OSLO_POLICY__POLICY_FILE', str(policy))
    code, checks = _checks(capsys)
    assert code == 2
    result, details = checks['Policy File JSON to YAML Migration']
    assert result == 2
    assert details.startswith('Your policy file is JSON-formatted')


# Samples.

def _generate(tmp_path, tool, *args):
    output = tmp_path / 'generated'
    subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), tool)] + list(args)
        + ['--output-file', str(output)],
        check=True, cwd=tmp_path, timeout=120)
    return output.read_text()


def test_policy_sample_is_as_generated(tmp_path):
    """tox -e genpolicy regenerates it."""
    etc = REPO / 'etc' / 'placement'
    generated = _generate(tmp_path, 'oslopolicy-sample-generator',
                          '--config-file', str(etc / 'policy-generator.conf'))
    assert generated == (etc / 'policy.yaml.sample').read_text()


def test_config_sample_has_every_option_as_generated(tmp_path):
    """Every line that placement's own options generate is in the sample
    (tox -e genconfig regenerates it); the libraries' options may change
    with their releases."""
    generated = _generate(tmp_path, 'oslo-config-generator',
                          '--namespace', 'placement.conf', '--wrap-width',
                          '79')
    sample = (REPO / 'etc' / 'placement' / 'placement.conf.sample')
    missing = (set(generated.splitlines())
               - set(sample.read_text().splitlines()))
    assert not missing, sorted(missing)
