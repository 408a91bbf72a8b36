"""The option list that oslo-config-generator reads (see etc/placement)."""
from placement.conf import api
from placement.conf import database
from placement.conf import placement


def list_opts():
    groups = {}
    for module in (api, database, placement):
        groups.update(module.list_opts())
    return [(group, opts) for group, opts in groups.items()]
