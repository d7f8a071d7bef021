"""Organiser edits to a stored schedule: swap two people or move one, re-validated by matching."""

from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import delete
from sqlmodel import Session, col, select

import matching
from app import audit
from app.errors import Conflict, InvalidInput, NotFound, for_organisers
from app.models import (
    AttendanceStatus,
    Event,
    EventPhase,
    Participant,
    Room,
    RoomMember,
    Round,
    RoundStatus,
    SchedulePlan,
)
from app.participants import service as participant_service
from app.schedule import claim, convert, kept_edits, store, why
from app.schedule.service import GENERATE_PHASES
from app.schedule.store import RESHAPED, HandSet, require_plan, store_rounds
from app.settings import Settings


def editable_round(session: Session, *, event: Event, number: int) -> None:
    """Only rounds that have not started may be edited."""
    if event.phase not in (*GENERATE_PHASES, EventPhase.LIVE):
        raise Conflict(
            for_organisers("The event is %(phase)s; its schedule can no longer change."),
            phase=event.phase.value,
        )
    round_row = session.exec(
        select(Round).where(Round.event_id == event.id, Round.number == number)
    ).first()
    if round_row is None:
        raise NotFound(for_organisers("Round %(n)s is not in the schedule."), n=number)
    if round_row.status != RoundStatus.PLANNED or number <= event.current_round:
        raise Conflict(
            for_organisers("Round %(n)s has already started; only later rounds can change."),
            n=number,
        )


def replace_round(plan: matching.Plan, new_round: matching.RoundPlan) -> matching.Plan:
    """`plan` with one round swapped for `new_round`."""
    rounds = tuple(new_round if r.number == new_round.number else r for r in plan.rounds)
    return replace(plan, rounds=rounds)


def _round_of(plan: matching.Plan, number: int) -> matching.RoundPlan:
    for round_plan in plan.rounds:
        if round_plan.number == number:
            return round_plan
    raise NotFound(for_organisers("Round %(n)s is not in the schedule."), n=number)


def _where(round_plan: matching.RoundPlan, pid: str) -> int:
    """Room number of `pid` in the round, 0 when sitting out."""
    for room in round_plan.rooms:
        if pid in room.participants:
            return room.number
    if pid in round_plan.sitting_out:
        return 0
    raise NotFound(
        for_organisers("Participant %(id)s is not in round %(n)s."),
        id=repr(pid),
        n=round_plan.number,
    )


def _rebuild(round_plan: matching.RoundPlan, seats: dict[str, int]) -> matching.RoundPlan:
    rooms = tuple(
        matching.Room(
            number=room.number,
            participants=tuple(sorted(pid for pid, n in seats.items() if n == room.number)),
            explanations=room.explanations,
        )
        for room in round_plan.rooms
    )
    out = tuple(sorted(pid for pid, n in seats.items() if n == 0))
    return matching.RoundPlan(number=round_plan.number, rooms=rooms, sitting_out=out)


@dataclass(frozen=True)
class Edit:
    """A stored edit: the new plan version, and whether it broke a rule (kept with `force`)."""

    plan: SchedulePlan
    broke_rule: bool


