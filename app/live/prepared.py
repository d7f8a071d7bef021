"""The next round's view, read and rendered before the organiser starts it.

At 1,000 people a round start spent about 15 ms reading the event and as long again building
everyone's room card before the first socket heard anything. Both depend only on what is stored
for the next round, which is known as soon as the previous change is committed, so each process
reads them ahead of time. A start may use them only when its change proves that nothing else
happened in between: its version is exactly one above the one read, and nobody was re-planned.
Otherwise the view is read afresh, as for any other change. Before the first round, whether the
stored plan still fits is checked ahead too (app.live.plan_fit); before a later one, whether the
rounds left still keep the rules with everyone's details as stored (app.live.rule_fit).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session, select

from app.live import plan_fit, rule_fit
from app.live.changes import Change
from app.live.event_view import EventView
from app.live.met_before import MetKept
from app.live.snapshot import load_view
from app.models import Event, EventPhase, Round, RoundStatus
from rooms import Status


@dataclass(frozen=True)
class PreparedRound:
    """How the event will look once round `view.current_round` starts, read at `version`."""

    version: int
    view: EventView
    fit: plan_fit.PlanFit | None = None  # the first start's plan check, made ahead
    rules: rule_fit.RuleFit | None = None  # a later start's rule check, made ahead


def prepare(
    session: Session, event_id: str, *, met_kept: MetKept | None = None
) -> PreparedRound | None:
    """Read the next round's view and build every room card; None when no round is next."""
    event = session.get(Event, event_id)
    if event is None or event.phase not in (EventPhase.SCHEDULED, EventPhase.LIVE):
        return None
    number = event.current_round + 1
    row = session.exec(
        select(Round).where(Round.event_id == event_id, Round.number == number)
    ).first()
    if row is None or row.status != RoundStatus.PLANNED:
        return None
    fit = rules = None
    if event.phase == EventPhase.SCHEDULED:
        fit = plan_fit.check_ahead(session, event_id)
    else:
        rules = rule_fit.check_ahead(session, event_id)
    view = load_view(session, event_id, round_number=number, met_kept=met_kept)
    if view is None:
        return None
    for pid in view.cards:
        view.room_part(pid)  # encoded once, cached in the view
    return PreparedRound(view.version, view, fit, rules)


def started(prepared: PreparedRound | None, change: Change) -> EventView | None:
    """The view right after `change` if it is exactly the start of the prepared round."""
    if (
        prepared is None
        or prepared.view.round is None
        or change.kind != "round_started"
        or "absent" in change.extra  # re-planned at the start: read what was stored
        or change.round != prepared.view.current_round
        or change.version != prepared.version + 1
    ):
        return None
    starts, ends = change.extra.get("starts_at"), change.extra.get("ends_at")
    if not isinstance(starts, str) or not isinstance(ends, str):
        return None
    clock = replace(
        prepared.view.round,
        status=Status.RUNNING,
        starts_at=datetime.fromisoformat(starts),
        ends_at=datetime.fromisoformat(ends),
    )
    return replace(prepared.view, phase=str(EventPhase.LIVE), version=change.version, round=clock)
