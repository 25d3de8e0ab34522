"""import mappings: column mappings saved under a name, and the mapping and merge
choices of an import waiting for confirmation

Revision ID: 0012_import_mappings
Revises: 0011_explanations
Create Date: 2026-12-05
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012_import_mappings"
down_revision = "0011_explanations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "importmapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("signature", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    with op.batch_alter_table("importmapping", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_importmapping_signature"), ["signature"],
                              unique=False)
    with op.batch_alter_table("pendingupload", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mapping", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("merges", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pendingupload", schema=None) as batch_op:
        batch_op.drop_column("merges")
        batch_op.drop_column("mapping")
    with op.batch_alter_table("importmapping", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_importmapping_signature"))
    op.drop_table("importmapping")
