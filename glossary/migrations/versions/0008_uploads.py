"""uploads: imports waiting for confirmation, kept in the database

Revision ID: 0008_uploads
Revises: 0007_sessions
Create Date: 2026-12-05 13:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008_uploads"
down_revision = "0007_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pendingupload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("fmt", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("domain", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pendingupload", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pendingupload_token"), ["token"], unique=True)
        batch_op.create_index(batch_op.f("ix_pendingupload_person_id"), ["person_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_pendingupload_created_at"), ["created_at"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pendingupload", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pendingupload_created_at"))
        batch_op.drop_index(batch_op.f("ix_pendingupload_person_id"))
        batch_op.drop_index(batch_op.f("ix_pendingupload_token"))
    op.drop_table("pendingupload")
