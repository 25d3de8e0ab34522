"""recording spoken: the hash of the text a paragraph recording was made for, so pages
can say when the paragraph changed after it was recorded

Revision ID: 0016_recording_spoken
Revises: 0015_handout_audio
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_recording_spoken"
down_revision = "0015_handout_audio"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("recording") as batch:
        batch.add_column(sa.Column("spoken", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("recording") as batch:
        batch.drop_column("spoken")
