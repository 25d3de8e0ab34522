"""handout audio: recordings of a handout translation's paragraphs, part of its signed
text

Revision ID: 0015_handout_audio
Revises: 0014_handout_texts
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_handout_audio"
down_revision = "0014_handout_texts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handout_translation") as batch:
        batch.add_column(sa.Column("audio", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handout_translation") as batch:
        batch.drop_column("audio")
