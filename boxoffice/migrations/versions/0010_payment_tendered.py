"""payments: the cash given (tendered) for a sale, so a reprinted receipt shows it and the change

``tendered`` is what the customer handed over for a cash payment; NULL means exact money or a card (the change is
then nothing). The change is ``tendered - amount`` and is not stored.

Revision ID: 0010
Revises: 0008 (0009, the order's customer, is on another branch: at the merge this one follows it)
Create Date: 2026-12-03

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: Union[str, Sequence[str], None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('payments', sa.Column('tendered', sa.Numeric(12, 2), nullable=True))
    op.create_check_constraint(op.f('ck_payments_tendered'), 'payments', "tendered IS NULL OR tendered >= amount")


def downgrade() -> None:
    op.drop_constraint(op.f('ck_payments_tendered'), 'payments', type_='check')
    op.drop_column('payments', 'tendered')
