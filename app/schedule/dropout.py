"""Someone removed from a scheduled event: re-plan the stored rounds without them.

Taking them out of their rooms alone would leave a room-mate by themselves in every round.
So they are treated as a drop-out, as the live service treats a no-show (app.live.noshow):
`matching.replan` re-seats everyone else, hinted by the stored rooms, keeping their pins.
"""

import logging

from sqlmodel import Session, col, select

import matching
from app import audit
from app.models import Event, Participant, Round, SchedulePlan
from app.schedule import convert
from app.schedule import service as schedule_service
from app.settings import Settings

log = logging.getLogger("speedmatch.schedule")

# As for a no-show at a round start: the organiser waits for this, not for a full plan.
REPLAN_TIME_LIMIT_S = 5.0


def replan_without(
    session: Session, *, event: Event, removed: Participant, settings: Settings, actor: str
) -> SchedulePlan | None:
    """Re-plans every round without `removed` and stores it (no commit).

    Returns None when `removed` had no seat or the planner failed; then the stored rooms only
    lose `removed`, and going live is refused until the schedule is generated again.
    """
    row = schedule_service.latest_plan(session, event_id=event.id)
    plan = schedule_service.current_plan(session, event_id=event.id)
    if row is None or plan is None or not _in_plan(plan, removed.id):
        return None
    everyone = list(
        session.exec(
            select(Participant).where(
                Participant.event_id == event.id, col(Participant.deleted).is_(False)
            )
        )
    )
    planned = _planned_ids(plan)
    # Converted together, so that requests and avoids (CSV ids) resolve to database ids.
    pool = [p for p in convert.to_people(everyone) if p.id in planned]
    kept = [p for p in everyone if p.id in planned and p.id != removed.id]
    pins = convert.pins_from(row.pins)
    kept_pins, dropped = convert.kept_pins(pins, kept, everyone)
    try:
        new_plan = matching.replan(
            pool,
            convert.settings_for(event),
            plan,
            played_rounds=0,
            absent=frozenset({removed.id}),
            pins=kept_pins,
            time_limit_s=REPLAN_TIME_LIMIT_S,
        )
    except (matching.InfeasibleError, ValueError) as exc:
        log.warning("re-plan without %s failed for event %s: %s", removed.id, event.id, exc)
        return None
    # The organiser's pins are stored as they were; the next "generate" drops a removed
    # person's pins again and says so, as it does after a removal before scheduling.
    stored = schedule_service.store_plan(
        session, event=event, plan=new_plan, pins=pins, settings=settings, warnings=dropped
    )
    audit.record(
        session,
        actor=actor,
        action="schedule.replan",
        event_id=event.id,
        detail={"removed": removed.id, "version": stored.version, "total": new_plan.score.total},
    )
    return stored


def take_out(session: Session, *, event_id: str, participant_id: str) -> None:
    """Drops `participant_id` from the stored rounds' sit-out lists (no commit)."""
    for round_row in session.exec(select(Round).where(Round.event_id == event_id)):
        if participant_id in round_row.sitting_out:
            round_row.sitting_out = [p for p in round_row.sitting_out if p != participant_id]
            session.add(round_row)


def _planned_ids(plan: matching.Plan) -> set[str]:
    return {
        pid
        for r in plan.rounds
        for pid in (*r.sitting_out, *(p for room in r.rooms for p in room.participants))
    }


def _in_plan(plan: matching.Plan, participant_id: str) -> bool:
    return any(participant_id in room.participants for r in plan.rounds for room in r.rooms)
