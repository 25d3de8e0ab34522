"""explanations: a rendering's explanation for participants

Each rendering (and each of its versions) gets ``explanation``: what the word means, in
the rendering's own language and in plain words, written by the mediator. Existing rows
get the empty text, which no record, hash or signature includes.

Revision ID: 0011_explanations
Revises: 0010_interchange
Create Date: 2026-12-05
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011_explanations"
down_revision = "0010_interchange"
branch_labels = None
depends_on = None

TABLES = ("term", "termversion")


def upgrade() -> None:
    for table in TABLES:
        # A plain ADD COLUMN (no table copy on SQLite); its server default fills the rows
        # already there and stays, harmless, as the models always give a value.
        op.add_column(table, sa.Column("explanation",
                                       sqlmodel.sql.sqltypes.AutoString(length=2000),
                                       nullable=False, server_default=""))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("explanation")
