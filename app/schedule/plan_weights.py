"""The scoring weights a stored plan was made with, kept in its "schedule.generate" audit entry.

Weights break no rule, so a plan made before they changed (while the event was reopened) still
validates; only these records tell that it was scored for other weights.
"""

from dataclasses import asdict
from typing import Any

from sqlmodel import Session, col, select

from app.models import AuditLog, Event
from app.schedule import convert


def current(event: Event) -> dict[str, Any]:
    """The event's weights as the planner reads them (unknown keys out, defaults in)."""
    return asdict(convert.weights_for(event))


def changed_since_plan(session: Session, *, event: Event) -> bool:
    """Whether the weights differ from those of the newest generate (False when unrecorded:
    plans made before the weights were recorded, or entries gone)."""
    statement = (
        select(AuditLog)
        .where(AuditLog.event_id == event.id, AuditLog.action == "schedule.generate")
        .order_by(col(AuditLog.id).desc())
        .limit(1)
    )
    entry = session.exec(statement).first()
    if entry is None or "weights" not in entry.detail:
        return False
    return bool(entry.detail["weights"] != current(event))
