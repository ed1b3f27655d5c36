"""orders: an optional customer name and phone (walk-up sales leave them NULL)

A clerk may note who bought an order, to find it again by the customer's name or phone. Both columns are nullable
and never required. The indexes are partial (``WHERE ... IS NOT NULL``): an anonymous sale — most of them — writes no
index entry, so the sale statement does not get slower.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('orders', sa.Column('customer_name', sa.String(length=100), nullable=True))
    op.add_column('orders', sa.Column('customer_phone', sa.String(length=32), nullable=True))
    op.create_index('ix_orders_customer_name', 'orders', [sa.text('lower(customer_name)')],
                    postgresql_where=sa.text('customer_name IS NOT NULL'))
    op.create_index('ix_orders_customer_phone', 'orders', ['customer_phone'],
                    postgresql_where=sa.text('customer_phone IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_orders_customer_phone', table_name='orders')
    op.drop_index('ix_orders_customer_name', table_name='orders')
    op.drop_column('orders', 'customer_phone')
    op.drop_column('orders', 'customer_name')
