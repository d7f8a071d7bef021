"""Room names and video links, and a participant's view of their current room."""

from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Event, EventPhase, Participant, Room, RoomMember, Round, RoundStatus
from app.participants.schemas import MyRoom, RoomMate
from app.settings import Settings


def room_name(event: Event, number: int) -> str | None:
    """The fixed breakout-room name (Zoom / Teams) for room `number`, when the event lists them."""
    if event.room_names and number <= len(event.room_names):
        return event.room_names[number - 1]
    return None


def room_link(
    event: Event, round_number: int, room_number: int, *, settings: Settings
) -> str | None:
    """The video-room link from the event's template ({event}, {round}, {room}).

    Events with fixed room names and no template have no link: people move between breakout
    rooms inside the meeting they are already in.
    """
    template = event.room_link_template
    if template is None:
        if event.room_names:
            return None
        template = settings.room_link_template
    return fill_link_template(template, event.id, round_number, room_number)


def fill_link_template(template: str, event_id: str, round_number: int, room_number: int) -> str:
    """The one substitution of {event}, {round} and {room} (two digits) used by every view."""
    return (
        template.replace("{event}", event_id)
        .replace("{round}", str(round_number))
        .replace("{room}", f"{room_number:02d}")
    )[:500]


def _utc(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None else None


def my_room(session: Session, *, participant: Participant) -> MyRoom:
    """The room of the running round, or of the next one before the event starts."""
    event = session.get(Event, participant.event_id)
    assert event is not None  # foreign key
    number = event.current_round or 1
    # One query finds the round, the room and the seat together; only someone sitting the
    # round out (or an event without a plan) needs the second look-up of the round alone.
    found = session.exec(
        select(Round, Room, RoomMember)
        .join(Room, col(Room.round_id) == col(Round.id))
        .join(RoomMember, col(RoomMember.room_id) == col(Room.id))
        .where(
            Round.event_id == event.id,
            Round.number == number,
            RoomMember.participant_id == participant.id,
        )
    ).first()
    round_row = (
        found[0]
        if found is not None
        else session.exec(
            select(Round).where(Round.event_id == event.id, Round.number == number)
        ).first()
    )
    empty = MyRoom(
        event_id=event.id,
        phase=event.phase.value,
        round=number if round_row else None,
        round_status=round_row.status.value if round_row else None,
        starts_at=_utc(round_row.starts_at) if round_row else None,
        ends_at=_utc(round_row.ends_at) if round_row else None,
        state_version=event.state_version,
        room_number=None,
        room_name=None,
        link=None,
        why=None,
        members=[],
    )
    if found is None or event.phase == EventPhase.FINISHED:
        return empty
    _, room, me = found
    mates = session.exec(
        select(Participant)
        .join(RoomMember, col(RoomMember.participant_id) == col(Participant.id))
        .where(RoomMember.room_id == room.id, Participant.id != participant.id)
        .where(col(Participant.deleted).is_(False))  # erased: nothing left to show
        .order_by(col(Participant.name))
    ).all()
    mine = set(participant.interests)
    return empty.model_copy(
        update={
            "room_number": room.number,
            "room_name": room.name,
            "link": room.link,
            "why": me.why or None,
            "members": [
                RoomMate(
                    id=m.id,
                    name=m.name,
                    school=m.school,
                    country=m.country,
                    sector=m.sector,
                    shared_interests=sorted(mine & set(m.interests)),
                )
                for m in mates
            ],
        }
    )


# Rounds whose rooms people are still to go to: those not started, and the one running now
# (its link may be the broken one the organiser is fixing).
_OPEN_ROUNDS = (RoundStatus.PLANNED, RoundStatus.RUNNING, RoundStatus.PAUSED)


def refresh_room_links(session: Session, *, event: Event, settings: Settings) -> int:
    """Re-applies the event's link template and room names to rooms of rounds not yet over.

    Returns how many rooms changed; the caller commits.
    """
    rows = session.exec(
        select(Room, Round)
        .join(Round, col(Round.id) == col(Room.round_id))
        .where(Round.event_id == event.id, col(Round.status).in_(_OPEN_ROUNDS))
    ).all()
    changed = 0
    for room, round_row in rows:
        name = room_name(event, room.number)
        link = room_link(event, round_row.number, room.number, settings=settings)
        if (room.name, room.link) != (name, link):
            room.name, room.link = name, link
            session.add(room)
            changed += 1
    return changed


def rooms_in_use(session: Session, *, event_id: str) -> int:
    """The most rooms a stored round not yet over has (0 without a plan)."""
    most = session.exec(
        select(func.max(Room.number))
        .join(Round, col(Round.id) == col(Room.round_id))
        .where(Round.event_id == event_id, col(Round.status).in_(_OPEN_ROUNDS))
    ).one()
    return int(most or 0)