def _apply(
    session: Session,
    *,
    event: Event,
    number: int,
    seats_for: Callable[[matching.RoundPlan], dict[str, int]],
    force: bool,
    settings: Settings,
    actor: str,
    action: str,
) -> Edit:
    """Applies the seats `seats_for` asks of round `number` as this request reads it."""
    editable_round(session, event=event, number=number)
    row, plan = require_plan(session, event_id=event.id)
    read = claim.as_read(event, row, plan)
    round_plan = _round_of(plan, number)
    seats_change = seats_for(round_plan)
    seats = {pid: room.number for room in round_plan.rooms for pid in room.participants}
    seats.update(dict.fromkeys(round_plan.sitting_out, 0))
    for pid, room_number in seats_change.items():
        if pid not in seats:
            raise NotFound(
                for_organisers("Participant %(id)s is not in round %(n)s."), id=repr(pid), n=number
            )
        if room_number and room_number not in {r.number for r in round_plan.rooms}:
            raise NotFound(
                for_organisers("Round %(n)s has no room %(room)s."), n=number, room=room_number
            )
    if all(seats[pid] == room_number for pid, room_number in seats_change.items()):
        # Stored, a change that changes nothing would still count as seats set by hand, which
        # later re-plans try to keep.
        raise InvalidInput(
            for_organisers(
                "Nothing to change: the seats in round %(n)s are already as asked (the same "
                "person twice, two people in one room, or a move to the room they are in)."
            ),
            n=number,
        )
    seats.update(seats_change)
    new_round = _rebuild(round_plan, seats)
    new_plan = replace_round(plan, new_round)
    participants = participant_service.list_participants(session, event_id=event.id)
    people = [p for p in convert.to_people(participants) if p.id in set(seats) | _all_ids(plan)]
    msettings = convert.settings_for(event)
    pins = convert.pins_from(row.pins)
    # Only what this change breaks is refused: a break kept with `force` before, or a pin the
    # planner could not keep, must not block every later edit.
    known = set(matching.validate_plan(people, msettings, plan, pins=pins))
    violations = matching.validate_plan(people, msettings, new_plan, pins=pins)
    added = [v for v in violations if v not in known]
    if added and not force:
        names = {p.id: p.name for p in participants}
        raise InvalidInput(
            for_organisers(
                "This change breaks the event's rules; nothing was changed (send force=true to "
                "keep it anyway)."
            ),
            [{"field": "plan", "message": convert.named(v, names)} for v in added],
        )
    # On record: the breaks accepted before that this change left, and those it adds. Others
    # (settings changed since the plan) stay problems for going live, as before this change.
    accepted = {w.removeprefix("not kept: ") for w in row.warnings}
    warnings = [v for v in violations if v in accepted or v not in known]
    warnings[:0] = [w for w in row.warnings if w == RESHAPED]  # still made for other settings
    left_out = {u["participant_id"] for u in row.unplaceable}
    left_out |= {p.id for p in participants if p.attendance == AttendanceStatus.ABSENT}
    score = matching.score_plan(people, msettings, new_plan.rounds, left_out=left_out)
    claim.claim(session, event=event, read=read)
    new_round = why.explained(new_round, before=round_plan, plan=plan, people=people)
    marks = kept_edits.edited(
        kept_edits.stored(session, event_id=event.id, number=number),
        number=number,
        seats=set(seats_change),
    )
    new_row = SchedulePlan(
        event_id=event.id,
        version=row.version + 1,
        score=convert.score_dict(score),
        upper_bound=row.upper_bound,
        elapsed_s=row.elapsed_s,
        warnings=warnings,
        unplaceable=row.unplaceable,
        pins=row.pins,
        weights=row.weights,
    )
    # A plan stored meanwhile by a change that did not take the event row, or someone seated
    # here removed since the read, is a 409 (as when storing a whole plan), not a 500.
    with store.answer_races(session, seated=store.seated_ids([new_round])):
        _replace_round_rows(
            session, event=event, new_round=new_round, settings=settings, hand_set=marks
        )
        session.add(new_row)
        session.flush()
    audit.record(
        session,
        actor=actor,
        action=action,
        event_id=event.id,
        detail={"round": number, "seats": seats_change, "forced": bool(added)},
    )
    session.commit()
    session.refresh(new_row)
    return Edit(plan=new_row, broke_rule=bool(added))


def _all_ids(plan: matching.Plan) -> set[str]:
    return {
        pid
        for r in plan.rounds
        for pid in (*r.sitting_out, *(p for room in r.rooms for p in room.participants))
    }


def _replace_round_rows(
    session: Session,
    *,
    event: Event,
    new_round: matching.RoundPlan,
    settings: Settings,
    hand_set: HandSet,
) -> None:
    round_row = session.exec(
        select(Round).where(Round.event_id == event.id, Round.number == new_round.number)
    ).one()
    room_ids = select(Room.id).where(col(Room.round_id) == round_row.id)
    session.exec(delete(RoomMember).where(col(RoomMember.room_id).in_(room_ids)))
    session.exec(delete(Room).where(col(Room.round_id) == round_row.id))
    session.delete(round_row)
    session.flush()
    store_rounds(session, event=event, rounds=[new_round], settings=settings, hand_set=hand_set)


