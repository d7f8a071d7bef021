"""The stored schedule as one readable document (rounds x rooms x members)."""

from datetime import UTC, datetime

from sqlmodel import Session, col, select

from app.errors import NotFound, for_organisers
from app.models import Event, Participant, Room, RoomMember, Round, SchedulePlan
from app.schedule.convert import named
from app.schedule.schemas import MemberOut, RoomOut, RoundOut, ScheduleOut
from app.schedule.store import latest_plan


def _utc(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None else None


def schedule_view(
    session: Session, *, event: Event, row: SchedulePlan | None = None
) -> ScheduleOut:
    """The plan in force with its score, bound, warnings and every room."""
    row = row or latest_plan(session, event_id=event.id)
    if row is None:
        raise NotFound(for_organisers("The event has no schedule yet: generate one first."))
    rounds = list(
        session.exec(select(Round).where(Round.event_id == event.id).order_by(col(Round.number)))
    )
    rooms = list(
        session.exec(
            select(Room)
            .where(col(Room.round_id).in_([r.id for r in rounds]))
            .order_by(col(Room.number))
        )
    )
    members = session.exec(
        select(RoomMember, Participant)
        .join(Participant, col(Participant.id) == col(RoomMember.participant_id))
        .where(col(RoomMember.room_id).in_([r.id for r in rooms]))
        .order_by(col(Participant.name))
    ).all()
    by_room: dict[str, list[MemberOut]] = {}
    for member, person in members:
        by_room.setdefault(member.room_id, []).append(
            MemberOut(
                id=person.id,
                external_id=person.external_id,
                name=person.name,
                school=person.school,
                country=person.country,
                sector=person.sector,
                why=member.why,
            )
        )
    # Everyone the warnings may name, seated or not (sitting out, in a pin).
    names = dict(
        session.exec(
            select(Participant.id, Participant.name).where(Participant.event_id == event.id)
        ).all()
    )
    total = int(row.score.get("total", 0))
    return ScheduleOut(
        plan_id=row.id,
        version=row.version,
        score=row.score,
        upper_bound=row.upper_bound,
        gap=max(0, row.upper_bound - total),
        elapsed_s=row.elapsed_s,
        warnings=[named(w, names) for w in row.warnings],
        unplaceable=row.unplaceable,
        pins=row.pins,
        created_at=row.created_at.replace(tzinfo=UTC),
        rounds=[
            RoundOut(
                number=r.number,
                status=r.status.value,
                starts_at=_utc(r.starts_at),
                ends_at=_utc(r.ends_at),
                sitting_out=r.sitting_out,
                rooms=[
                    RoomOut(
                        number=room.number,
                        name=room.name,
                        link=room.link,
                        members=by_room.get(room.id, []),
                    )
                    for room in rooms
                    if room.round_id == r.id
                ],
            )
            for r in rounds
        ],
    )


def not_in_plan(session: Session, *, event: Event, row: SchedulePlan) -> list[Participant]:
    """People of the event who have no seat and no sit-out in the stored plan, and whom the
    planner did not report as unplaceable: added after the plan was made."""
    placed = set(
        session.exec(
            select(RoomMember.participant_id)
            .join(Room, col(Room.id) == col(RoomMember.room_id))
            .join(Round, col(Round.id) == col(Room.round_id))
            .where(Round.event_id == event.id)
        ).all()
    )
    for sitting_out in session.exec(select(Round.sitting_out).where(Round.event_id == event.id)):
        placed.update(sitting_out)
    placed.update(str(u.get("participant_id")) for u in row.unplaceable)
    people = session.exec(
        select(Participant)
        .where(Participant.event_id == event.id, col(Participant.deleted).is_(False))
        .order_by(col(Participant.created_at), col(Participant.external_id))
    )
    return [p for p in people if p.id not in placed]
