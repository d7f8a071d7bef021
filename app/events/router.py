"""Event routes: thin HTTP over app.events.service."""

from fastapi import APIRouter, Response, status
from sqlmodel import Session

from app import audit
from app.deps import OrganiserDep, SessionDep
from app.events import service
from app.events.schemas import AuditEntry, EventCreate, EventPublic, EventUpdate, PhaseChange
from app.models import Event

router = APIRouter(prefix="/events", tags=["events"])


def to_public(session: Session, event: Event) -> EventPublic:
    count = service.participant_count(session, event_id=event.id)
    return EventPublic.model_validate({**event.model_dump(), "participant_count": count})


@router.post("", status_code=status.HTTP_201_CREATED)
def create_event(body: EventCreate, session: SessionDep, organiser: OrganiserDep) -> EventPublic:
    """Creates a draft event."""
    event = service.create_event(session, organiser=organiser, data=body.model_dump())
    return to_public(session, event)


@router.get("")
def list_events(session: SessionDep, organiser: OrganiserDep) -> list[EventPublic]:
    """Lists the signed-in organiser's events, newest first."""
    return [to_public(session, e) for e in service.list_events(session, organiser=organiser)]


@router.get("/{event_id}")
def get_event(event_id: str, session: SessionDep, organiser: OrganiserDep) -> EventPublic:
    """One of the organiser's events."""
    event = service.get_owned_event(session, event_id=event_id, organiser=organiser)
    return to_public(session, event)


@router.patch("/{event_id}")
def update_event(
    event_id: str, body: EventUpdate, session: SessionDep, organiser: OrganiserDep
) -> EventPublic:
    """Changes event settings; plan-shaping settings are frozen once scheduled."""
    event = service.get_owned_event(session, event_id=event_id, organiser=organiser)
    changes = body.model_dump(exclude_unset=True)
    event = service.update_event(session, event=event, organiser=organiser, changes=changes)
    return to_public(session, event)


@router.post("/{event_id}/phase")
def change_phase(
    event_id: str, body: PhaseChange, session: SessionDep, organiser: OrganiserDep
) -> EventPublic:
    """Moves the event through draft, open, scheduled, live, finished (409 when not allowed)."""
    event = service.get_owned_event(session, event_id=event_id, organiser=organiser)
    event = service.transition(
        session, event=event, to=body.phase, actor=audit.actor_for(organiser)
    )
    return to_public(session, event)


@router.delete("/{event_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_event(event_id: str, session: SessionDep, organiser: OrganiserDep) -> Response:
    """Deletes the event with its participants, plan and contact decisions."""
    event = service.get_owned_event(session, event_id=event_id, organiser=organiser)
    service.delete_event(session, event=event, organiser=organiser)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{event_id}/audit")
def audit_log(event_id: str, session: SessionDep, organiser: OrganiserDep) -> list[AuditEntry]:
    """The event's audit trail, newest first."""
    event = service.get_owned_event(session, event_id=event_id, organiser=organiser)
    return [
        AuditEntry.model_validate(entry.model_dump())
        for entry in audit.entries(session, event_id=event.id)
    ]
