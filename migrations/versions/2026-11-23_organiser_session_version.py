"""organiser session version (server-side sign-out)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 16:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('organiser', schema=None) as batch_op:
        # Existing organisers start at 0; the default only fills old rows and is dropped again.
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('organiser', schema=None) as batch_op:
        batch_op.alter_column('session_version', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('organiser', schema=None) as batch_op:
        batch_op.drop_column('session_version')
