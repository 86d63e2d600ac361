"""exchange: who wrote a memory entry and when it last changed (TMX creationid/changedate)

Revision ID: 0009_exchange
Revises: 0007_security
Create Date: 2026-11-29 01:20:00
"""
from alembic import op
import sqlalchemy as sa
import workflow.models


revision = '0009_exchange'
down_revision = '0007_security'
branch_labels = None
depends_on = ('0004_review',)  # memory_entries is created there


def upgrade() -> None:
    with op.batch_alter_table('memory_entries') as batch:
        batch.add_column(sa.Column('created_by', sa.String(length=255), nullable=True))
        batch.add_column(sa.Column('changed_at', workflow.models.UTCDateTime(timezone=True),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('memory_entries') as batch:
        batch.drop_column('changed_at')
        batch.drop_column('created_by')
