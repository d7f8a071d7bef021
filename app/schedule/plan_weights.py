"""The scoring weights a stored plan was made with (`SchedulePlan.weights`).

Weights break no rule, so a plan made before they changed (while the event was reopened) still
validates; only this record tells that it was scored for other weights.
"""

from dataclasses import asdict
from typing import Any

from sqlmodel import Session

from app.errors import for_organisers
from app.models import Event
from app.schedule import convert
from app.schedule.store import latest_plan

# Said among the plan's problems, on the schedule page and when going live refuses the plan.
CHANGED = for_organisers("the scoring weights changed since it was made")


def current(event: Event) -> dict[str, Any]:
    """The event's weights as the planner reads them (unknown keys out, defaults in)."""
    return asdict(convert.weights_for(event))


def changed_since_plan(session: Session, *, event: Event) -> bool:
    """Whether the weights differ from those the plan in force was made with (False when
    unrecorded: plans stored before the weights were recorded)."""
    row = latest_plan(session, event_id=event.id)
    if row is None or row.weights is None:
        return False
    return bool(row.weights != current(event))
