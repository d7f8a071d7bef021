"""The next round read ahead of its start (app.live.prepared) against a fresh read after it."""

from __future__ import annotations

from sqlmodel import Session

from app.live import attendance, noshow, service
from app.live.prepared import prepare, started
from app.live.snapshot import load_view
from app.models import AttendanceStatus
from tests.live.helpers import create_live_event

ACTOR = "organiser:test"


def test_the_prepared_round_once_started_is_the_view_read_after_the_start(
    configured: str, session: Session
) -> None:
    live = create_live_event(configured, 12, rounds=3)
    for number in (1, 2, 3):
        ready = prepare(session, live.event_id)
        assert ready is not None
        assert ready.view.current_round == number
        change = service.start_round(session, live.event_id, ACTOR, number=number)
        after = started(ready, change)
        fresh = load_view(session, live.event_id)
        assert after is not None
        assert fresh is not None
        assert after == fresh
        # What each person is sent: the common envelope and their encoded room, ahead or not.
        envelope = {"server_time": None}
        assert after.assignment_envelope().model_copy(update=envelope) == (
            fresh.assignment_envelope().model_copy(update=envelope)
        )
        for pid in fresh.cards:
            assert after.room_part(pid) == fresh.room_part(pid)
        service.end_round(session, live.event_id, ACTOR)
    assert prepare(session, live.event_id) is None  # all rounds played


def test_a_start_after_another_change_reads_afresh(configured: str, session: Session) -> None:
    live = create_live_event(configured, 12, rounds=3)
    ready = prepare(session, live.event_id)
    attendance.mark_absent(session, live.event_id, ACTOR, live.plan[0][0][0])  # a new version
    change = service.start_round(session, live.event_id, ACTOR, number=1)
    assert started(ready, change) is None


def test_a_start_that_re_plans_no_shows_reads_afresh(configured: str, session: Session) -> None:
    live = create_live_event(configured, 12, rounds=3, attendance=AttendanceStatus.EXPECTED)
    ready = prepare(session, live.event_id)
    assert ready is not None
    connected = set(live.tokens) - {live.plan[0][0][0]}  # one never came: no new version yet
    replan = noshow.compute_replan(session, live.event_id, 1, lambda: connected, 2.0)
    assert replan is not None
    change = service.start_round(session, live.event_id, ACTOR, number=1, replan=replan)
    assert change.version == ready.version + 1
    assert started(ready, change) is None
