"""Someone removed from a scheduled event: re-plan the stored rounds without them.

Taking them out of their rooms alone would leave a room-mate by themselves in every round.
So they are treated as a drop-out, as the live service treats a no-show (app.live.noshow):
`matching.replan` re-seats everyone else, hinted by the stored rooms, keeping their pins and
the seats the organiser set by hand (app.schedule.kept_edits) as far as the rules allow; the new
plan's warnings name each hand-set seat it did not keep.
"""

import logging

from sqlalchemy import delete
from sqlmodel import Session, col, select

import matching
from app import audit
from app.models import Event, EventPhase, Participant, Room, RoomMember, Round, SchedulePlan
from app.schedule import claim, convert, kept_edits, store
from app.settings import Settings

log = logging.getLogger("speedmatch.schedule")

# As for a no-show at a round start: the organiser waits for this, not for a full plan.
REPLAN_TIME_LIMIT_S = 5.0


def replan_without(
    session: Session,
    *,
    event: Event,
    removed: Participant,
    settings: Settings,
    actor: str,
    read: claim.Seen,
) -> SchedulePlan | None:
    """Re-plans every round without `removed` and stores it (no commit).

    Returns None when `removed` had no seat or the planner failed; then the stored rooms only
    lose `removed`, and going live is refused until the schedule is generated again. A stored
    re-plan claims the schedule as `read` (app.schedule.claim): an edit made during the re-plan
    stands.
    """
    row = store.latest_plan(session, event_id=event.id)
    plan = store.current_plan(session, event_id=event.id)
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
    msettings = convert.settings_for(event)
    keep = kept_edits.to_keep(
        plan,
        seats=kept_edits.hand_set_seats(session, event_id=event.id, plan=plan),
        removed=removed.id,
        people={p.id for p in kept},
        never={frozenset((p.a, p.b)) for p in kept_pins if not p.together},
        rule_breaks=matching.validate_plan(pool, msettings, plan),
    )

    def run(extra: list[matching.Pin]) -> matching.Plan:
        return matching.replan(
            pool,
            msettings,
            plan,
            played_rounds=0,
            absent=frozenset({removed.id}),
            pins=[*kept_pins, *extra],
            time_limit_s=REPLAN_TIME_LIMIT_S,
        )

    try:
        try:
            new_plan = run(keep.pins)
        except ValueError as exc:  # a hand-set room the rules no longer allow (details changed)
            if not keep.pins:
                raise
            log.warning("hand-set seats not pinned for event %s: %s", event.id, exc)
            new_plan = run([])
    except (matching.InfeasibleError, ValueError) as exc:
        log.warning("re-plan without %s failed for event %s: %s", removed.id, event.id, exc)
        return None
    if keep.pins:
        new_plan = kept_edits.without_pin_notes(new_plan, pool, msettings, kept_pins)
    lost = [seat for seat, to in keep.wanted.items() if not kept_edits.kept(new_plan, seat, to)]
    names = {p.id: p.name for p in everyone}
    notes = [
        kept_edits.lost_note(
            seat, name=names[seat[1]], removed=removed.name, broke_rule=seat in keep.broken
        )
        for seat in lost
    ]
    claim.claim(session, event=event, read=read)
    # The organiser's pins are stored as they were; the next "generate" drops a removed
    # person's pins again and says so, as it does after a removal before scheduling.
    stored = store.store_plan(
        session,
        event=event,
        plan=new_plan,
        pins=pins,
        settings=settings,
        weights=row.weights,
        warnings=[*dropped, *notes],
        hand_set=kept_edits.kept_marks(keep, lost),
    )
    audit.record(
        session,
        actor=actor,
        action="schedule.replan",
        event_id=event.id,
        detail={
            "removed": removed.id,
            "version": stored.version,
            "total": new_plan.score.total,
            **kept_edits.audit_detail(keep, lost),
        },
    )
    return stored


def take_out(
    session: Session, *, event: Event, removed: Participant, settings: Settings, actor: str
) -> None:
    """Takes `removed` out of the event's stored schedule (no commit).

    While scheduled, every round is re-planned without them first (`replan_without`); whatever
    that leaves (no plan yet, or the re-plan failed), their seats and sit-outs are dropped.
    """
    if event.phase == EventPhase.SCHEDULED:
        read = claim.seen(session, event=event)  # before the re-plan reads the plan
        stored = replan_without(
            session, event=event, removed=removed, settings=settings, actor=actor, read=read
        )
        if stored is None:  # open sockets re-read their rooms at the next version tick
            claim.claim(session, event=event, read=read)
    room_ids = (
        select(Room.id)
        .join(Round, col(Round.id) == col(Room.round_id))
        .where(Round.event_id == event.id)
    )
    session.exec(
        delete(RoomMember).where(
            col(RoomMember.participant_id) == removed.id, col(RoomMember.room_id).in_(room_ids)
        )
    )
    for round_row in session.exec(select(Round).where(Round.event_id == event.id)):
        if removed.id in round_row.sitting_out:
            round_row.sitting_out = [p for p in round_row.sitting_out if p != removed.id]
            session.add(round_row)


def _planned_ids(plan: matching.Plan) -> set[str]:
    return {
        pid
        for r in plan.rounds
        for pid in (*r.sitting_out, *(p for room in r.rooms for p in room.participants))
    }


def _in_plan(plan: matching.Plan, participant_id: str) -> bool:
    return any(participant_id in room.participants for r in plan.rounds for room in r.rooms)
