"""The rounds someone was not in: started without a seat or a sit-out for them, so before a
walk-in was added, or while a no-show or late arrival was left out of the rooms."""

from sqlmodel import Session, col, select

from app.models import Room, RoomMember, Round


def rounds_missed(session: Session, *, event_id: str, participant_id: str) -> set[int]:
    """Numbers of the event's started rounds with no seat and no sit-out for the participant.

    Played rounds keep their seats as played (a re-plan rewrites only the rounds to come), so a
    seat there, or a move into the running round, means they took part.
    """
    started = session.exec(
        select(Round.number, Round.sitting_out).where(
            Round.event_id == event_id, col(Round.starts_at).is_not(None)
        )
    ).all()
    if not started:
        return set()
    seated = set(
        session.exec(
            select(Round.number)
            .join(Room, col(Room.round_id) == col(Round.id))
            .join(RoomMember, col(RoomMember.room_id) == col(Room.id))
            .where(Round.event_id == event_id, RoomMember.participant_id == participant_id)
        ).all()
    )
    return {
        number
        for number, sitting_out in started
        if number not in seated and participant_id not in sitting_out
    }
