"""The stored plan: rounds, rooms and members written from and read back as planner types."""

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

import matching
from app.errors import Conflict, NotFound, for_organisers
from app.models import Event, Participant, Room, RoomMember, Round, SchedulePlan
from app.schedule import convert
from app.schedule.rooms import room_link, room_name
from app.settings import Settings

# Seats set by hand (app.schedule.kept_edits), by (round, participant id): the room-mates a
# re-plan kept the seat with, or None for the seat as it stands (always for a sit-out).
HandSet = dict[tuple[int, str], list[str] | None]
# Among a plan's warnings when a setting it was made for changed while scheduled (app.events.
# service): going live waits for the next "generate"; edits carry it on, a new plan drops it.
RESHAPED = for_organisers("the event's settings changed since it was made")
STORED_MEANWHILE = for_organisers("Another schedule for this event was stored at the same time.")
# Someone a plan seats was removed since it was read (app.participants.removal): claim's words.
CHANGED_ELSEWHERE = for_organisers(
    "The schedule was changed elsewhere (another tab or organiser) at the same moment; "
    "nothing was changed here. Reload the schedule and try again."
)
# How the database refuses a plan when another, stored at the same moment by a change that did
# not take the event row first, took this version or these rounds first. PostgreSQL names the
# constraint: also a room or round the other added that this one's clearing cannot delete. SQLite
# (writers take turns: only the unique ones) says "UNIQUE constraint failed: <its columns>".
_STORED_FIRST = {
    "uq_scheduleplan_event_id_version": "scheduleplan.event_id, scheduleplan.version",
    "uq_round_event_id_number": "round.event_id, round.number",
    "fk_roommember_room_id_room": None,
    "fk_room_round_id_round": None,
}


def latest_plan(session: Session, *, event_id: str) -> SchedulePlan | None:
    """The newest plan version of the event, or None before the first schedule."""
    statement = (
        select(SchedulePlan)
        .where(SchedulePlan.event_id == event_id)
        .order_by(col(SchedulePlan.version).desc())
        .limit(1)
    )
    return session.exec(statement).first()


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
    hand_set: HandSet | None = None,
) -> None:
    """Writes rounds, rooms (name and video link) and members, marking the `hand_set` seats;
    does not commit."""
    marks = hand_set or {}
    for round_plan in rounds:
        number = round_plan.number
        round_row = Round(
            event_id=event.id,
            number=number,
            sitting_out=list(round_plan.sitting_out),
            hand_set_out=[pid for pid in round_plan.sitting_out if (number, pid) in marks],
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
                    hand_set=(number, pid) in marks,
                    kept_with=marks.get((number, pid)),
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
    weights: dict[str, Any] | None,
    warnings: list[str] | None = None,
    hand_set: HandSet | None = None,
) -> SchedulePlan:
    """Replaces the event's rounds with `plan` and records a new plan version (no commit).

    `weights`: those the plan was scored with (a re-plan: those of the plan it came from).
    Conflict, with the session rolled back, when another change stored its rounds or this
    version first (callers take the event row before, so only one that did not meets it), or
    removed someone it seats since it was read (answer_races).
    """
    previous = latest_plan(session, event_id=event.id)
    row = plan_row(
        event_id=event.id,
        version=(previous.version + 1) if previous else 1,
        plan=plan,
        pins=pins,
        weights=weights,
        warnings=[*plan.warnings, *(warnings or [])],
    )
    with answer_races(session, seated=seated_ids(plan.rounds)):
        clear_rounds(session, event_id=event.id)
        store_rounds(session, event=event, rounds=plan.rounds, settings=settings, hand_set=hand_set)
        session.add(row)
        session.flush()  # now, not at the caller's commit: the conflict is answered here
    return row


@contextmanager
def answer_races(
    session: Session, *, seated: Collection[str], stored_first: Conflict | None = None
) -> Iterator[None]:
    """Around writing a plan (flushed inside the block): Conflict, with the session rolled back,
    when a change at the same moment is why the database refused it.

    `stored_first` (by default STORED_MEANWHILE) when another plan took this version or these
    round numbers first; CHANGED_ELSEWHERE when someone in `seated` (the ids it seats) was
    removed since the plan was read. Any other integrity error is a bug and propagates.
    """
    try:
        yield
    except IntegrityError as exc:
        session.rollback()
        if _constraint(exc) in _STORED_FIRST:
            raise (stored_first or Conflict(STORED_MEANWHILE)) from None
        if _foreign_key(exc) and _removed(session, seated):
            raise Conflict(CHANGED_ELSEWHERE) from None
        raise


def seated_ids(rounds: Collection[matching.RoundPlan]) -> set[str]:
    """Everyone with a seat in `rounds` (their rows reference the participant's)."""
    return {pid for r in rounds for room in r.rooms for pid in room.participants}


def _constraint(exc: IntegrityError) -> str | None:
    """The constraint `exc` broke, by name: any on PostgreSQL, one of _STORED_FIRST's on SQLite."""
    name = getattr(getattr(exc.orig, "diag", None), "constraint_name", None)  # psycopg
    if isinstance(name, str):
        return name
    said = str(exc.orig)
    return next(
        (
            n
            for n, cols in _STORED_FIRST.items()
            if cols and said == f"UNIQUE constraint failed: {cols}"
        ),
        None,
    )


def _foreign_key(exc: IntegrityError) -> bool:
    """A row referencing one that is not there (PostgreSQL: SQLSTATE 23503)."""
    return (
        getattr(exc.orig, "sqlstate", None) == "23503"
        or getattr(exc.orig, "sqlite_errorname", None) == "SQLITE_CONSTRAINT_FOREIGNKEY"
    )


def _removed(session: Session, ids: Collection[str]) -> bool:
    """Whether any of `ids` has no participant row (any more)."""
    if not ids:
        return False
    found = session.exec(select(Participant.id).where(col(Participant.id).in_(list(ids)))).all()
    return len(set(found)) < len(set(ids))


def plan_row(
    *,
    event_id: str,
    version: int,
    plan: matching.Plan,
    pins: list[matching.Pin],
    weights: dict[str, Any] | None,
    warnings: list[str],
) -> SchedulePlan:
    """The SchedulePlan row recording `plan` (score, bound, time, unplaceable people) with the
    `pins` in force and exactly `warnings`; not added to a session."""
    return SchedulePlan(
        event_id=event_id,
        version=version,
        score=convert.score_dict(plan.score),
        upper_bound=plan.upper_bound,
        elapsed_s=plan.elapsed_s,
        warnings=warnings,
        unplaceable=[
            {"participant_id": u.participant_id, "reason": u.reason} for u in plan.unplaceable
        ],
        pins=convert.pin_dicts(pins),
        weights=weights,
    )


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
    """The newest plan row and its rounds; NotFound before the first schedule."""
    row = latest_plan(session, event_id=event_id)
    plan = current_plan(session, event_id=event_id)
    if row is None or plan is None:
        raise NotFound(for_organisers("The event has no schedule yet: generate one first."))
    return row, plan
