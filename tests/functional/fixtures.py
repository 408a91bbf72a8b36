"""Fixtures that gabbi YAML files name in their ``fixtures:`` list.

Each runs around one YAML file; ``CURRENT`` is the application and
database of the file being run.
"""
import os
import uuid

from gabbi import fixture


class Current:
    app = None
    db = None


CURRENT = Current()


class APIFixture(fixture.GabbiFixture):
    """Fresh uuids in the environment, for the YAML to use as
    $ENVIRON['RP_UUID'] and the like."""

    NAMES = ('RP_UUID', 'RP_UUID1', 'RP_UUID2', 'RP_UUID3', 'PARENT_UUID',
             'CHILD_UUID', 'ALT_PARENT_UUID', 'CONSUMER_UUID',
             'CONSUMER_UUID1', 'CONSUMER_UUID2', 'PROJECT_ID', 'USER_ID',
             'ALT_PROJECT_ID', 'ALT_USER_ID', 'AGGA_UUID', 'AGGB_UUID',
             'AGGC_UUID', 'MIGRATION_UUID', 'INSTANCE_UUID')

    def start_fixture(self):
        for name in self.NAMES:
            os.environ[name] = str(uuid.uuid4())

    def stop_fixture(self):
        for name in self.NAMES:
            os.environ.pop(name, None)
