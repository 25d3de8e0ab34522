"""groups, checklist confirmations and session packs

Revision ID: 0002_groups
Revises: 0005_flyers
Create Date: 2026-11-27 09:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0002_groups'
down_revision = "0005_flyers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('programme_group',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('working_language', sqlmodel.sql.sqltypes.AutoString(length=35), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('group_language',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=35), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['programme_group.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('group_id', 'language')
    )
    with op.batch_alter_table('group_language', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_language_group_id'), ['group_id'], unique=False)

    op.create_table('group_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['programme_group.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('group_id', 'person_id', 'role')
    )
    with op.batch_alter_table('group_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_member_group_id'), ['group_id'], unique=False)

    op.create_table('group_concept',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('concept_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['concept_id'], ['concept.id'], ),
    sa.ForeignKeyConstraint(['group_id'], ['programme_group.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('group_id', 'concept_id')
    )
    with op.batch_alter_table('group_concept', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_concept_group_id'), ['group_id'], unique=False)

    op.create_table('checklist_confirmation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=35), nullable=False),
    sa.Column('item', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['programme_group.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('checklist_confirmation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checklist_confirmation_group_id'), ['group_id'], unique=False)

    op.create_table('session_pack',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('source_language', sqlmodel.sql.sqltypes.AutoString(length=35), nullable=False),
    sa.Column('target_language', sqlmodel.sql.sqltypes.AutoString(length=35), nullable=False),
    sa.Column('draft', sa.Boolean(), nullable=False),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('concept_count', sa.Integer(), nullable=False),
    sa.Column('agreed_count', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], ),
    sa.ForeignKeyConstraint(['group_id'], ['programme_group.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('session_pack', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_pack_group_id'), ['group_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('session_pack', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_pack_group_id'))
    op.drop_table('session_pack')
    with op.batch_alter_table('checklist_confirmation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checklist_confirmation_group_id'))
    op.drop_table('checklist_confirmation')
    with op.batch_alter_table('group_concept', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_concept_group_id'))
    op.drop_table('group_concept')
    with op.batch_alter_table('group_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_member_group_id'))
    op.drop_table('group_member')
    with op.batch_alter_table('group_language', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_language_group_id'))
    op.drop_table('group_language')
    op.drop_table('programme_group')
