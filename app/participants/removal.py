"""Removing a participant, which reaches into the schedule: kept apart so neither service cycles."""

from sqlmodel import Session

from app import audit
from app.errors import Conflict, for_organisers
from app.models import Event, EventPhase, Participant
from app.participants.checks import forget_refs
from app.schedule import dropout
from app.settings import Settings

REMOVABLE = {EventPhase.DRAFT, EventPhase.OPEN, EventPhase.SCHEDULED}


def remove_participant(
    session: Session, *, event: Event, participant: Participant, actor: str, settings: Settings
) -> None:
    """Removes a participant before the event goes live.

    While scheduled, the stored plan is re-planned without them (as a drop-out), so that no
    room-mate is left alone; before that, the next schedule simply leaves them out.
    """
    if event.phase not in REMOVABLE:
        raise Conflict(
            for_organisers(
                "The event is %(phase)s: mark the participant absent instead of removing."
            ),
            phase=event.phase.value,
        )
    dropout.take_out(session, event=event, removed=participant, settings=settings, actor=actor)
    audit.record(
        session,
        actor=actor,
        action="participant.remove",
        event_id=event.id,
        detail={"participant_id": participant.id, "external_id": participant.external_id},
    )
    forget_refs(session, event_id=event.id, external_id=participant.external_id)
    session.delete(participant)
    session.commit()
