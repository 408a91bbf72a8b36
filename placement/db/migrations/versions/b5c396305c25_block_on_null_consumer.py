"""Refuse to go on while an allocation has no consumer record.

Revision ID: b5c396305c25
Revises: 611cd6dffd7b
"""
from alembic import op
import sqlalchemy as sa

revision = 'b5c396305c25'
down_revision = '611cd6dffd7b'
branch_labels = None
depends_on = None


def upgrade():
    allocations = sa.table('allocations', sa.column('consumer_id'))
    consumers = sa.table('consumers', sa.column('id'), sa.column('uuid'))
    orphans = (
        sa.select(sa.func.count())
        .select_from(allocations.outerjoin(
            consumers, allocations.c.consumer_id == consumers.c.uuid))
        .where(consumers.c.id.is_(None)))
    count = op.get_bind().scalar(orphans)
    if count:
        raise RuntimeError(
            '%d allocations name a consumer that has no consumers record; '
            'this schema revision needs a record for every consumer.' % count)
