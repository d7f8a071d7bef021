"""Migration 0009 fills `event.registration_opened_at` from the audit log, so a draft event
that was opened and closed before the upgrade still says "closed" on its registration page,
and one never opened says "not open yet"."""

from __future__ import annotations

from alembic import command
from sqlmodel import Session, col, select

from app.cli.db import alembic_config, upgrade
from app.events import service as event_service
from app.models import AuditLog, EventPhase, Organiser
from tests.factories import make_event
from tests.fixtures.database import BOTH_DATABASES
from tests.ops.stored_times import stored_times


@BOTH_DATABASES
def test_a_draft_opened_before_the_upgrade_gets_its_first_opening_and_one_never_opened_none(
    configured: str, session: Session, organiser: Organiser
) -> None:
    reopened = make_event(session, organiser, name="Reopened", phase=EventPhase.DRAFT)
    for to in (EventPhase.OPEN, EventPhase.DRAFT, EventPhase.OPEN, EventPhase.DRAFT):
        event_service.transition(session, event=reopened, to=to, actor="test")
    make_event(session, organiser, name="Never opened", phase=EventPhase.DRAFT)
    moves = session.exec(
        select(AuditLog).where(AuditLog.action == "event.phase").order_by(col(AuditLog.id))
    ).all()
    first_opening = next(m.created_at for m in moves if m.detail["to"] == "open")
    session.close()
    # Back to the release before the column existed (the audit log stays), then up again.
    command.downgrade(alembic_config(configured), "0008")

    upgrade(configured)

    assert stored_times(configured, "SELECT name, registration_opened_at FROM event") == {
        "Reopened": first_opening,
        "Never opened": None,
    }
