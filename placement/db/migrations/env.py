from alembic import context

from placement.db import tables


def run_migrations():
    connection = context.config.attributes.get('connection')
    if connection is None:
        raise RuntimeError('Migrations run through placement-manage db sync, '
                           'which supplies the connection.')
    context.configure(connection=connection,
                      target_metadata=tables.metadata,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
