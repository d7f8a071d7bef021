"""participant link e-mail pending marker

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 02:15:00

Set while a personal link issued for e-mail has not been taken by the SMTP server, so a crash
mid-batch leaves those people marked and "E-mail missing links" reaches them. Existing rows
start unmarked: links issued before this release count as delivered, as they did.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link_mail_pending_since', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_column('link_mail_pending_since')
