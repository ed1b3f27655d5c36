"""cli_sessions: sign-ins of the ``boxoffice`` command (a hashed random token per session, expiry, revocation)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('cli_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('client', sa.String(length=200), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cli_sessions_user_id_users'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revoked_by'], ['users.id'], name=op.f('fk_cli_sessions_revoked_by_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cli_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_cli_sessions_token_hash'))
    )
    op.create_index(op.f('ix_cli_sessions_user_id'), 'cli_sessions', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_cli_sessions_user_id'), table_name='cli_sessions')
    op.drop_table('cli_sessions')
