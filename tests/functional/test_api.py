"""Run the gabbi YAML files in gabbits/, each as one test per backend.

A file's requests run in order against the in-process application, on a
database emptied for that file.
"""
import glob
import os
import unittest
import uuid

from gabbi import handlers
from gabbi import suitemaker
from gabbi import utils
import pytest

from placement import deploy
from tests import databases
from tests.functional import fixtures

GABBITS_DIR = os.path.join(os.path.dirname(__file__), 'gabbits')
GABBITS = sorted(glob.glob(os.path.join(GABBITS_DIR, '*.yaml')))


def _build_suite(yaml_file, app):
    suite_dict = utils.load_yaml(yaml_file=yaml_file, safe=True)
    name = os.path.splitext(os.path.basename(yaml_file))[0]
    return suitemaker.test_suite_from_dict(
        unittest.TestLoader(), name.replace('-', '_'), suite_dict,
        GABBITS_DIR, str(uuid.uuid4()), None, fixtures, lambda: app,
        test_loader_name='gabbi', handlers=[
            handler() for handler in handlers.RESPONSE_HANDLERS])


def _report(result):
    lines = []
    for test, trace in result.failures + result.errors:
        lines.append('%s\n%s' % (test.id(), trace))
    return '\n\n'.join(lines)


@pytest.mark.parametrize('yaml_file', GABBITS,
                         ids=[os.path.basename(path) for path in GABBITS])
def test_gabbi_file(yaml_file, database_url):
    db = databases.fresh_database(database_url)
    try:
        conf = databases.make_conf(database_url)
        app = deploy.make_app(conf, db=db)
        fixtures.CURRENT.app, fixtures.CURRENT.db = app, db
        result = unittest.TestResult()
        _build_suite(yaml_file, app).run(result)
    finally:
        fixtures.CURRENT.app = fixtures.CURRENT.db = None
        db.dispose()
    assert result.testsRun > 0, 'no tests in %s' % yaml_file
    assert result.wasSuccessful(), _report(result)
