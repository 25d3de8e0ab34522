"""operations: sign-in attempts for rate limiting

Revision ID: 0004_ops
Revises: 0003_api_tokens
Create Date: 2026-11-27 10:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004_ops"
down_revision = "0003_api_tokens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "loginattempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("account_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("address_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("loginattempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_loginattempt_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_loginattempt_account_key"), ["account_key"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_loginattempt_address_key"), ["address_key"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("loginattempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_loginattempt_address_key"))
        batch_op.drop_index(batch_op.f("ix_loginattempt_account_key"))
        batch_op.drop_index(batch_op.f("ix_loginattempt_at"))
    op.drop_table("loginattempt")
