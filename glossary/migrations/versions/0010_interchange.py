"""interchange: unknown stays unknown, and the structure of imported terms is kept

Sensitivity, a rendering's status and its register may be "not stated" (NULL): an
import no longer invents them. Concepts and terms get ``details`` (JSON): part of speech,
grammatical gender, term type, context, source, cross-references.

Revision ID: 0010_interchange
Revises: 0009_search_delta
Create Date: 2026-12-05
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010_interchange"
down_revision = "0009_search_delta"
branch_labels = None
depends_on = None

# (table, column, length) made nullable; ``details`` is added to concept and term.
NULLABLE = {"concept": (("sensitivity", 10),),
            "term": (("status", 12), ("usage_register", 12)),
            "termversion": (("status", 12), ("usage_register", 12))}
DEFAULTS = {"sensitivity": "medium", "status": "preferred", "usage_register": "neutral"}


def _text(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    # On SQLite a batch copies its table once; glossary.migrate.upgrade runs migrations
    # with foreign keys off and checks every reference before it commits.
    for table, columns in NULLABLE.items():
        with op.batch_alter_table(table) as batch:
            for column, length in columns:
                batch.alter_column(column, existing_type=_text(length), nullable=True)
            if table != "termversion":
                batch.add_column(sa.Column("details", sa.JSON(), nullable=True))


def downgrade() -> None:
    for table, columns in NULLABLE.items():
        for column, _length in columns:
            # What the older schema cannot hold as unknown gets its former default back.
            op.execute(sa.text(f"UPDATE {table} SET {column} = :value WHERE {column} IS NULL")
                       .bindparams(value=DEFAULTS[column]))
        with op.batch_alter_table(table) as batch:
            if table != "termversion":
                batch.drop_column("details")
            for column, length in columns:
                batch.alter_column(column, existing_type=_text(length), nullable=False)
