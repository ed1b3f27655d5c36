"""outbox: when the inventory consumer applied a message, and an index of the published-but-unapplied ones

A message the stream lost (Redis restarted without persistence, FLUSHALL, a failover) stays ``sent`` and is never
applied. The relay finds those through ``ix_outbox_unapplied`` (a small partial index: only rows between publishing
and applying) and publishes them again; the consumer sets ``applied_at`` in the transaction that writes its inbox row.
Existing rows take ``applied_at`` from the inbox.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column('outbox', sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE outbox o SET applied_at = i.processed_at FROM inbox i "
               "WHERE i.consumer = 'inventory' AND i.message_id = o.id")
    op.create_index('ix_outbox_unapplied', 'outbox', ['sent_at'], unique=False,
                    postgresql_where=sa.text("status = 'sent' AND applied_at IS NULL"))


def downgrade() -> None:
    op.drop_index('ix_outbox_unapplied', table_name='outbox',
                  postgresql_where=sa.text("status = 'sent' AND applied_at IS NULL"))
    op.drop_column('outbox', 'applied_at')
