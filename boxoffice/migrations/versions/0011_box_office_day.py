"""the box office's day: till shifts and cash movements, split tender, price types, ticket reprints

- ``till_shifts``: a clerk's till on a workstation, from its opening float to its blind count and a supervisor's
  sign-off; at most one open shift per clerk and per workstation.
- ``cash_movements``: drops and payouts of a shift (the float, sales, change and refunds are in ``till_shifts`` and
  ``payments``).
- ``payments``: ``shift_id`` (the till a tender went into or came out of); the methods gain ``voucher``; an order may
  have several payment rows (split tender). ``tendered`` (cash handed over) stays cash-only.
- ``price_types`` (per venue: adult, child, …, with whether a supervisor must approve and what the gate checks) and
  ``zone_prices`` (a price per zone and type, venue-wide or for one session).
- ``order_lines``: ``price_type`` of each seat (``adult`` for every line sold before) and ``reprint``: the print
  number of its ticket (0 the first print); a ticket code carries it, and an older code is refused.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'till_shifts',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', name=op.f('fk_till_shifts_user_id_users')),
                  nullable=False),
        sa.Column('workstation', sa.String(100), nullable=False),
        sa.Column('status', sa.String(8), server_default='open', nullable=False),
        sa.Column('opening_float', sa.Numeric(12, 2), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True)),
        sa.Column('counted', sa.Numeric(12, 2)),
        sa.Column('counted_detail', postgresql.JSONB()),
        sa.Column('expected', sa.Numeric(12, 2)),
        sa.Column('variance', sa.Numeric(12, 2)),
        sa.Column('signed_off_by', sa.Integer(),
                  sa.ForeignKey('users.id', name=op.f('fk_till_shifts_signed_off_by_users'))),
        sa.Column('note', sa.Text()),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_till_shifts_status')),
        sa.CheckConstraint('opening_float >= 0', name=op.f('ck_till_shifts_float')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_till_shifts')),
    )
    op.create_index('uq_till_shifts_open_user', 'till_shifts', ['user_id'], unique=True,
                    postgresql_where=sa.text("status = 'open'"))
    op.create_index('uq_till_shifts_open_workstation', 'till_shifts', ['workstation'], unique=True,
                    postgresql_where=sa.text("status = 'open'"))
    op.create_table(
        'cash_movements',
        sa.Column('id', sa.BigInteger(), primary_key=True),
        sa.Column('shift_id', sa.Integer(), sa.ForeignKey('till_shifts.id', ondelete='CASCADE',
                                                           name=op.f('fk_cash_movements_shift_id_till_shifts')),
                  nullable=False, index=True),
        sa.Column('kind', sa.String(8), nullable=False),
        sa.Column('amount', sa.Numeric(12, 2), nullable=False),
        sa.Column('reason', sa.Text()),
        sa.Column('actor_id', sa.Integer(), sa.ForeignKey('users.id', name=op.f('fk_cash_movements_actor_id_users')),
                  nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("kind IN ('drop', 'payout')", name=op.f('ck_cash_movements_kind')),
        sa.CheckConstraint('amount > 0', name=op.f('ck_cash_movements_amount')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cash_movements')),
    )
    op.add_column('payments', sa.Column('shift_id', sa.Integer(), sa.ForeignKey(
        'till_shifts.id', name=op.f('fk_payments_shift_id_till_shifts')), nullable=True))
    op.create_index(op.f('ix_payments_shift_id'), 'payments', ['shift_id'],
                    postgresql_where=sa.text('shift_id IS NOT NULL'))
    op.drop_constraint(op.f('ck_payments_method'), 'payments', type_='check')
    op.create_check_constraint(op.f('ck_payments_method'), 'payments', "method IN ('cash', 'card', 'voucher')")
    op.create_check_constraint(op.f('ck_payments_tendered_cash'), 'payments',
                               "tendered IS NULL OR method = 'cash'")

    op.create_table(
        'price_types',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('venue_id', sa.Integer(), sa.ForeignKey('venues.id', ondelete='CASCADE',
                                                           name=op.f('fk_price_types_venue_id_venues')),
                  nullable=False),
        sa.Column('code', sa.String(16), nullable=False),
        sa.Column('name', sa.String(100), nullable=False),
        sa.Column('needs_supervisor', sa.Boolean(), server_default=sa.text('false'), nullable=False),
        sa.Column('notice', sa.String(200)),
        sa.Column('position', sa.Integer(), server_default='0', nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_price_types')),
        sa.UniqueConstraint('venue_id', 'code', name=op.f('uq_price_types_venue_id')),
    )
    op.create_table(
        'zone_prices',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('venue_id', sa.Integer(), sa.ForeignKey('venues.id', ondelete='CASCADE',
                                                           name=op.f('fk_zone_prices_venue_id_venues')),
                  nullable=False),
        sa.Column('session_id', sa.Integer(), sa.ForeignKey('sessions.id', ondelete='CASCADE',
                                                             name=op.f('fk_zone_prices_session_id_sessions'))),
        sa.Column('zone', sa.String(16), nullable=False),
        sa.Column('price_type', sa.String(16), nullable=False),
        sa.Column('price', sa.Numeric(12, 2), nullable=False),
        sa.CheckConstraint('price >= 0', name=op.f('ck_zone_prices_price')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_zone_prices')),
    )
    op.create_index('uq_zone_prices_entry', 'zone_prices',
                    ['venue_id', sa.text('coalesce(session_id, 0)'), 'zone', 'price_type'], unique=True)
    op.add_column('order_lines', sa.Column('price_type', sa.String(16), server_default='adult', nullable=False))
    op.add_column('order_lines', sa.Column('reprint', sa.SmallInteger(), server_default='0', nullable=False))


def downgrade() -> None:
    op.drop_column('order_lines', 'reprint')
    op.drop_column('order_lines', 'price_type')
    op.drop_index('uq_zone_prices_entry', table_name='zone_prices')
    op.drop_table('zone_prices')
    op.drop_table('price_types')
    op.drop_constraint(op.f('ck_payments_tendered_cash'), 'payments', type_='check')
    op.drop_constraint(op.f('ck_payments_method'), 'payments', type_='check')
    op.create_check_constraint(op.f('ck_payments_method'), 'payments', "method IN ('cash', 'card')")
    op.drop_index(op.f('ix_payments_shift_id'), table_name='payments')
    op.drop_column('payments', 'shift_id')
    op.drop_table('cash_movements')
    op.drop_index('uq_till_shifts_open_workstation', table_name='till_shifts')
    op.drop_index('uq_till_shifts_open_user', table_name='till_shifts')
    op.drop_table('till_shifts')
