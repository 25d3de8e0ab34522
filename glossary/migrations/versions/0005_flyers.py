"""outreach flyers, their translations and signatures

Revision ID: 0005_flyers
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005_flyers"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "flyer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("template", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("layout", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("source_language", sqlmodel.sql.sqltypes.AutoString(length=35),
                  nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "flyertranslation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("flyer_id", sa.Integer(), nullable=False),
        sa.Column("target_language", sqlmodel.sql.sqltypes.AutoString(length=35),
                  nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=14), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("agreed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["flyer_id"], ["flyer.id"]),
        sa.ForeignKeyConstraint(["updated_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("flyer_id", "target_language"),
    )
    with op.batch_alter_table("flyertranslation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_flyertranslation_flyer_id"), ["flyer_id"],
                              unique=False)
    op.create_table(
        "flyersignature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("translation_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=4000),
                  nullable=False),
        sa.Column("wording", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["translation_id"], ["flyertranslation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("flyersignature", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_flyersignature_translation_id"),
                              ["translation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("flyersignature", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flyersignature_translation_id"))
    op.drop_table("flyersignature")
    with op.batch_alter_table("flyertranslation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flyertranslation_flyer_id"))
    op.drop_table("flyertranslation")
    op.drop_table("flyer")
