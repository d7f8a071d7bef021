"""organiser.invite_issued_at

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 06:30:00

When an organiser's current invite link was made, so the colleagues list can tell an unused
link from an expired one (the link itself carries the time, but only its digest is stored).
Filled from the audit log: the newest `organiser.invite` entry of each account whose link is
still unused. Accounts without one (made by `speedmatch organiser create` or the demo) keep
none, and the list counts from their creation, as the link's own expiry check does.
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organiser", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invite_issued_at", sa.DateTime(), nullable=True))
    _fill_invite_issued()


def _fill_invite_issued() -> None:
    connection = op.get_bind()
    organiser = sa.table(
        "organiser",
        sa.column("id", sa.String),
        sa.column("invite_token_hash", sa.String),
        sa.column("invite_issued_at", sa.DateTime),
    )
    audit = sa.table(
        "auditlog",
        sa.column("id", sa.Integer),
        sa.column("action", sa.String),
        sa.column("detail", sa.JSON),
        sa.column("created_at", sa.DateTime),
    )
    unused = set(
        connection.execute(
            sa.select(organiser.c.id).where(organiser.c.invite_token_hash.is_not(None))
        ).scalars()
    )
    issued: dict[str, datetime] = {}
    entries = connection.execute(
        sa.select(audit.c.detail, audit.c.created_at)
        .where(audit.c.action == "organiser.invite")
        .order_by(audit.c.id)
    )
    for detail, created_at in entries:
        organiser_id = (detail or {}).get("organiser_id")
        if isinstance(organiser_id, str) and organiser_id in unused:
            issued[organiser_id] = created_at  # the newest entry wins
    for organiser_id, at in issued.items():
        connection.execute(
            sa.update(organiser).where(organiser.c.id == organiser_id).values(invite_issued_at=at)
        )


def downgrade() -> None:
    with op.batch_alter_table("organiser", schema=None) as batch_op:
        batch_op.drop_column("invite_issued_at")
