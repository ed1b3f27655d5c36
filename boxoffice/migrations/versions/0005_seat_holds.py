"""seat_holds: holds made from the database alone while Redis is unreachable (degraded mode)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('seat_holds',
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('seats', postgresql.ARRAY(sa.Integer()), nullable=False),
    sa.Column('state', sa.String(length=8), server_default='held', nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("state IN ('held', 'sold', 'released')", name=op.f('ck_seat_holds_state')),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_seat_holds_session_id_sessions'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_seat_holds_user_id_users')),
    sa.PrimaryKeyConstraint('token', name=op.f('pk_seat_holds'))
    )
    op.create_index(op.f('ix_seat_holds_session_id'), 'seat_holds', ['session_id'], unique=False)
    op.create_index('ix_seat_holds_live', 'seat_holds', ['expires_at'], unique=False,
                    postgresql_where=sa.text("state = 'held'"))


def downgrade() -> None:
    op.drop_index('ix_seat_holds_live', table_name='seat_holds', postgresql_where=sa.text("state = 'held'"))
    op.drop_index(op.f('ix_seat_holds_session_id'), table_name='seat_holds')
    op.drop_table('seat_holds')
