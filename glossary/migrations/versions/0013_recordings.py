"""recordings: audio stored once per content, recordings by slot, a rendering's audio as
part of its signed wording, and kit links for phones that do not sign in

Revision ID: 0013_recordings
Revises: 0012_import_mappings
Create Date: 2026-12-05
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013_recordings"
down_revision = "0012_import_mappings"
branch_labels = None
depends_on = None


def _text(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    when = sqlmodel.sql.sqltypes.UTCDateTime
    op.create_table(
        "audio_blob",
        sa.Column("sha256", _text(64), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("ogg", sa.LargeBinary(), nullable=False),
        sa.Column("m4a", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", when(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    with op.batch_alter_table("audio_blob") as batch:
        batch.create_index(batch.f("ix_audio_blob_created_at"), ["created_at"], unique=False)
    op.create_table(
        "recording",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slot", _text(24), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("language", _text(35), nullable=False),
        sa.Column("audio_sha256", _text(64), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("created_at", when(), nullable=False),
        sa.ForeignKeyConstraint(["audio_sha256"], ["audio_blob.sha256"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("recording") as batch:
        batch.create_index("ix_recording_slot_owner", ["slot", "owner_id", "part"],
                           unique=False)
    op.create_table(
        "kit_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", _text(64), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("language", _text(35), nullable=False),
        sa.Column("label", _text(120), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", when(), nullable=False),
        sa.Column("expires_at", when(), nullable=False),
        sa.Column("revoked_at", when(), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["programme_group.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("kit_link") as batch:
        batch.create_index(batch.f("ix_kit_link_token_hash"), ["token_hash"], unique=True)
        batch.create_index(batch.f("ix_kit_link_group_id"), ["group_id"], unique=False)
    for table in ("term", "termversion", "flyertranslation"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("audio", sa.JSON(), nullable=True))


def downgrade() -> None:
    for table in ("flyertranslation", "termversion", "term"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("audio")
    op.drop_table("kit_link")
    op.drop_table("recording")
    op.drop_table("audio_blob")
