"""Start-up sync of the standard resource classes and traits."""
from placement.db import api as db_api
from placement.objects import resource_class
from placement.objects import trait


class _SyncContext(db_api.AdminContext):
    def __init__(self, db):
        self.db = db


def ensure_synced(db):
    ctx = _SyncContext(db)
    resource_class.sync_standard(ctx)
    trait.sync_standard(ctx)
