"""confidence: the engine's confidence per segment, beside each post-edit score; review
policies that pre-confirm confident drafts

Revision ID: 0010_confidence
Revises: 0007_security
Create Date: 2026-11-29 01:30:00
"""
from alembic import op
import sqlalchemy as sa
import workflow.models


revision = '0010_confidence'
down_revision = ('0011_sources', '0002_mt', '0004_review')
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('translated_segments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confidence', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('preconfirmed', sa.Text(), nullable=True))
    with op.batch_alter_table('post_edit_scores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('model', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('confidence', sa.Float(), nullable=True))


    op.create_table('review_policies',
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('min_confidence', sa.Float(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('at', workflow.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['set_by_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('language')
    )


def downgrade() -> None:
    op.drop_table('review_policies')
    with op.batch_alter_table('post_edit_scores', schema=None) as batch_op:
        batch_op.drop_column('confidence')
        batch_op.drop_column('model')
    with op.batch_alter_table('translated_segments', schema=None) as batch_op:
        batch_op.drop_column('preconfirmed')
        batch_op.drop_column('confidence')
