"""Contact decisions and the consent rule; the meetings derived from the stored rooms.

A meeting is two participants who sat in the same room in a round. After it, each side records a
`ContactDecision`: share my details yes/no, a private note, and "we met" / "they did not show up".
Details of Y are visible to X when Y shares with X and, under mutual consent (the default), X also
shares with Y. Decisions can change until the organiser closes the event's export.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from sqlmodel import Session, col, or_, select

from app.contacts import seen as seen_check
from app.contacts.report import Meeting, meeting_status
from app.contacts.video import ExportLimitError, room_link, room_name
from app.errors import Conflict, InvalidInput, NotFound, for_organisers, for_participants
from app.models import (
    AuditLog,
    ContactDecision,
    Event,
    EventPhase,
    Organiser,
    Participant,
    Room,
    RoomMember,
    Round,
    RoundStatus,
    utcnow,
)

DecisionKey = tuple[str, str]  # (from_participant_id, to_participant_id)
NOTE_MAX = 1000  # characters, a line break counting as one (as the browser counts it)
_STARTED = {RoundStatus.RUNNING, RoundStatus.PAUSED, RoundStatus.ENDED}


@dataclass(frozen=True)
class Placement:
    """One room of one round with the ids of the people placed in it."""

    round: int
    room: int
    room_name: str
    link: str | None
    started: bool
    members: tuple[str, ...]


def owned_event(session: Session, organiser: Organiser, event_id: str) -> Event:
    """The organiser's event; someone else's event is indistinguishable from a missing one."""
    event = session.get(Event, event_id)
    if event is None or event.organiser_id != organiser.id:
        raise NotFound(for_organisers("No such event."))
    return event


def event_of(session: Session, participant: Participant) -> Event:
    event = session.get(Event, participant.event_id)
    if event is None:  # pragma: no cover - foreign key guarantees it
        raise NotFound(for_organisers("No such event."))
    return event


def placements(
    session: Session, event: Event, *, participant_id: str | None = None
) -> list[Placement]:
    """Every room of every round of the event (or only the rooms one participant sat in)."""
    query = (
        select(Round, Room, RoomMember)
        .join(Room, Room.round_id == Round.id)  # type: ignore[arg-type]
        .join(RoomMember, RoomMember.room_id == Room.id)  # type: ignore[arg-type]
        .where(Round.event_id == event.id)
    )
    if participant_id is not None:
        # A participant's page is loaded often: read their few rooms, not the whole event.
        mine = select(RoomMember.room_id).where(RoomMember.participant_id == participant_id)
        query = query.where(col(Room.id).in_(mine))
    rows = session.exec(query).all()
    rooms: dict[tuple[int, int], tuple[Round, Room, list[str]]] = {}
    for rnd, room, member in rows:
        rooms.setdefault((rnd.number, room.number), (rnd, room, []))[2].append(
            member.participant_id
        )
    out: list[Placement] = []
    for (round_no, room_no), (rnd, room, members) in sorted(rooms.items()):
        link = room.link
        if not link and event.room_link_template:
            try:
                link = room_link(event.room_link_template, event.id, round_no, room_no)
            except ExportLimitError:  # a bad template must not hide anyone's contacts
                link = None
        # An event ended early (live -> finished after round 2 of 4) leaves its later rounds
        # unplayed: nobody met there. Only a finished event whose rounds never ran on the live
        # clock at all (run by hand in Zoom) counts every round as played.
        started = (
            rnd.status in _STARTED
            or event.current_round >= round_no
            or (event.phase == EventPhase.FINISHED and event.current_round == 0)
        )
        out.append(
            Placement(
                round=round_no,
                room=room_no,
                room_name=room_name(room_no, event.room_names, room.name),
                link=link,
                started=started,
                members=tuple(sorted(members)),
            )
        )
    return out


def decisions(
    session: Session, event: Event, *, participant_id: str | None = None
) -> dict[DecisionKey, ContactDecision]:
    """The event's decisions (or only those made by or about one participant), by (from, to)."""
    query = select(ContactDecision).where(ContactDecision.event_id == event.id)
    if participant_id is not None:
        query = query.where(
            or_(
                col(ContactDecision.from_participant_id) == participant_id,
                col(ContactDecision.to_participant_id) == participant_id,
            )
        )
    return {(d.from_participant_id, d.to_participant_id): d for d in session.exec(query)}


def shares(table: dict[DecisionKey, ContactDecision], frm: str, to: str) -> bool:
    decision = table.get((frm, to))
    return bool(decision and decision.share)


def visible(
    event: Event, table: dict[DecisionKey, ContactDecision], viewer: str, other: str
) -> bool:
    """The consent rule: may `viewer` see `other`'s shared contact details?"""
    if not shares(table, other, viewer):
        return False
    return shares(table, viewer, other) or not event.mutual_consent


def meetings(
    places: Iterable[Placement], table: dict[DecisionKey, ContactDecision]
) -> list[Meeting]:
    """Every pair that shared a room, with its held/no-show status and mutual flag."""
    out: list[Meeting] = []
    for place in places:
        for a, b in combinations(place.members, 2):
            answers = [d.met for d in (table.get((a, b)), table.get((b, a))) if d is not None]
            out.append(
                Meeting(
                    round=place.round,
                    room=place.room,
                    room_name=place.room_name,
                    a_id=a,
                    b_id=b,
                    status=meeting_status(answers),
                    mutual=shares(table, a, b) and shares(table, b, a),
                )
            )
    return out


