"""error detail: why a job stopped, and why a segment was pre-confirmed, kept as a template
and values beside their English, so each reader is told in their language (rows from before
this revision have none and show their English)

Revision ID: 0013_error_detail
Revises: 0012_cache_confidence
Create Date: 2026-11-29 05:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013_error_detail'
down_revision = '0012_cache_confidence'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('translations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('error_detail', sa.Text(), nullable=True))
    with op.batch_alter_table('translated_segments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('preconfirmed_detail', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('translated_segments', schema=None) as batch_op:
        batch_op.drop_column('preconfirmed_detail')
    with op.batch_alter_table('translations', schema=None) as batch_op:
        batch_op.drop_column('error_detail')
