"""outbox: the pending index in the relay's claim order (id), so a claim never walks sent rows

The relay claims ``WHERE status = 'pending' … ORDER BY id LIMIT n``. With the pending rows indexed by
(available_at, id), PostgreSQL either sorted every pending row on each claim or, when its statistics still counted a
just-drained backlog as pending, walked the primary key through every sent row (a claim grew slower with every row
sent). Indexed by id, a claim reads the first n pending entries and stops.

The build holds the outbox's write lock while it scans the table (kept short by the purge of applied sent rows):
sales wait for it, so upgrade outside selling hours, as with every migration.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.drop_index('ix_outbox_pending', table_name='outbox', postgresql_where=sa.text("status = 'pending'"))
    op.create_index('ix_outbox_pending', 'outbox', ['id'], unique=False, postgresql_where=sa.text("status = 'pending'"))


def downgrade() -> None:
    op.drop_index('ix_outbox_pending', table_name='outbox', postgresql_where=sa.text("status = 'pending'"))
    op.create_index('ix_outbox_pending', 'outbox', ['available_at', 'id'], unique=False,
                    postgresql_where=sa.text("status = 'pending'"))
