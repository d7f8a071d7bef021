"""Participants: add, edit, remove, CSV import, and personal links (stored hashed)."""

from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app import audit
from app.errors import Conflict, InvalidInput, NotFound
from app.models import (
    AttendanceStatus,
    Event,
    EventPhase,
    Participant,
    Room,
    RoomMember,
    Round,
)
from app.participants import csv_import
from app.security import PARTICIPANT_COOKIE, hash_token, new_token, sign_cookie
from app.settings import Settings, get_settings

CHANGEABLE = {EventPhase.DRAFT, EventPhase.OPEN, EventPhase.SCHEDULED, EventPhase.LIVE}


def personal_link(settings: Settings, token: str) -> str:
    """The participant's personal page; the token in it is their only credential."""
    return f"{settings.base_url.rstrip('/')}/p/{token}"


def session_cookie(participant: Participant, *, settings: Settings) -> str:
    """Signed participant session cookie; re-issuing the link (token_version) revokes it."""
    return sign_cookie(
        {"p": participant.id, "v": participant.token_version},
        secret_key=settings.secret_key,
        kind=PARTICIPANT_COOKIE,
    )


def list_participants(session: Session, *, event_id: str) -> list[Participant]:
    statement = (
        select(Participant)
        .where(Participant.event_id == event_id, col(Participant.deleted).is_(False))
        .order_by(col(Participant.created_at), col(Participant.external_id))
    )
    return list(session.exec(statement))


def get_participant(session: Session, *, event_id: str, participant_id: str) -> Participant:
    participant = session.get(Participant, participant_id)
    if participant is None or participant.event_id != event_id or participant.deleted:
        raise NotFound(f"Participant {participant_id!r} does not exist in this event.")
    return participant


def _require_changeable(event: Event) -> None:
    if event.phase not in CHANGEABLE:
        raise Conflict(f"The event is {event.phase.value}; participants can no longer change.")


def _check_refs(session: Session, *, event_id: str, refs: list[str], field: str, own: str) -> None:
    if own in refs:  # as the CSV import says: nobody requests or avoids themself
        raise InvalidInput(
            f"{field} names the participant themself ({own!r})",
            [{"field": field, "message": "lists the participant themself"}],
        )
    if not refs:
        return
    known = set(
        session.exec(
            select(Participant.external_id).where(
                Participant.event_id == event_id, col(Participant.external_id).in_(refs)
            )
        )
    )
    unknown = [ref for ref in refs if ref not in known]
    if unknown:
        raise InvalidInput(
            f"{field} names unknown participant id(s): {', '.join(unknown)}",
            [{"field": field, "message": f"unknown participant id {ref!r}"} for ref in unknown],
        )


def _check_unique(
    session: Session, *, event_id: str, email: str | None, external_id: str | None, exclude: str
) -> None:
    if email is not None:
        clash = session.exec(
            select(Participant.id).where(
                Participant.event_id == event_id,
                Participant.email == email,
                Participant.id != exclude,
            )
        ).first()
        if clash is not None:
            raise Conflict(f"{email} is already registered for this event.")
    if external_id is not None:
        clash = session.exec(
            select(Participant.id).where(
                Participant.event_id == event_id,
                Participant.external_id == external_id,
                Participant.id != exclude,
            )
        ).first()
        if clash is not None:
            raise Conflict(f"Participant id {external_id!r} is already used in this event.")


def _next_external_id(session: Session, *, event_id: str) -> str:
    taken = set(
        session.exec(select(Participant.external_id).where(Participant.event_id == event_id))
    )
    number = len(taken) + 1
    while f"p{number:03d}" in taken:
        number += 1
    return f"p{number:03d}"


def add_participant(
    session: Session, *, event: Event, data: dict[str, Any], actor: str
) -> Participant:
    """Adds one participant; during a live event they join from the next round."""
    _require_changeable(event)
    values = dict(data)
    values["external_id"] = values.get("external_id") or _next_external_id(
        session, event_id=event.id
    )
    _check_unique(
        session,
        event_id=event.id,
        email=values["email"],
        external_id=values["external_id"],
        exclude="",
    )
    for field in ("requests", "avoid"):
        refs = values.get(field, [])
        _check_refs(session, event_id=event.id, refs=refs, field=field, own=values["external_id"])
    participant = Participant(event_id=event.id, **values)
    if event.phase == EventPhase.LIVE:
        participant.attendance = AttendanceStatus.LATE
        participant.joined_round = event.current_round + 1
    session.add(participant)
    audit.record(
        session,
        actor=actor,
        action="participant.add",
        event_id=event.id,
        detail={"participant_id": participant.id},
    )
    session.commit()
    session.refresh(participant)
    return participant


