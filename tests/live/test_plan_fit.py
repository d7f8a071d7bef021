"""The first round start from `scheduled` refuses a stored plan that no longer fits, as going live
through the phase transition does (app.live.plan_fit); a verdict made ahead with the next round
is reused only while nothing it depends on has changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event as sa_event
from sqlmodel import Session, select

import matching
from app.db import get_engine, session_scope
from app.errors import InvalidTransition
from app.live import prepared
from app.live.round_start import start_transaction
from app.models import AttendanceStatus, AuditLog, Event, EventPhase, Organiser, Participant
from tests.factories import make_api_token, make_event, make_participants
from tests.live.helpers import create_live_event

ACTOR = "organiser:test"


def generate(client: TestClient, event_id: str) -> dict[str, Any]:
    response = client.post(f"/api/v1/events/{event_id}/schedule", json={"time_limit_s": 1})
    assert response.status_code == 201, response.text
    plan: dict[str, Any] = response.json()
    return plan


def scheduled_with_a_pair(
    client: TestClient, session: Session, organiser: Organiser
) -> tuple[str, str, str]:
    """(event id, someone in a room of two in round 1, their room-mate): scheduled by the
    planner, everyone here (so the start re-plans nobody), `client` signed in as `organiser`."""
    client.headers["Authorization"] = f"Bearer {make_api_token(session, organiser)}"
    event = make_event(session, organiser, rounds=3)
    for person in make_participants(session, event, 8):
        person.attendance = AttendanceStatus.PRESENT
        session.add(person)
    session.commit()
    room = generate(client, event.id)["rounds"][0]["rooms"][0]["members"]
    assert len(room) == 2
    return event.id, room[0]["id"], room[1]["id"]


def remove_while_the_planner_fails(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, event_id: str, participant_id: str
) -> None:
    """Remove someone while scheduled, with the drop-out re-plan failing (as in
    tests/app/test_remove_while_scheduled.py): their room-mate is left alone in the room."""

    def planner_fails(*_args: object, **_kwargs: object) -> matching.Plan:
        raise ValueError("a pin the policy cannot honour")

    with monkeypatch.context() as patched:
        patched.setattr(matching, "replan", planner_fails)
        url = f"/api/v1/events/{event_id}/participants/{participant_id}"
        assert client.delete(url).status_code == 204


def prepare_ahead(event_id: str) -> prepared.PreparedRound:
    with session_scope() as session:
        ready = prepared.prepare(session, event_id)
    assert ready is not None
    return ready


def statements_run(start: Callable[[], object]) -> int:
    """How many SQL statements `start` runs (COMMIT not counted)."""
    count = [0]

    def counted(*_: object) -> None:
        count[0] += 1

    sa_event.listen(get_engine(), "before_cursor_execute", counted)
    try:
        start()
    finally:
        sa_event.remove(get_engine(), "before_cursor_execute", counted)
    return count[0]


def test_a_first_start_is_refused_like_going_live_when_a_room_mate_was_lost(
    client: TestClient, session: Session, organiser: Organiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    event_id, gone, _mate = scheduled_with_a_pair(client, session, organiser)
    base = f"/api/v1/events/{event_id}"
    remove_while_the_planner_fails(client, monkeypatch, event_id, gone)

    going_live = client.post(f"{base}/phase", json={"phase": "live"})
    assert going_live.status_code == 409, going_live.text
    started = client.post(f"{base}/live/start-round")
    assert started.status_code == 409, started.text
    assert started.json() == going_live.json()  # the same type and the same message
    assert started.json()["type"] == "invalid_transition"
    assert "generate the schedule again" in started.json()["detail"]
    with session_scope() as check:
        event = check.get(Event, event_id)
        assert event is not None
        assert (event.phase, event.current_round) == (EventPhase.SCHEDULED, 0)
        actions = check.exec(select(AuditLog.action).where(AuditLog.event_id == event_id)).all()
        assert "start_round" not in actions

    generate(client, event_id)  # a plan that fits again: the start goes ahead
    again = client.post(f"{base}/live/start-round")
    assert again.status_code == 200, again.text
    assert (again.json()["phase"], again.json()["current_round"]) == ("live", 1)


def test_a_verdict_made_ahead_is_not_reused_once_a_participant_changed(
    client: TestClient, session: Session, organiser: Organiser
) -> None:
    event_id, someone, mate = scheduled_with_a_pair(client, session, organiser)
    ready = prepare_ahead(event_id)
    assert ready.fit is not None
    assert ready.fit.refusal is None  # the planner's rooms fit
    # Their room-mate now asks not to meet them: audited, but the state version stays.
    avoided = session.get(Participant, someone)
    assert avoided is not None
    edit = client.patch(
        f"/api/v1/events/{event_id}/participants/{mate}", json={"avoid": [avoided.external_id]}
    )
    assert edit.status_code == 200, edit.text
    going_live = client.post(f"/api/v1/events/{event_id}/phase", json={"phase": "live"})
    assert going_live.status_code == 409, going_live.text

    with pytest.raises(InvalidTransition) as refused:
        start_transaction(event_id, ACTOR, connected=set, replan_time_limit_s=1.0, ahead=ready.fit)
    assert refused.value.detail == going_live.json()["detail"]


def test_a_start_with_a_current_verdict_reads_no_more_than_one_with_no_plan_to_check(
    client: TestClient, session: Session, organiser: Organiser, configured: str
) -> None:
    event_id, _someone, _mate = scheduled_with_a_pair(client, session, organiser)
    ready = prepare_ahead(event_id)
    no_plan = create_live_event(configured, 8, rounds=3)  # rounds stored, no plan to check

    def start(event: str, ahead: prepared.PreparedRound | None) -> Callable[[], object]:
        fit = ahead.fit if ahead is not None else None
        return lambda: start_transaction(
            event, ACTOR, connected=set, replan_time_limit_s=1.0, ahead=fit
        )

    baseline = statements_run(start(no_plan.event_id, None))
    assert statements_run(start(event_id, ready)) == baseline
    with session_scope() as check:
        event = check.get(Event, event_id)
        assert event is not None
        assert (event.phase, event.current_round) == (EventPhase.LIVE, 1)
