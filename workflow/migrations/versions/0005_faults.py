"""outdated segments: what a source update set aside, reviewer's text included

Revision ID: 0005_faults
Revises: 0001
Create Date: 2026-11-27 21:30:00
"""
from alembic import op
import sqlalchemy as sa
import workflow.models


revision = '0005_faults'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('outdated_segments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('translation_id', sa.Integer(), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('replaced_by_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('source_text', sa.Text(), nullable=False),
    sa.Column('new_source_text', sa.Text(), nullable=True),
    sa.Column('mt_text', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('edited_by_id', sa.Integer(), nullable=True),
    sa.Column('edited_at', workflow.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outdated_at', workflow.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['edited_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['source_segments.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['translation_id'], ['translations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('outdated_segments', schema=None) as batch_op:
        batch_op.create_index('ix_outdated_segments_translation', ['translation_id'], unique=False)
    # The dashboard lists articles newest first, a page at a time.
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index('ix_articles_created_at', ['created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index('ix_articles_created_at')
    with op.batch_alter_table('outdated_segments', schema=None) as batch_op:
        batch_op.drop_index('ix_outdated_segments_translation')
    op.drop_table('outdated_segments')
