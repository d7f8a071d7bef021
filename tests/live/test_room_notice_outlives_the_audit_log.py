"""Who was told their room changed this round is stored with the round's seats, not read from
the audit log: after an audit purge a reconnecting participant still sees why their room
changed (a round start's re-plan for no-shows, or a move by the organiser)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, col

from app.live import attendance, noshow, service
from app.live.dispatch import MOVED, ROOM_CHANGED
from app.live.snapshot import load_view
from app.models import AttendanceStatus, AuditLog
from tests.live.helpers import create_live_event

ACTOR = "organiser:test"


def purge_audit(session: Session, event_id: str) -> None:
    """What an audit purge leaves of the event's entries: none."""
    session.exec(delete(AuditLog).where(col(AuditLog.event_id) == event_id))
    session.commit()


def notices_on_reconnect(session: Session, event_id: str) -> dict[str, str | None]:
    """The notice in each participant's first `state` message, read afresh."""
    session.expire_all()
    view = load_view(session, event_id)
    assert view is not None
    return {pid: view.state_for(pid).notice for pid in view.cards}


def test_a_start_re_planned_for_no_shows_still_tells_after_an_audit_purge(
    configured: str, session: Session
) -> None:
    live = create_live_event(configured, 12, rounds=3, attendance=AttendanceStatus.EXPECTED)
    no_show = live.plan[0][0][0]
    connected = set(live.tokens) - {no_show}
    replan = noshow.compute_replan(session, live.event_id, 1, lambda: connected, 2.0)
    assert replan is not None
    change = service.start_round(session, live.event_id, ACTOR, number=1, replan=replan)
    told = set(change.participants)
    assert no_show in told  # told too: without a seat in the round
    assert told - {no_show}  # and their room-mates
    purge_audit(session, live.event_id)

    notices = notices_on_reconnect(session, live.event_id)

    assert notices == {pid: ROOM_CHANGED if pid in told else None for pid in live.tokens}


def test_a_move_by_the_organiser_still_tells_after_an_audit_purge(
    configured: str, session: Session
) -> None:
    live = create_live_event(configured, 8, rounds=2)
    service.start_round(session, live.event_id, ACTOR, number=1)
    mover = live.plan[0][0][0]
    change = attendance.move(session, live.event_id, ACTOR, mover, room=2)
    told = set(change.participants)
    assert told == {*live.plan[0][0], *live.plan[0][1]}
    purge_audit(session, live.event_id)

    notices = notices_on_reconnect(session, live.event_id)

    assert notices == {pid: MOVED if pid == mover else None for pid in live.tokens}
    # The next round starts with nobody told anything.
    service.end_round(session, live.event_id, ACTOR)
    service.start_round(session, live.event_id, ACTOR, number=2)
    assert set(notices_on_reconnect(session, live.event_id).values()) == {None}
