"""exchange: who wrote a memory entry and when it last changed (TMX creationid/changedate);
each edition's own slug, former slugs kept for redirects

Revision ID: 0009_exchange
Revises: 0011_sources (and merges the older heads 0002_mt, 0003_editions, 0004_review)
Create Date: 2026-11-29 01:20:00
"""
from alembic import op
import sqlalchemy as sa
import workflow.models


revision = '0009_exchange'
# After main's head; it also merges the branches 0003_editions (publications) and 0004_review
# (memory_entries), which this revision alters, and 0002_mt, so that there is one head.
down_revision = ('0010_confidence', '0003_editions')
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('edition_slugs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('slug', sa.String(length=200), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.Column('created_at', workflow.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('language', 'slug')
    )
    op.create_index('ix_edition_slugs_article_language', 'edition_slugs',
                    ['article_id', 'language'], unique=False)
    # Editions published before this revision keep the address they had: the article's slug.
    articles = sa.table('articles', sa.column('id', sa.Integer), sa.column('slug', sa.String))
    publications = sa.table('publications', sa.column('article_id', sa.Integer),
                            sa.column('language', sa.String))
    slugs = sa.table('edition_slugs', sa.column('article_id', sa.Integer),
                     sa.column('language', sa.String), sa.column('slug', sa.String),
                     sa.column('current', sa.Boolean), sa.column('created_at', sa.DateTime))
    existing = (sa.select(publications.c.article_id, publications.c.language, articles.c.slug,
                          sa.true(), sa.func.current_timestamp())
                .join(articles, articles.c.id == publications.c.article_id).distinct())
    op.execute(slugs.insert().from_select(
        ['article_id', 'language', 'slug', 'current', 'created_at'], existing))
    with op.batch_alter_table('memory_entries') as batch:
        batch.add_column(sa.Column('created_by', sa.String(length=255), nullable=True))
        batch.add_column(sa.Column('changed_at', workflow.models.UTCDateTime(timezone=True),
                                   nullable=True))


def downgrade() -> None:
    op.drop_index('ix_edition_slugs_article_language', table_name='edition_slugs')
    op.drop_table('edition_slugs')
    with op.batch_alter_table('memory_entries') as batch:
        batch.drop_column('changed_at')
        batch.drop_column('created_by')
