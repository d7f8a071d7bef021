"""A round still running in the second after its event finished (the loop that ends it has not
come round yet) cannot be paused or extended: "+1 minute" answered 200 on a finished event."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.errors import InvalidTransition
from app.live import service as live_service
from app.models import EventPhase, Round, RoundStatus, utcnow
from tests.web.conftest import seat_event


@pytest.mark.parametrize("action", ["pause", "extend"])
def test_the_clock_of_a_finished_event_does_not_change(session: Session, action: str) -> None:
    seated = seat_event(session, started_rounds=1)
    first = session.exec(select(Round).where(Round.event_id == seated.event.id)).first()
    assert first is not None
    first.status = RoundStatus.RUNNING
    first.starts_at = utcnow()
    first.ends_at = first.starts_at + timedelta(minutes=5)
    seated.event.phase = EventPhase.FINISHED
    seated.event.finished_at = utcnow()
    session.add_all([first, seated.event])
    session.commit()

    with pytest.raises(InvalidTransition, match="No round is running right now."):
        live_service.change_clock(session, seated.event.id, "organiser:test", action)
    session.expire_all()
    again = session.get(Round, first.id)
    assert again is not None
    assert again.status == RoundStatus.RUNNING  # left for the loop to end at finished_at