def roommates(session: Session, participant: Participant) -> list[tuple[Placement, Participant]]:
    """Who `participant` sat with, round by round (erased people are left out)."""
    event = event_of(session, participant)
    places = placements(session, event, participant_id=participant.id)
    ids = {pid for place in places for pid in place.members}
    people = {
        p.id: p for p in session.exec(select(Participant).where(col(Participant.id).in_(ids)))
    }
    out: list[tuple[Placement, Participant]] = []
    for place in places:
        for other_id in place.members:
            other = people.get(other_id)
            if other_id != participant.id and other is not None and not other.deleted:
                out.append((place, other))
    return out


def started_roommates(
    session: Session, participant: Participant
) -> list[tuple[Placement, Participant]]:
    """Who `participant` has met so far: rounds not started (yet, or ever) held no meeting."""
    return [(place, other) for place, other in roommates(session, participant) if place.started]


def participants_of(session: Session, event: Event) -> list[Participant]:
    rows = session.exec(select(Participant).where(Participant.event_id == event.id))
    return sorted(rows, key=lambda p: (p.deleted, p.name.casefold(), p.id))


def record_decision(
    session: Session,
    participant: Participant,
    other_id: str,
    *,
    share: bool,
    met: bool | None,
    note: str,
    seen: seen_check.Seen | None = None,
) -> ContactDecision:
    """Create or replace `participant`'s decision about a room-mate.

    `seen` is the version the saving page or client last read: a save based on an older one
    raises `StaleDecision` (409), so a stale device never silently undoes a newer choice.
    """
    # A browser sends each line break of a textarea as CR LF but counts it as one character
    # against maxlength: a note that fitted the box must not be refused for being too long.
    note = note.replace("\r\n", "\n").strip()
    if "\x00" in note:  # PostgreSQL cannot store it; the API's schema refuses it already
        raise InvalidInput(
            for_participants("A note cannot contain the NUL character."),
            [{"field": "note", "message": "must not contain the NUL character (U+0000)"}],
        )
    if len(note) > NOTE_MAX:
        raise InvalidInput(
            for_participants("A note can be at most 1000 characters long."),
            [{"field": "note", "message": f"at most {NOTE_MAX} characters"}],
        )
    event = event_of(session, participant)
    if event.export_closed:
        raise Conflict(
            for_participants(
                "The organiser has closed this event's contact exchange; nothing can change."
            )
        )
    mates = [(p, o) for p, o in roommates(session, participant) if o.id == other_id]
    if not mates:
        raise NotFound(for_participants("You did not share a room with this participant."))
    started = [p for p, _ in mates if p.started]
    if not started:
        raise Conflict(for_participants("You can record this after your meeting has started."))
    stored = session.exec(
        select(ContactDecision).where(
            ContactDecision.from_participant_id == participant.id,
            ContactDecision.to_participant_id == other_id,
        )
    ).first()
    seen_check.check(stored, seen)
    decision = stored or ContactDecision(
        event_id=event.id, from_participant_id=participant.id, to_participant_id=other_id
    )
    decision.round_number = started[0].round
    decision.share = share
    decision.met = met
    decision.note = note
    decision.updated_at = utcnow()
    session.add(decision)
    session.add(
        AuditLog(
            event_id=event.id,
            actor=f"participant:{participant.id}",
            action="contact.decision",
            detail={"to": other_id, "share": share, "met": met},
        )
    )
    session.commit()
    session.refresh(decision)
    return decision


def set_export_closed(session: Session, organiser: Organiser, event: Event, closed: bool) -> Event:
    """Close (or reopen) the contact exchange: closed means decisions are final."""
    event.export_closed = closed
    session.add(event)
    session.add(
        AuditLog(
            event_id=event.id,
            actor=f"organiser:{organiser.id}",
            action="contact.export_closed" if closed else "contact.export_reopened",
            detail={},
        )
    )
    session.commit()
    session.refresh(event)
    return event


def update_settings(
    session: Session,
    organiser: Organiser,
    event: Event,
    *,
    mutual_consent: bool | None,
    retention_days: int | None,
    clear_retention: bool,
) -> Event:
    """Change the consent mode and the retention period of an event."""
    if mutual_consent is not None:
        if event.export_closed and mutual_consent != event.mutual_consent:
            raise Conflict(
                for_organisers(
                    "The contact exchange is closed; reopen it to change the consent mode."
                )
            )
        event.mutual_consent = mutual_consent
    if clear_retention:
        event.retention_days = None
    elif retention_days is not None:
        event.retention_days = retention_days
    session.add(event)
    session.add(
        AuditLog(
            event_id=event.id,
            actor=f"organiser:{organiser.id}",
            action="contact.settings",
            detail={"mutual_consent": event.mutual_consent, "retention_days": event.retention_days},
        )
    )
    session.commit()
    session.refresh(event)
    return event
