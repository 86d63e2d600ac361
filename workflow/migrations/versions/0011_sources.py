"""sources: RSS/Atom feeds and WordPress sites polled for articles, and their imported items

Revision ID: 0011_sources
Revises: 0008_people
Create Date: 2026-11-29 02:30:00
"""
from alembic import op
import sqlalchemy as sa
import workflow.models


revision = '0011_sources'
down_revision = '0008_people'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('source_language', sa.String(length=20), nullable=False),
    sa.Column('target_languages', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=200), nullable=True),
    sa.Column('tag', sa.String(length=200), nullable=True),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', workflow.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('etag', sa.String(length=300), nullable=True),
    sa.Column('last_modified', sa.String(length=100), nullable=True),
    sa.Column('next_poll_at', workflow.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_polled_at', workflow.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_status', sa.String(length=300), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('source_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('guid', sa.String(length=500), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=True),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('modified', sa.String(length=100), nullable=True),
    sa.Column('imported_at', workflow.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', workflow.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_id', 'guid', name='uq_source_items_guid')
    )


def downgrade() -> None:
    op.drop_table('source_items')
    op.drop_table('sources')
