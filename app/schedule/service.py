"""Schedules: plan every round through matching/ and store the plan as the event's schedule.

`generate_schedule` runs the solver (seconds of CPU): call it from a worker thread, never on the
event loop. Every stored plan is a new SchedulePlan row carrying its score and proven bound
(app.schedule.store); organiser edits are in app.schedule.edit.
"""

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

import matching
from app import audit
from app.errors import Conflict, InvalidInput, InvalidTransition, NotFound, for_organisers
from app.models import Event, EventPhase, Participant, SchedulePlan
from app.participants import service as participant_service
from app.schedule import convert, plan_weights
from app.schedule.store import latest_plan, store_plan
from app.settings import Settings

NO_SCHEDULE = for_organisers("No schedule is possible: %(why)s")
GENERATE_PHASES = {EventPhase.DRAFT, EventPhase.OPEN, EventPhase.SCHEDULED}


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
        raise InvalidInput(for_organisers("A pin names someone who is not in this event."), errors)
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
            for_organisers(
                "The event is %(phase)s; a new schedule can only be generated before it goes live."
            ),
            phase=event.phase.value,
        )
    everyone = participant_service.list_participants(session, event_id=event.id)
    participants = convert.plannable(everyone)
    if len(participants) < event.room_size:
        raise InvalidInput(
            for_organisers(
                "At least %(needed)s participants are needed to fill a room; the event has %(n)s."
            ),
            needed=event.room_size,
            n=len(participants),
        )
    rooms_needed = len(participants) // event.room_size
    if event.room_names and len(event.room_names) < rooms_needed:
        raise InvalidInput(
            for_organisers(
                "The event lists %(listed)s room names but up to %(needed)s rooms are needed: "
                "add room names or use a room link template."
            ),
            listed=len(event.room_names),
            needed=rooms_needed,
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
        raise InvalidInput(NO_SCHEDULE, why=_infeasible_detail(exc, participants)) from None
    except ValueError as exc:  # a pin or setting the policy cannot honour, e.g. same-country pin
        raise InvalidInput(NO_SCHEDULE, why=_named(str(exc), participants)) from None
    # The event row first, as every schedule change takes it; another tab may have deleted the
    # event or taken it live during the solve.
    bumped = session.connection().execute(
        update(Event)
        .where(col(Event.id) == event.id)
        .values(state_version=col(Event.state_version) + 1)
    )
    if bumped.rowcount != 1:
        session.rollback()
        raise NotFound(
            for_organisers("The event was deleted while its schedule was being generated.")
        )
    session.refresh(event)
    if event.phase not in GENERATE_PHASES:
        session.rollback()
        raise Conflict(
            for_organisers("The event went live while the schedule was being generated.")
        )
    row = store_plan(
        session,
        event=event,
        plan=plan,
        pins=pin_list,
        settings=settings,
        weights=plan_weights.current(event),
        warnings=dropped,
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
    session.add(event)
    audit.record(
        session,
        actor=actor,
        action="schedule.generate",
        event_id=event.id,
        detail={
            "version": row.version,
            "total": plan.score.total,
            "bound": plan.upper_bound,
            "weights": row.weights,
        },
    )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(
            for_organisers("Another schedule for this event was stored at the same time.")
        ) from None
    session.refresh(row)
    return row


def _named(text: str, participants: list[Participant]) -> str:
    """The planner speaks in database ids; organisers know people by name."""
    for person in participants:
        text = text.replace(person.id, person.name)
    return text


def _infeasible_detail(exc: matching.InfeasibleError, participants: list[Participant]) -> str:
    """The planner's reason plus who cannot be placed and why, one per line."""
    return _named("\n".join(filter(None, [str(exc), exc.report.summary()])), participants)
