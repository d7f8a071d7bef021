"""Rules a participant's details must meet within their event: phase, unique ids, known refs."""

from sqlmodel import Session, col, func, select

from app.errors import Conflict, InvalidInput, for_organisers
from app.models import Event, EventPhase, Participant
from matching.io import unknown_id_message

CHANGEABLE = {EventPhase.DRAFT, EventPhase.OPEN, EventPhase.SCHEDULED, EventPhase.LIVE}


def require_changeable(event: Event) -> None:
    if event.phase not in CHANGEABLE:
        raise Conflict(
            for_organisers("The event is %(phase)s; participants can no longer change."),
            phase=event.phase.value,
        )


def check_refs(session: Session, *, event_id: str, refs: list[str], field: str, own: str) -> None:
    """Requests and avoids name other participants of the event, by CSV id."""
    if own in refs:  # as the CSV import says: nobody requests or avoids themself
        raise InvalidInput(
            for_organisers("%(field)s names the participant themself (%(id)s)"),
            [{"field": field, "message": "lists the participant themself"}],
            field=field,
            id=repr(own),
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
        # Ids are case-sensitive; one that differs only in case is named, as the CSV import does.
        near = session.exec(
            select(Participant.external_id).where(
                Participant.event_id == event_id,
                col(Participant.external_id).is_not(None),
                func.lower(Participant.external_id).in_([ref.lower() for ref in unknown]),
            )
        )
        similar = [pid for pid in near if pid is not None]
        raise InvalidInput(
            for_organisers("%(field)s names unknown participant id(s): %(ids)s"),
            [{"field": field, "message": unknown_id_message(ref, similar)} for ref in unknown],
            field=field,
            ids=", ".join(unknown),
        )


def check_unique(
    session: Session, *, event_id: str, email: str | None, external_id: str | None, exclude: str
) -> None:
    """Email and CSV id are unique within the event (`exclude`: the participant being edited)."""
    unique = (
        (
            Participant.email,
            email,
            for_organisers("%(email)s is already registered for this event."),
        ),
        (
            Participant.external_id,
            external_id,
            for_organisers("Participant id %(id)s is already used in this event."),
        ),
    )
    for column, value, clash_message in unique:
        if value is None:
            continue
        clash = session.exec(
            select(Participant.id).where(
                Participant.event_id == event_id, col(column) == value, Participant.id != exclude
            )
        ).first()
        if clash is not None:
            raise Conflict(clash_message, email=value, id=repr(value))


def next_external_id(session: Session, *, event_id: str) -> str:
    """The first free CSV id of the form p001 for someone added without one."""
    taken = set(
        session.exec(select(Participant.external_id).where(Participant.event_id == event_id))
    )
    number = len(taken) + 1
    while f"p{number:03d}" in taken:
        number += 1
    return f"p{number:03d}"


def forget_refs(session: Session, *, event_id: str, external_id: str) -> None:
    """Takes a removed or erased person's CSV id out of everyone's requests and avoid (no commit):
    the id is free again, and whoever gets it next would otherwise inherit them."""
    people = session.exec(select(Participant).where(Participant.event_id == event_id))
    for other in people:
        if external_id in other.requests or external_id in other.avoid:
            other.requests = [r for r in other.requests if r != external_id]
            other.avoid = [a for a in other.avoid if a != external_id]
            session.add(other)
