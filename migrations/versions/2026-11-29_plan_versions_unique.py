"""scheduleplan: one row per (event_id, version)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 12:00:00

Every stored plan takes the newest version plus one; nothing in the database stopped two schedule
changes at once from both storing the same "next" version, and then which of them is in force
(the newest) was left to chance. The unique constraint `uq_scheduleplan_event_id_version` makes
the second one fail (the app answers 409 and stores nothing, app.schedule.store).

Duplicates already stored would make adding the constraint fail, so they are renumbered first:
an event's plans, in the order (version, created_at, id), each get at least the version before
theirs plus one. The earliest-made row of a duplicated version keeps it; the later ones, and every
row after them, move up (1, 2, 2, 3 becomes 1, 2, 3, 4), so the most recently made of them is the
one in force, and events without duplicates are not touched. Each renumbered event is logged.
Audit-log entries keep the version numbers they were written with. Downgrading drops the
constraint and keeps the new numbers.
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")
CONSTRAINT = "uq_scheduleplan_event_id_version"
plan = sa.table(
    "scheduleplan",
    sa.column("id", sa.String),
    sa.column("event_id", sa.String),
    sa.column("version", sa.Integer),
    sa.column("created_at", sa.DateTime),
)


def upgrade() -> None:
    _renumber_duplicates()
    with op.batch_alter_table("scheduleplan", schema=None) as batch_op:
        batch_op.create_unique_constraint(CONSTRAINT, ["event_id", "version"])


def _renumber_duplicates() -> None:
    connection = op.get_bind()
    duplicated = (
        sa.select(plan.c.event_id)
        .group_by(plan.c.event_id, plan.c.version)
        .having(sa.func.count() > 1)
    )
    rows = connection.execute(
        sa.select(plan.c.id, plan.c.event_id, plan.c.version)
        .where(plan.c.event_id.in_(duplicated))
        .order_by(plan.c.event_id, plan.c.version, plan.c.created_at, plan.c.id)
    ).all()
    previous: dict[str, int] = {}
    moved: dict[str, list[tuple[int, int]]] = {}
    for plan_id, event_id, version in rows:
        wanted = max(version, previous.get(event_id, version - 1) + 1)
        previous[event_id] = wanted
        if wanted != version:
            connection.execute(plan.update().where(plan.c.id == plan_id).values(version=wanted))
            moved.setdefault(event_id, []).append((version, wanted))
    for event_id, changes in moved.items():
        log.warning(
            "event %s stored plans with the same version: renumbered %s",
            event_id,
            ", ".join(f"{old}->{new}" for old, new in changes),
        )


def downgrade() -> None:
    with op.batch_alter_table("scheduleplan", schema=None) as batch_op:
        batch_op.drop_constraint(CONSTRAINT, type_="unique")
