"""search change log: which concept each change wrote

Revision ID: 0009_search_delta
Revises: 0008_uploads
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_search_delta"
down_revision = "0008_uploads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows written before this revision name no concept: readers treat them as
    # "anything may have changed" and rebuild once.
    with op.batch_alter_table("search_change") as batch:
        batch.add_column(sa.Column("concept_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("search_change") as batch:
        batch.drop_column("concept_id")
