"""Schedules: plan through matching/, store as rounds, rooms and members, edit and re-validate.

`generate_schedule` runs the solver (seconds of CPU): call it from a worker thread, never on the
event loop. Every stored plan is a new SchedulePlan row carrying its score and proven bound.
"""

from dataclasses import replace

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

import matching
from app import audit
from app.errors import Conflict, InvalidInput, InvalidTransition, NotFound
from app.models import (
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
from app.schedule import convert
from app.schedule.rooms import room_link, room_name
from app.settings import Settings

GENERATE_PHASES = {EventPhase.DRAFT, EventPhase.OPEN, EventPhase.SCHEDULED}


def latest_plan(session: Session, *, event_id: str) -> SchedulePlan | None:
    statement = (
        select(SchedulePlan)
        .where(SchedulePlan.event_id == event_id)
        .order_by(col(SchedulePlan.version).desc())
        .limit(1)
    )
    return session.exec(statement).first()


def resolve_pins(
    participants: list[Participant], pins: list[dict[str, object]]
) -> list[matching.Pin]:
    """Pins naming participants by id or CSV id, as planner pins on database ids."""
    ids = {p.id for p in participants}
    by_external = {p.external_id: p.id for p in participants}
    out: list[matching.Pin] = []
    errors: list[dict[str, object]] = []
    for index, pin in enumerate(pins):
        resolved = []
        for key in ("a", "b"):
            ref = str(pin[key])
            pid = ref if ref in ids else by_external.get(ref)
            if pid is None:
                errors.append({"field": f"pins.{index}.{key}", "message": f"unknown {ref!r}"})
            resolved.append(pid or "")
        round_number = pin.get("round")
        out.append(
            matching.Pin(
                a=resolved[0],
                b=resolved[1],
                together=bool(pin["together"]),
                round=int(str(round_number)) if round_number is not None else None,
            )
        )
    if errors:
        raise InvalidInput("A pin names someone who is not in this event.", errors)
    return out


def generate_schedule(
    session: Session,
    *,
    event: Event,
    settings: Settings,
    actor: str,
    pins: list[dict[str, object]] | None = None,
    time_limit_s: float | None = None,
    seed: int = 0,
) -> SchedulePlan:
    """Plans every round for the event, stores it and moves the event to `scheduled`."""
    if event.phase not in GENERATE_PHASES:
        raise InvalidTransition(
            f"The event is {event.phase.value}; a new schedule can only be generated before it "
            "goes live."
        )
    everyone = participant_service.list_participants(session, event_id=event.id)
    participants = convert.plannable(everyone)
    if len(participants) < event.room_size:
        raise InvalidInput(
            f"At least {event.room_size} participants are needed to fill a room; "
            f"the event has {len(participants)}."
        )
    rooms_needed = len(participants) // event.room_size
    if event.room_names and len(event.room_names) < rooms_needed:
        raise InvalidInput(
            f"The event lists {len(event.room_names)} room names but up to {rooms_needed} rooms "
            "are needed: add room names or use a room link template."
        )
    previous = latest_plan(session, event_id=event.id)
    dropped: list[str] = []
    if pins is None:
        inherited = convert.pins_from(previous.pins) if previous else []
        pin_list, dropped = convert.kept_pins(inherited, participants, everyone)
    else:
        pin_list = resolve_pins(participants, pins)
    try:
        plan = matching.plan_event(
            convert.to_people(participants),
            convert.settings_for(event),
            time_limit_s=time_limit_s or settings.solver_time_limit_s,
            seed=seed,
            workers=settings.solver_workers,
            pins=pin_list,
        )
    except matching.InfeasibleError as exc:
        raise InvalidInput(
            f"No schedule is possible: {_infeasible_detail(exc, participants)}"
        ) from None
    except ValueError as exc:  # a pin or setting the policy cannot honour, e.g. same-country pin
        raise InvalidInput(f"No schedule is possible: {_named(str(exc), participants)}") from None
    session.refresh(event)
    if event.phase not in GENERATE_PHASES:
        raise Conflict("The event went live while the schedule was being generated.")
    row = store_plan(
        session, event=event, plan=plan, pins=pin_list, settings=settings, warnings=dropped
    )
    if event.phase != EventPhase.SCHEDULED:
        previous_phase = event.phase
        event.phase = EventPhase.SCHEDULED
        audit.record(
            session,
            actor=actor,
            action="event.phase",
            event_id=event.id,
            detail={"from": previous_phase.value, "to": EventPhase.SCHEDULED.value},
        )
    event.state_version += 1
    session.add(event)
    audit.record(
        session,
        actor=actor,
        action="schedule.generate",
        event_id=event.id,
        detail={"version": row.version, "total": plan.score.total, "bound": plan.upper_bound},
    )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("Another schedule for this event was stored at the same time.") from None
    session.refresh(row)
    return row


def clear_rounds(session: Session, *, event_id: str, from_round: int = 1) -> None:
    """Deletes stored rounds numbered `from_round` and later, with their rooms and members."""
    round_ids = select(Round.id).where(
        col(Round.event_id) == event_id, col(Round.number) >= from_round
    )
    room_ids = select(Room.id).where(col(Room.round_id).in_(round_ids))
    session.exec(delete(RoomMember).where(col(RoomMember.room_id).in_(room_ids)))
    session.exec(delete(Room).where(col(Room.round_id).in_(round_ids)))
    session.exec(
        delete(Round).where(col(Round.event_id) == event_id, col(Round.number) >= from_round)
    )


def store_rounds(
    session: Session,
    *,
    event: Event,
    rounds: tuple[matching.RoundPlan, ...] | list[matching.RoundPlan],
    settings: Settings,
) -> None:
    """Writes rounds, rooms (name and video link) and members; does not commit."""
    for round_plan in rounds:
        round_row = Round(
            event_id=event.id, number=round_plan.number, sitting_out=list(round_plan.sitting_out)
        )
        session.add(round_row)
        session.flush()
        for room in round_plan.rooms:
            room_row = Room(
                round_id=round_row.id,
                number=room.number,
                name=room_name(event, room.number),
                link=room_link(event, round_plan.number, room.number, settings=settings),
            )
            session.add(room_row)
            session.flush()
            session.add_all(
                RoomMember(
                    room_id=room_row.id,
                    participant_id=pid,
                    why=room.explanations.get(pid, "")[:500],
                )
                for pid in room.participants
            )
    session.flush()


def store_plan(
    session: Session,
    *,
    event: Event,
    plan: matching.Plan,
    pins: list[matching.Pin],
    settings: Settings,
    warnings: list[str] | None = None,
) -> SchedulePlan:
    """Replaces the event's rounds with `plan` and records a new plan version (no commit)."""
    previous = latest_plan(session, event_id=event.id)
    clear_rounds(session, event_id=event.id)
    store_rounds(session, event=event, rounds=plan.rounds, settings=settings)
    row = SchedulePlan(
        event_id=event.id,
        version=(previous.version + 1) if previous else 1,
        score=convert.score_dict(plan.score),
        upper_bound=plan.upper_bound,
        elapsed_s=plan.elapsed_s,
        warnings=[*plan.warnings, *(warnings or [])],
        unplaceable=[
            {"participant_id": u.participant_id, "reason": u.reason} for u in plan.unplaceable
        ],
        pins=convert.pin_dicts(pins),
    )
    session.add(row)
    session.flush()
    return row


def current_plan(session: Session, *, event_id: str) -> matching.Plan | None:
    """The stored plan as the planner's types (rooms with explanations), or None."""
    row = latest_plan(session, event_id=event_id)
    if row is None:
        return None
    rounds = list(session.exec(select(Round).where(Round.event_id == event_id)))
    rooms = list(session.exec(select(Room).where(col(Room.round_id).in_([r.id for r in rounds]))))
    members = list(
        session.exec(select(RoomMember).where(col(RoomMember.room_id).in_([r.id for r in rooms])))
    )
    by_room: dict[str, list[RoomMember]] = {}
    for member in members:
        by_room.setdefault(member.room_id, []).append(member)
    plans = []
    for round_row in sorted(rounds, key=lambda r: r.number):
        round_rooms = sorted(
            (r for r in rooms if r.round_id == round_row.id), key=lambda r: r.number
        )
        plans.append(
            matching.RoundPlan(
                number=round_row.number,
                rooms=tuple(
                    matching.Room(
                        number=room.number,
                        participants=tuple(
                            sorted(m.participant_id for m in by_room.get(room.id, []))
                        ),
                        explanations={m.participant_id: m.why for m in by_room.get(room.id, [])},
                    )
                    for room in round_rooms
                ),
                sitting_out=tuple(round_row.sitting_out),
            )
        )
    return matching.Plan(
        rounds=tuple(plans),
        score=convert.score_from(row),
        upper_bound=row.upper_bound,
        elapsed_s=row.elapsed_s,
        warnings=tuple(row.warnings),
    )


def require_plan(session: Session, *, event_id: str) -> tuple[SchedulePlan, matching.Plan]:
    row = latest_plan(session, event_id=event_id)
    plan = current_plan(session, event_id=event_id)
    if row is None or plan is None:
        raise NotFound("The event has no schedule yet: generate one first.")
    return row, plan


def editable_round(session: Session, *, event: Event, number: int) -> None:
    """Only rounds that have not started may be edited."""
    if event.phase not in (*GENERATE_PHASES, EventPhase.LIVE):
        raise Conflict(f"The event is {event.phase.value}; its schedule can no longer change.")
    round_row = session.exec(
        select(Round).where(Round.event_id == event.id, Round.number == number)
    ).first()
    if round_row is None:
        raise NotFound(f"Round {number} is not in the schedule.")
    if round_row.status != RoundStatus.PLANNED or number <= event.current_round:
        raise Conflict(f"Round {number} has already started; only later rounds can change.")


def replace_round(plan: matching.Plan, new_round: matching.RoundPlan) -> matching.Plan:
    rounds = tuple(new_round if r.number == new_round.number else r for r in plan.rounds)
    return replace(plan, rounds=rounds)


def _named(text: str, participants: list[Participant]) -> str:
    """The planner speaks in database ids; organisers know people by name."""
    for person in participants:
        text = text.replace(person.id, person.name)
    return text


def _infeasible_detail(exc: matching.InfeasibleError, participants: list[Participant]) -> str:
    """The planner's reason plus who cannot be placed and why, one per line."""
    return _named("\n".join(filter(None, [str(exc), exc.report.summary()])), participants)
