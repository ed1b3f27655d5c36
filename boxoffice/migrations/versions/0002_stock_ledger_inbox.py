"""stock ledger, consumer inbox, why an order line ended

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('stock_ledger',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('zone', sa.String(length=16), nullable=False),
    sa.Column('sold', sa.Integer(), server_default='0', nullable=False),
    sa.Column('revenue', sa.Numeric(precision=12, scale=2), server_default='0', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], name=op.f('fk_stock_ledger_session_id_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'zone', name=op.f('pk_stock_ledger'))
    )
    op.add_column('order_lines', sa.Column('ended', sa.String(length=16), nullable=True))
    op.create_table('inbox',
    sa.Column('consumer', sa.String(length=32), nullable=False),
    sa.Column('message_id', sa.BigInteger(), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('consumer', 'message_id', name=op.f('pk_inbox'))
    )


def downgrade() -> None:
    op.drop_table('inbox')
    op.drop_column('order_lines', 'ended')
    op.drop_table('stock_ledger')
