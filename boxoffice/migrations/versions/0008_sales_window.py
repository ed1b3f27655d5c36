"""sessions: a sales window (sales_open_at, sales_close_at)

A sale is refused outside ``[sales_open_at, sales_close_at)`` — by the sale statement against the database clock and
by the Redis scripts against the Redis clock (the close time is copied into the session's Redis meta). Existing
sessions take the default rule: a match (a stadium session) closes one hour after it starts, a time slot (a court or
hall rented by the hour) at its end. ``sales_open_at`` NULL means open since creation.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('sessions', sa.Column('sales_open_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('sessions', sa.Column('sales_close_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE sessions s SET sales_close_at = CASE WHEN v.kind = 'stadium' "
               "THEN s.starts_at + interval '1 hour' ELSE s.ends_at END FROM venues v WHERE v.id = s.venue_id")
    op.alter_column('sessions', 'sales_close_at', nullable=False)


def downgrade() -> None:
    op.drop_column('sessions', 'sales_close_at')
    op.drop_column('sessions', 'sales_open_at')
