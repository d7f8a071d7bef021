"""state out of the audit log: scheduleplan.weights, roommember.hand_set/kept_with/notice,
round.hand_set_out/notices_unseated

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 07:00:00

Three features read the audit log as their state; an audit purge or erasure scrub silently
changed them. They now have columns:

- `scheduleplan.weights`: the scoring weights a plan was made with (going back to scheduled
  refuses a plan scored for other weights). Filled from the audit log: a plan row stored by a
  generate gets the weights of the `schedule.generate` entry naming its version (written just
  after the row, in the same transaction); a row stored by a re-plan or an edit gets those of
  the version before it, as the newest generate's were read before. Rows without such an entry
  (or whose entry recorded no weights) stay NULL: "not recorded", not checked, as before.
- `roommember.hand_set` and `kept_with`, `round.hand_set_out`: the seats the organiser set by
  hand, which a removal's re-plan keeps. Not filled: hand-set seats of a schedule stored before
  the upgrade are not kept by a later removal's re-plan (its warnings then name none of them).
- `roommember.notice` and `round.notices_unseated`: who was told their room changed in the
  running round. Not filled: a round running during the upgrade shows no notice on a reconnect.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scheduleplan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("weights", sa.JSON(), nullable=True))
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("hand_set_out", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(
            sa.Column("notices_unseated", sa.JSON(), nullable=False, server_default="{}")
        )
    with op.batch_alter_table("roommember", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("hand_set", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("kept_with", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("notice", sa.String(length=16), nullable=True))
    _fill_weights()


def _fill_weights() -> None:
    connection = op.get_bind()
    plan = sa.table(
        "scheduleplan",
        sa.column("id", sa.String),
        sa.column("event_id", sa.String),
        sa.column("version", sa.Integer),
        sa.column("weights", sa.JSON),
    )
    audit = sa.table(
        "auditlog",
        sa.column("id", sa.Integer),
        sa.column("event_id", sa.String),
        sa.column("action", sa.String),
        sa.column("detail", sa.JSON),
    )
    generated: dict[tuple[str, int], dict[str, Any] | None] = {}
    entries = connection.execute(
        sa.select(audit.c.event_id, audit.c.detail)
        .where(audit.c.action == "schedule.generate", audit.c.event_id.is_not(None))
        .order_by(audit.c.id)
    )
    for event_id, detail in entries:
        version = (detail or {}).get("version")
        if isinstance(version, int):
            generated[(event_id, version)] = (detail or {}).get("weights")
    rows = connection.execute(
        sa.select(plan.c.id, plan.c.event_id, plan.c.version).order_by(
            plan.c.event_id, plan.c.version
        )
    )
    carried: dict[str, dict[str, Any] | None] = {}
    fills: list[tuple[str, dict[str, Any]]] = []
    for plan_id, event_id, version in rows.all():
        if (event_id, version) in generated:
            carried[event_id] = generated[(event_id, version)]
        weights = carried.get(event_id)
        if weights is not None:
            fills.append((plan_id, weights))
    for plan_id, weights in fills:
        connection.execute(sa.update(plan).where(plan.c.id == plan_id).values(weights=weights))


def downgrade() -> None:
    with op.batch_alter_table("roommember", schema=None) as batch_op:
        batch_op.drop_column("notice")
        batch_op.drop_column("kept_with")
        batch_op.drop_column("hand_set")
    with op.batch_alter_table("round", schema=None) as batch_op:
        batch_op.drop_column("notices_unseated")
        batch_op.drop_column("hand_set_out")
    with op.batch_alter_table("scheduleplan", schema=None) as batch_op:
        batch_op.drop_column("weights")
