"""Audit log of organiser actions: who did what to which event, kept in the database."""

from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from app.models import AuditLog, Organiser


def actor_for(organiser: Organiser) -> str:
    return organiser_actor(organiser.id)


def organiser_actor(organiser_id: str) -> str:
    return f"organiser:{organiser_id}"


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    event_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditLog:
    """Adds an audit entry to the session; it is committed with the action it describes."""
    entry = AuditLog(event_id=event_id, actor=actor, action=action, detail=detail or {})
    session.add(entry)
    return entry


def entries(session: Session, *, event_id: str, limit: int = 200) -> list[AuditLog]:
    """The newest entries of one event first."""
    statement = (
        select(AuditLog)
        .where(AuditLog.event_id == event_id)
        .order_by(col(AuditLog.id).desc())
        .limit(limit)
    )
    return list(session.exec(statement))


def detach_event(session: Session, *, event_id: str) -> None:
    """Keeps an event's entries after the event is deleted (their event link is cleared)."""
    statement = update(AuditLog).where(col(AuditLog.event_id) == event_id).values(event_id=None)
    session.exec(statement)
