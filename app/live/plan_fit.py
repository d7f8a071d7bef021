"""The first round start refuses a stored plan that no longer fits, as going live does.

Starting round 1 from `scheduled` takes the event live, so it makes the phase transition's check
(app.events.service), with the same message: a removal whose re-plan failed may have left someone
alone in a room. That check reads the whole plan and every participant (12 ms at 60 people, 0.1 s
or more at 1,000) while every participant waits for the start; so each process makes it ahead,
with the next round (app.live.prepared), and the start reuses the verdict when the stamps it
was made at (statements.PlanStamps) are still the stored ones. Otherwise it checks there and then.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.errors import InvalidTransition
from app.events import service as event_service
from app.live import statements
from app.models import Event, EventPhase


@dataclass(frozen=True)
class PlanFit:
    """Whether the stored plan fits, as read at `stamps`."""

    stamps: statements.PlanStamps
    refusal: InvalidTransition | None  # why going live is refused; None when the plan fits


def needs_check(event: statements.EventRounds) -> bool:
    # Only the first start goes live. An event scheduled without a stored plan (rounds written
    # directly, as test and bench fixtures do) has nothing to check its rooms against.
    return event.phase == EventPhase.SCHEDULED and event.stamps.plan_version is not None


def check_ahead(session: Session, event_id: str) -> PlanFit | None:
    """The verdict as stored now, for a later start; None when a start would not check."""
    # The stamps before the plan: a change committed in between then shows as newer stamps.
    event = statements.event_rounds(session.connection(), event_id)
    if event is None or not needs_check(event):
        return None
    return PlanFit(event.stamps, _refusal(session, event_id))


def require_fit(session: Session, event: statements.EventRounds, ahead: PlanFit | None) -> None:
    """Raise InvalidTransition where going live would; `ahead` is used if still current."""
    if not needs_check(event):
        return
    if ahead is not None and ahead.stamps == event.stamps:
        refusal = ahead.refusal
    else:
        refusal = _refusal(session, event.id)
    if refusal is not None:
        # A fresh one: the verdict made ahead may be raised by more than one start.
        raise InvalidTransition(refusal.template, **refusal.params)


def _refusal(session: Session, event_id: str) -> InvalidTransition | None:
    event = session.get(Event, event_id)
    if event is None:
        return None  # deleted since: the start's own checks say so
    try:
        event_service.require_fitting_plan(session, event=event, going_live=True)
    except InvalidTransition as refused:
        return refused  # kept whole: pages translate its template
    return None
