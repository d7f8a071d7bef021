"""Attendance during the live event: mark someone absent or present again, move someone, note a
first connection."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

import matching
from app.errors import InvalidInput, InvalidTransition, NotFound, for_organisers
from app.live import statements
from app.live.changes import Change
from app.live.noshow import round_warnings, stored_rounds
from app.live.service import LIVE_ROUND, commit_change, find_round, get_event
from app.live.snapshot import NOTICE_MOVED
from app.models import AttendanceStatus, Event, EventPhase, Participant, Room, RoomMember, Round
from app.schedule.convert import to_people


def _participant(session: Session, event_id: str, participant_id: str) -> Participant:
    person = session.get(Participant, participant_id)
    if person is None or person.event_id != event_id or person.deleted:
        raise NotFound(for_organisers("No such participant in this event."))
    return person


def mark_absent(session: Session, event_id: str, actor: str, participant_id: str) -> Change:
    """Leave someone out of the coming rounds (re-planned at the next round start)."""
    get_event(session, event_id)
    person = _participant(session, event_id, participant_id)
    person.attendance = AttendanceStatus.ABSENT
    person.absence_marked = True
    session.add(person)
    return commit_change(
        session, event_id, actor, "absent", "mark_absent", participants=(participant_id,)
    )


def mark_present(session: Session, event_id: str, actor: str, participant_id: str) -> Change:
    """Undo "mark absent" (or a no-show): they take part again from the next round on."""
    event = get_event(session, event_id)
    person = _participant(session, event_id, participant_id)
    person.absence_marked = False
    if person.attendance in (AttendanceStatus.ABSENT, AttendanceStatus.EXPECTED):
        upcoming = event.current_round + 1
        if _seated_from(session, event_id, upcoming, participant_id):
            person.attendance = AttendanceStatus.PRESENT  # not re-planned without them yet
        else:  # taken out by a round start's re-plan: seated again at the next, as a late arrival
            person.attendance = AttendanceStatus.LATE
            person.joined_round = upcoming
    session.add(person)
    return commit_change(
        session, event_id, actor, "attendance", "mark_present", participants=(participant_id,)
    )


def _seated_from(session: Session, event_id: str, first: int, participant_id: str) -> bool:
    seat = session.exec(
        select(RoomMember.room_id)
        .join(Room, col(Room.id) == col(RoomMember.room_id))
        .join(Round, col(Round.id) == col(Room.round_id))
        .where(
            Round.event_id == event_id,
            col(Round.number) >= first,
            RoomMember.participant_id == participant_id,
        )
    ).first()
    return seat is not None


def move(session: Session, event_id: str, actor: str, participant_id: str, room: int) -> Change:
    """Move someone into another room of the live round (or of the next round between rounds)."""
    get_event(session, event_id)  # 404 for an unknown event, before taking its row
    # Two moves of one person at the same moment (two co-hosts) each read the seat and replace
    # it: both landing seated them twice. The event row, taken before anything is read, makes
    # the second wait for the first and then read the seat the first left.
    version = statements.bump(session.connection(), event_id)
    session.expire_all()
    event = get_event(session, event_id)
    _participant(session, event_id, participant_id)
    current = find_round(session, event_id, event.current_round)
    live = current is not None and current.status in LIVE_ROUND
    target = current if live else find_round(session, event_id, event.current_round + 1)
    if target is None:
        raise InvalidTransition(for_organisers("There is no round to move people in."))
    rooms = {r.number: r for r in session.exec(select(Room).where(Room.round_id == target.id))}
    if room not in rooms:
        raise InvalidInput(
            for_organisers("Round %(n)s has no room %(room)s."), n=target.number, room=room
        )
    old = session.exec(
        select(RoomMember).where(
            col(RoomMember.room_id).in_([r.id for r in rooms.values()]),
            RoomMember.participant_id == participant_id,
        )
    ).first()
    told = {participant_id}
    by_id = {r.id: r for r in rooms.values()}
    touched = [r.id for r in (by_id.get(old.room_id) if old else None, rooms[room]) if r]
    for room_id in touched:
        told.update(
            session.exec(
                select(RoomMember.participant_id).where(RoomMember.room_id == room_id)
            ).all()
        )
    if old is not None:
        if old.room_id == rooms[room].id:
            raise InvalidInput(for_organisers("They are already in room %(room)s."), room=room)
        session.delete(old)
        session.flush()
    # Only the person moved is told the organiser changed their room; their old and new
    # room-mates keep what they were told this round and get their updated room card.
    session.add(
        RoomMember(
            room_id=rooms[room].id,
            participant_id=participant_id,
            why="",  # written for the room as it is now, below
            notice=NOTICE_MOVED if live else None,
        )
    )
    target.sitting_out = [p for p in target.sitting_out if p != participant_id]
    session.add(target)
    session.flush()
    _explain_rooms(session, event_id, target.number, touched)
    # The organiser decides; the hard rules the move now breaks are reported back, not refused.
    warnings = round_warnings(session, event, target.number)
    return commit_change(
        session,
        event_id,
        actor,
        "moved",
        "move",
        version=version,
        round=target.number,
        room=room,
        participants=tuple(sorted(told)) if live else (),
        extra={"participant_id": participant_id, "round": target.number, "warnings": warnings},
    )


def _explain_rooms(
    session: Session, event_id: str, round_number: int, room_ids: Sequence[str]
) -> None:
    """Write the why of everyone in the rooms a move changed, for the people in them now.

    The stored one was written for the room as planned ("first meeting with Portugal" after
    the Portuguese teacher left). Worded as the planner words a room after a hand edit
    (app.schedule.why): matching.explain with the countries each met in the earlier rounds;
    nobody to explain for someone a move left alone."""
    people = session.exec(
        select(Participant).where(
            Participant.event_id == event_id, col(Participant.deleted).is_(False)
        )
    ).all()
    by_id = {p.id: p for p in to_people(list(people))}
    met: dict[str, set[str]] = {}
    for earlier in stored_rounds(session, event_id):
        for seated in earlier.rooms if earlier.number < round_number else ():
            for pid in seated.participants:
                met.setdefault(pid, set()).update(
                    by_id[m].country for m in seated.participants if m != pid and m in by_id
                )
    members = session.exec(  # in the order the room card lists them (app.live.snapshot)
        select(RoomMember)
        .where(col(RoomMember.room_id).in_(room_ids))
        .order_by(col(RoomMember.participant_id))
    ).all()
    for member in members:
        me = by_id.get(member.participant_id)
        mates = [
            by_id[m.participant_id]
            for m in members
            if m.room_id == member.room_id
            and m.participant_id != member.participant_id
            and m.participant_id in by_id
        ]
        member.why = (
            matching.explain(me, mates, met.get(me.id, set()))[:500] if me and mates else ""
        )
        session.add(member)


def note_connected(session: Session, participant_id: str) -> Change | None:
    """First sign of life: expected → present, left out as a no-show → late.

    Arriving late is published (organisers see it at once and may seat the person by a move);
    expected → present is not: thousands connect before the first round, and it changes no
    room. Someone the organiser marked absent stays absent: a page left open reconnects after a
    network blip, and seating them again would leave their room-mates waiting alone."""
    person = session.get(Participant, participant_id)
    if person is None:
        return None
    event = session.get(Event, person.event_id)
    if event is None or event.phase == EventPhase.FINISHED:
        # Opening one's page after the end (to download contacts) is not attending: the
        # exports and the report count attendance as it was during the event.
        return None
    if person.attendance == AttendanceStatus.EXPECTED:
        person.attendance = AttendanceStatus.PRESENT
        session.add(person)
        session.commit()
        return None
    if person.attendance != AttendanceStatus.ABSENT or person.absence_marked:
        return None
    person.attendance = AttendanceStatus.LATE
    person.joined_round = event.current_round + 1
    session.add(person)
    return commit_change(
        session,
        person.event_id,
        f"participant:{participant_id}",
        "attendance",
        "arrived_late",
        participants=(participant_id,),
    )
