"""participant absence marked by the organiser

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 02:30:00

An absence the organiser marked sticks when the person's page reconnects (a no-show's does not:
arriving makes them late). Existing rows start unmarked, as every absence behaved before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('absence_marked', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_column('absence_marked')
