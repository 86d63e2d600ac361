"""engine capabilities: what each worker node can translate, for the web to show

Revision ID: 0006_capabilities
Revises: 0005_faults
Create Date: 2026-12-10 10:00:00
"""
from alembic import op
import sqlalchemy as sa
import workflow.models


revision = '0006_capabilities'
down_revision = '0005_faults'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('engine_capabilities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('worker', sa.String(length=200), nullable=False),
    sa.Column('source_language', sa.String(length=8), nullable=False),
    sa.Column('target_language', sa.String(length=8), nullable=False),
    sa.Column('how', sa.String(length=500), nullable=False),
    sa.Column('demo', sa.Boolean(), nullable=False),
    sa.Column('chained', sa.Boolean(), nullable=False),
    sa.Column('recorded_at', workflow.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('engine_capabilities', schema=None) as batch_op:
        batch_op.create_index('ux_engine_capabilities',
                              ['worker', 'source_language', 'target_language'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('engine_capabilities', schema=None) as batch_op:
        batch_op.drop_index('ux_engine_capabilities')
    op.drop_table('engine_capabilities')
