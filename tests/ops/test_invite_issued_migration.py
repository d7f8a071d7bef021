"""Migration 0010 fills `organiser.invite_issued_at` from the audit log, so after the upgrade the
colleagues list still tells an unused invite link from an expired one."""

from __future__ import annotations

from alembic import command
from sqlmodel import Session, col, select

from app.cli.db import alembic_config, upgrade
from app.models import AuditLog, Organiser
from app.organisers import service
from app.settings import get_settings
from tests.fixtures.database import BOTH_DATABASES
from tests.ops.stored_times import stored_times


@BOTH_DATABASES
def test_unused_invites_get_the_time_of_their_newest_link_and_used_ones_none(
    configured: str, session: Session, organiser: Organiser
) -> None:
    service.invite_organiser(session, inviter=organiser, email="twice@a.eu", name="Twice")
    service.invite_organiser(session, inviter=organiser, email="twice@a.eu", name="Twice")
    _, token = service.invite_organiser(session, inviter=organiser, email="used@a.eu", name="U")
    service.sign_in_with_invite(session, token=token, settings=get_settings())
    invites = session.exec(
        select(AuditLog).where(AuditLog.action == "organiser.invite").order_by(col(AuditLog.id))
    ).all()
    newest_for_twice = invites[1].created_at
    session.close()
    # Back to the release before the column existed (the audit log stays), then up again.
    command.downgrade(alembic_config(configured), "0009")

    upgrade(configured)

    found = stored_times(configured, "SELECT email, invite_issued_at FROM organiser")
    assert found["twice@a.eu"] == newest_for_twice
    assert found["used@a.eu"] is None
    assert found[organiser.email] is None  # made without an invite