def swap(
    session: Session,
    *,
    event: Event,
    number: int,
    a: str,
    b: str,
    force: bool,
    settings: Settings,
    actor: str,
) -> Edit:
    """Swaps the seats of `a` and `b` in round `number`."""
    return _apply(
        session,
        event=event,
        number=number,
        seats_for=lambda round_plan: {a: _where(round_plan, b), b: _where(round_plan, a)},
        force=force,
        settings=settings,
        actor=actor,
        action="schedule.swap",
    )


def move(
    session: Session,
    *,
    event: Event,
    number: int,
    participant_id: str,
    room: int,
    force: bool,
    settings: Settings,
    actor: str,
) -> Edit:
    """Moves one person to another room (0: sits this round out)."""
    return _apply(
        session,
        event=event,
        number=number,
        seats_for=lambda _round_plan: {participant_id: room},
        force=force,
        settings=settings,
        actor=actor,
        action="schedule.move",
    )


def plan_breaks(
    session: Session, *, event: Event, going_live: bool = False
) -> list[matching.Violation]:
    """Rule breaks of the stored plan under the event's settings and people as they are now.

    Breaks an organiser already kept with `force` are left out: they are in the plan's warnings.
    Anything else appeared since the plan was made (rounds or room size changed while the event
    was reopened, a room-mate removed or erased) and needs a new schedule. `going_live` leaves
    out the seats of erased people: the first round start re-plans around them, as for no-shows.
    """
    return _new_breaks(session, event=event, going_live=going_live)[0]


def plan_problems(session: Session, *, event: Event, going_live: bool = False) -> list[str]:
    """plan_breaks in English, naming people by name (going live refuses with them)."""
    breaks, participants = _new_breaks(session, event=event, going_live=going_live)
    names = {p.id: p.name for p in participants}
    return [convert.named(v.text, names) for v in breaks]


def _new_breaks(
    session: Session, *, event: Event, going_live: bool
) -> tuple[list[matching.Violation], list[Participant]]:
    row, participants, found = _stored_breaks(session, event=event)
    accepted = _accepted(row)
    breaks = [v for v in dict.fromkeys(found) if v.text not in accepted]
    if going_live:
        erased = _erased_ids(session, event_id=event.id)
        breaks = [v for v in breaks if not erased.intersection(v.people)]
    # A changed round count says the most in one line: show it before the rooms it affects.
    breaks.sort(key=lambda v: v.kind != matching.ViolationKind.ROUND_COUNT)
    return breaks, participants


def kept_breaks(session: Session, *, event: Event) -> dict[str, matching.Violation]:
    """The stored plan's breaks that its warnings name (kept with `force`, a pin the planner
    could not keep), by their English text, the stored warning's: pages word them."""
    row, _participants, found = _stored_breaks(session, event=event)
    accepted = _accepted(row)
    return {v.text: v for v in found if v.text in accepted}


def _stored_breaks(
    session: Session, *, event: Event
) -> tuple[SchedulePlan, list[Participant], list[matching.Violation]]:
    row, plan = require_plan(session, event_id=event.id)
    participants = participant_service.list_participants(session, event_id=event.id)
    seated = _all_ids(plan)
    people = [p for p in convert.to_people(participants) if p.id in seated]
    # A removed person's pins cannot be kept; the next schedule drops them with a warning.
    present = {p.id for p in participants}
    pins = [p for p in convert.pins_from(row.pins) if {p.a, p.b} <= present]
    found = matching.plan_violations(people, convert.settings_for(event), plan.rounds, pins)
    return row, participants, found


def _accepted(row: SchedulePlan) -> set[str]:
    # The planner lists a must-meet pin it could not keep as "not kept: <violation>".
    return {warning.removeprefix("not kept: ") for warning in row.warnings}


def _erased_ids(session: Session, *, event_id: str) -> set[str]:
    rows = session.exec(
        select(Participant.id).where(
            Participant.event_id == event_id, col(Participant.deleted).is_(True)
        )
    )
    return set(rows)
