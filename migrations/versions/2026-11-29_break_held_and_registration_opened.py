"""round.break_held_s and event.registration_opened_at

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 06:00:00

`round.break_held_s`: how long the break after a round was held. Before, releasing a hold moved
the round's recorded end, so its length in the reports included the hold; existing rows start at
0 (their ends stay as recorded). `event.registration_opened_at`: when registration first opened,
so a draft event's registration page can tell "not open yet" from "closed". It is filled from
the audit log: the first `event.phase` entry that moved the event to `open`. Events past draft
without one (scheduled straight from an import) get their creation time: registration is over
for them either way.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("break_held_s", sa.Float(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("registration_opened_at", sa.DateTime(), nullable=True))
    _fill_registration_opened()


def _fill_registration_opened() -> None:
    connection = op.get_bind()
    event = sa.table(
        "event",
        sa.column("id", sa.String),
        # Stored by name, as the enum was created in 0001 (a PostgreSQL enum type there).
        sa.column(
            "phase", sa.Enum("DRAFT", "OPEN", "SCHEDULED", "LIVE", "FINISHED", name="eventphase")
        ),
        sa.column("created_at", sa.DateTime),
        sa.column("registration_opened_at", sa.DateTime),
    )
    audit = sa.table(
        "auditlog",
        sa.column("event_id", sa.String),
        sa.column("action", sa.String),
        sa.column("detail", sa.JSON),
        sa.column("created_at", sa.DateTime),
    )
    opened: dict[str, object] = {}
    entries = connection.execute(
        sa.select(audit.c.event_id, audit.c.detail, audit.c.created_at)
        .where(audit.c.action == "event.phase")
        .order_by(audit.c.created_at)
    )
    for event_id, detail, created_at in entries:
        if event_id is not None and (detail or {}).get("to") == "open":
            opened.setdefault(event_id, created_at)
    for event_id, at in opened.items():
        connection.execute(
            sa.update(event).where(event.c.id == event_id).values(registration_opened_at=at)
        )
    connection.execute(
        sa.update(event)
        .where(event.c.registration_opened_at.is_(None), event.c.phase != "DRAFT")
        .values(registration_opened_at=event.c.created_at)
    )


def downgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("registration_opened_at")
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.drop_column("break_held_s")
