"""handout texts of a group, their translations and signatures; what handouts say about
a group (audience, meeting day and time, place, contact)

Revision ID: 0014_handout_texts
Revises: 0013_recordings
Create Date: 2026-12-05
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0014_handout_texts"
down_revision = "0013_recordings"
branch_labels = None
depends_on = None

GROUP_FIELDS = (("audience", 300), ("meeting_day", 120), ("meeting_time", 120),
                ("place", 300), ("contact", 300))


def _text(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    with op.batch_alter_table("programme_group", schema=None) as batch_op:
        for name, length in GROUP_FIELDS:
            batch_op.add_column(sa.Column(name, _text(length), nullable=False,
                                          server_default=""))
    op.create_table(
        "handout_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("kind", _text(20), nullable=False),
        sa.Column("title", _text(300), nullable=False),
        sa.Column("paragraphs", sa.JSON(), nullable=False),
        sa.Column("next_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["programme_group.id"]),
        sa.ForeignKeyConstraint(["updated_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("group_id", "kind"),
    )
    with op.batch_alter_table("handout_text", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handout_text_group_id"), ["group_id"],
                              unique=False)
    op.create_table(
        "handout_translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text_id", sa.Integer(), nullable=False),
        sa.Column("target_language", _text(35), nullable=False),
        sa.Column("paragraphs", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("state", _text(14), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("agreed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["text_id"], ["handout_text.id"]),
        sa.ForeignKeyConstraint(["updated_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("text_id", "target_language"),
    )
    with op.batch_alter_table("handout_translation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handout_translation_text_id"), ["text_id"],
                              unique=False)
    op.create_table(
        "handout_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("translation_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", _text(12), nullable=False),
        sa.Column("fingerprint", _text(4000), nullable=False),
        sa.Column("wording", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["translation_id"], ["handout_translation.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("handout_signature", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handout_signature_translation_id"),
                              ["translation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("handout_signature", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handout_signature_translation_id"))
    op.drop_table("handout_signature")
    with op.batch_alter_table("handout_translation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handout_translation_text_id"))
    op.drop_table("handout_translation")
    with op.batch_alter_table("handout_text", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handout_text_group_id"))
    op.drop_table("handout_text")
    with op.batch_alter_table("programme_group", schema=None) as batch_op:
        for name, _length in reversed(GROUP_FIELDS):
            batch_op.drop_column(name)
