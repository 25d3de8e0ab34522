"""concept list order: concepts indexed by domain and key

Revision ID: 0006_list_order
Revises: 0004_ops
Create Date: 2026-11-27
"""

from alembic import op

revision = "0006_list_order"
down_revision = "0004_ops"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_concept_domain_key", "concept", ["domain_id", "key"])
    # The new index starts with domain_id: it serves every lookup the old one did.
    op.drop_index("ix_concept_domain_id", table_name="concept")


def downgrade() -> None:
    op.create_index("ix_concept_domain_id", "concept", ["domain_id"])
    op.drop_index("ix_concept_domain_key", table_name="concept")
