"""Two tabs (or an organiser and a script) acting on one event's lifecycle at the same moment."""

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

import matching
from app import audit
from app.db import get_engine
from app.events import service as event_service
from app.models import AuditLog, Event, Organiser
from tests.factories import make_event, make_participants


def test_deleting_the_event_while_its_schedule_is_generated_answers_404_not_500(
    org_client: TestClient, session: Session, organiser: Organiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = make_event(session, organiser, rounds=2)
    make_participants(session, event, 8)
    plan_event = matching.plan_event

    def solve_while_another_tab_deletes(*args: Any, **kwargs: Any) -> matching.Plan:
        plan = plan_event(*args, **kwargs)
        with Session(get_engine()) as other_tab:
            doomed = other_tab.get(Event, event.id)
            assert doomed is not None
            event_service.delete_event(other_tab, event=doomed, organiser=organiser)
        return plan

    monkeypatch.setattr(matching, "plan_event", solve_while_another_tab_deletes)
    url = f"/api/v1/events/{event.id}/schedule"
    response = org_client.post(url, json={"time_limit_s": 1})
    assert response.status_code == 404, response.text
    assert "deleted" in response.json()["detail"]
    assert org_client.get(url).status_code == 404


def test_two_phase_changes_at_once_never_leave_a_move_the_rules_forbid(
    org_client: TestClient, session: Session, organiser: Organiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = make_event(session, organiser, rounds=2)
    make_participants(session, event, 8)
    url = f"/api/v1/events/{event.id}"
    assert org_client.post(f"{url}/schedule", json={"time_limit_s": 1}).status_code == 201
    # Both tabs found the event scheduled and checked their move before either stored it.
    both_checked = threading.Barrier(2, timeout=30)
    record = audit.record

    def record_after_both_checked(*args: Any, **kwargs: Any) -> AuditLog:
        both_checked.wait()
        return record(*args, **kwargs)

    monkeypatch.setattr(audit, "record", record_after_both_checked)

    def change(phase: str) -> Response:
        answer: Response = org_client.post(f"{url}/phase", json={"phase": phase})
        return answer

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = dict(zip(("open", "live"), pool.map(change, ("open", "live")), strict=True))
    monkeypatch.setattr(audit, "record", record)
    codes = {phase: r.status_code for phase, r in answers.items()}
    assert sorted(codes.values()) == [200, 409], {p: r.text for p, r in answers.items()}
    won = next(phase for phase, code in codes.items() if code == 200)
    lost = next(r for r in answers.values() if r.status_code == 409)
    assert lost.json()["type"] == "invalid_transition"
    assert "at the same moment" in lost.json()["detail"]
    assert org_client.get(url).json()["phase"] == won
    moves = [e for e in org_client.get(f"{url}/audit").json() if e["action"] == "event.phase"]
    assert [m["detail"]["to"] for m in moves[:1]] == [won]
    assert [m["detail"]["to"] for m in moves[1:]] == ["scheduled"]  # by the generate
