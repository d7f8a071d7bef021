"""One schedule change at a time: a change stores only if the schedule is still as it read it.

Two tabs changing the schedule at once both read the same plan, and storing the second change
would undo the first (or fail on a round the first replaced). The event's `state_version` is no
test of that: participants added, edited or erased move it too (app.versions), and a schedule
edit refused for those would be a needless retry. So a change takes the event row (which every
schedule change takes first, bumping the version the open pages follow) and then compares the
schedule itself, with the phase and the round running, to what it read.
"""

from dataclasses import dataclass

from sqlmodel import Session

import matching
from app import versions
from app.errors import Conflict, NotFound, for_organisers
from app.models import Event, EventPhase, SchedulePlan
from app.schedule.store import current_plan, latest_plan


@dataclass(frozen=True)
class Seen:
    """What a schedule change read: the plan in force and where the event stood."""

    phase: EventPhase
    current_round: int
    plan_id: str | None
    rounds: tuple[matching.RoundPlan, ...]


def as_read(event: Event, row: SchedulePlan | None, plan: matching.Plan | None) -> Seen:
    """What a change read: `event` as this request loaded it, the plan row and its rounds."""
    return Seen(
        phase=event.phase,
        current_round=event.current_round,
        plan_id=row.id if row else None,
        rounds=plan.rounds if plan else (),
    )


def seen(session: Session, *, event: Event) -> Seen:
    """The schedule as it is now, with `event` as this request loaded it."""
    return as_read(
        event,
        latest_plan(session, event_id=event.id),
        current_plan(session, event_id=event.id),
    )


def claim(session: Session, *, event: Event, read: Seen) -> None:
    """Takes the event row for this change (no commit), or Conflict, with nothing stored, when
    another schedule change, a phase change or a round start landed since `read`.

    Call it after reading the plan and before writing any of it. The row is taken with an SQL
    increment: a second change waits here until the first is stored, then sees it.
    """
    if not versions.bump(session, event.id):
        session.rollback()
        raise NotFound(
            for_organisers("The event was deleted at the same moment; nothing was changed.")
        )
    session.refresh(event)
    if seen(session, event=event) != read:
        session.rollback()
        raise Conflict(
            for_organisers(
                "The schedule was changed elsewhere (another tab or organiser) at the same moment; "
                "nothing was changed here. Reload the schedule and try again."
            )
        )
