"""Refuse to go on while a provider lacks its root provider id.

Revision ID: 611cd6dffd7b
Revises: b4ed3a175331
"""
from alembic import op
import sqlalchemy as sa

revision = '611cd6dffd7b'
down_revision = 'b4ed3a175331'
branch_labels = None
depends_on = None


def upgrade():
    providers = sa.table('resource_providers',
                         sa.column('root_provider_id'))
    count = op.get_bind().scalar(
        sa.select(sa.func.count()).select_from(providers)
        .where(providers.c.root_provider_id.is_(None)))
    if count:
        raise RuntimeError(
            '%d resource providers have no root provider id; this schema '
            'revision needs every provider to name its root.' % count)
