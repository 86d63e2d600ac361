"""cache confidence: the engine's confidence kept with each cached MT output, so a cache
hit carries it (entries cached before this revision have none)

Revision ID: 0012_cache_confidence
Revises: 0009_exchange
Create Date: 2026-11-29 04:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_cache_confidence'
down_revision = '0009_exchange'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('mt_cache', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confidence', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('mt_cache', schema=None) as batch_op:
        batch_op.drop_column('confidence')
