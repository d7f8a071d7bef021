"""The event's state version: bumped whenever what open pages show of the event changes.

Live pages and their cached views are kept per version (app/live): a change that does not bump
it (a participant added, renamed or erased) reaches open pages only with the next live action,
so an erased person's name would still be shown. The version tick sends a fresh `state` to every
socket of an event whose stored version moved.
"""

from sqlalchemy import update
from sqlmodel import Session, col

from app.models import Event


def bump(session: Session, event_id: str) -> bool:
    """Add one to the event's version in the session's transaction (an SQL increment, so two
    changes at once both count). False when the event is gone."""
    bumped = session.connection().execute(
        update(Event)
        .where(col(Event.id) == event_id)
        .values(state_version=col(Event.state_version) + 1)
    )
    return bumped.rowcount == 1
