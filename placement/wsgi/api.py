"""The WSGI entry point for gunicorn, uwsgi and mod_wsgi:
``placement.wsgi.api:application``.

Configuration comes from ``placement.conf`` in ``OS_PLACEMENT_CONFIG_DIR``
(or /etc/placement), and from ``OS_<GROUP>__<OPTION>`` environment
variables.
"""
from oslo_log import log as logging

from placement import conf as placement_conf
from placement import deploy


def init_application():
    conf = placement_conf.load()
    logging.setup(conf, 'placement')
    application = deploy.make_app(conf)
    deploy.freeze_start_up_objects()
    return application


application = init_application()
