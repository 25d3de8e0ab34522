"""search change log

Revision ID: 0002_search
Revises: 0002_groups
Create Date: 2026-11-27 10:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0002_search'
down_revision = "0002_groups"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('search_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('search_change')