def update_participant(
    session: Session, *, event: Event, participant: Participant, changes: dict[str, Any], actor: str
) -> Participant:
    """Edits a participant's details."""
    _require_changeable(event)
    _check_unique(
        session,
        event_id=event.id,
        email=changes.get("email"),
        external_id=None,
        exclude=participant.id,
    )
    for field in ("requests", "avoid"):
        if changes.get(field):
            refs = changes[field]
            _check_refs(
                session, event_id=event.id, refs=refs, field=field, own=participant.external_id
            )
    for key, value in changes.items():
        if value is None and key not in ("role", "phone", "locale"):
            continue
        setattr(participant, key, value)
    session.add(participant)
    audit.record(
        session,
        actor=actor,
        action="participant.update",
        event_id=event.id,
        detail={"participant_id": participant.id, "fields": sorted(changes)},
    )
    session.commit()
    session.refresh(participant)
    return participant


def remove_participant(
    session: Session,
    *,
    event: Event,
    participant: Participant,
    actor: str,
    settings: Settings | None = None,
) -> None:
    """Removes a participant before the event goes live.

    While scheduled, the stored plan is re-planned without them (as a drop-out), so that no
    room-mate is left alone; before that, the next schedule simply leaves them out.
    """
    # Imported here: the schedule package imports this module.
    from app.schedule import dropout

    if event.phase not in {EventPhase.DRAFT, EventPhase.OPEN, EventPhase.SCHEDULED}:
        raise Conflict(
            f"The event is {event.phase.value}: mark the participant absent instead of removing."
        )
    if event.phase == EventPhase.SCHEDULED:
        dropout.replan_without(
            session,
            event=event,
            removed=participant,
            settings=settings or get_settings(),
            actor=actor,
        )
        event.state_version += 1  # open sockets re-read their rooms at the next version tick
        session.add(event)
    room_ids = (
        select(Room.id)
        .join(Round, col(Round.id) == col(Room.round_id))
        .where(Round.event_id == event.id)
    )
    session.exec(
        delete(RoomMember).where(
            col(RoomMember.participant_id) == participant.id,
            col(RoomMember.room_id).in_(room_ids),
        )
    )
    dropout.take_out(session, event_id=event.id, participant_id=participant.id)
    audit.record(
        session,
        actor=actor,
        action="participant.remove",
        event_id=event.id,
        detail={"participant_id": participant.id, "external_id": participant.external_id},
    )
    session.delete(participant)
    session.commit()


def import_csv(session: Session, *, event: Event, data: bytes, actor: str) -> list[Participant]:
    """Imports every row of a participants CSV, or none (InvalidInput lists each problem)."""
    _require_changeable(event)
    existing = list_participants(session, event_id=event.id)
    rows = csv_import.parse(
        data,
        existing_ids={p.external_id for p in existing},
        existing_emails={p.email.lower() for p in existing},
    )
    late = event.phase == EventPhase.LIVE
    created = [
        Participant(
            event_id=event.id,
            external_id=row.person.id,
            name=row.person.name,
            email=row.person.email.strip().lower(),
            school=row.person.school,
            country=row.person.country,
            sector=row.person.sector.value,
            languages=sorted(row.person.languages),
            interests=sorted(row.person.interests),
            programmes=sorted(row.person.programmes),
            requests=sorted(row.person.requests),
            avoid=sorted(row.person.avoid),
            role=row.role,
            phone=row.phone,
            attendance=AttendanceStatus.LATE if late else AttendanceStatus.EXPECTED,
            joined_round=event.current_round + 1 if late else 1,
        )
        for row in rows
    ]
    session.add_all(created)
    audit.record(
        session,
        actor=actor,
        action="participant.import",
        event_id=event.id,
        detail={"count": len(created)},
    )
    session.commit()
    for participant in created:
        session.refresh(participant)
    return created


def issue_link(session: Session, *, participant: Participant, actor: str) -> str:
    """A new personal-link token; the old link and every session made from it stop working."""
    token = new_token()
    participant.token_hash = hash_token(token)
    participant.token_version += 1
    session.add(participant)
    audit.record(
        session,
        actor=actor,
        action="participant.link",
        event_id=participant.event_id,
        detail={"participant_id": participant.id, "version": participant.token_version},
    )
    session.commit()
    return token


def issue_links(
    session: Session, *, event: Event, actor: str, reissue: bool = False
) -> list[tuple[Participant, str]]:
    """Links for everyone without one (or for everyone when `reissue`, revoking old links)."""
    issued: list[tuple[Participant, str]] = []
    for participant in list_participants(session, event_id=event.id):
        if participant.token_hash is not None and not reissue:
            continue
        token = new_token()
        participant.token_hash = hash_token(token)
        participant.token_version += 1
        session.add(participant)
        issued.append((participant, token))
    audit.record(
        session,
        actor=actor,
        action="participant.links",
        event_id=event.id,
        detail={"count": len(issued), "reissue": reissue},
    )
    session.commit()
    return issued


def update_me(session: Session, *, participant: Participant, changes: dict[str, Any]) -> None:
    """A participant's own choices: which contact details to share, and their language."""
    for key, value in changes.items():
        setattr(participant, key, value)
    session.add(participant)
    session.commit()
