"""sessions on the server: one row per browser session, the cookie holding only its id

Revision ID: 0007_sessions
Revises: 0006_list_order
Create Date: 2026-12-05
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007_sessions"
down_revision = "0006_list_order"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "websession",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("user_agent", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("websession", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_websession_token_hash"), ["token_hash"],
                              unique=True)
        batch_op.create_index(batch_op.f("ix_websession_person_id"), ["person_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_websession_last_seen_at"), ["last_seen_at"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("websession", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_websession_last_seen_at"))
        batch_op.drop_index(batch_op.f("ix_websession_person_id"))
        batch_op.drop_index(batch_op.f("ix_websession_token_hash"))
    op.drop_table("websession")
