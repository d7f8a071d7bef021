"""The plan a no-show re-plan stores carries its own numbers, as a generated plan does: the
schedule page's bound, gap, fewest points and sit-outs agree with its rooms, not read as 0;
also when the planner fails and the round starts with the gaps closed by hand."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

import matching
from app.models import AttendanceStatus, Organiser
from tests.factories import make_api_token, make_event, make_participants


def first_start_with_two_no_shows(
    client: TestClient, session: Session, organiser: Organiser
) -> tuple[dict[str, Any], dict[str, Any]]:
    """9 people in rooms of two, 2 of whom never connect (7 left: someone sits out); the plan
    generated, and the schedule after the first round started."""
    client.headers["Authorization"] = f"Bearer {make_api_token(session, organiser)}"
    event = make_event(session, organiser, rounds=3)
    people = make_participants(session, event, 9)
    no_shows = {p.id for p in people[:2]}
    for person in people:
        here = person.id not in no_shows
        person.attendance = AttendanceStatus.PRESENT if here else AttendanceStatus.EXPECTED
        session.add(person)
    session.commit()
    base = f"/api/v1/events/{event.id}"
    planned = client.post(f"{base}/schedule", json={"time_limit_s": 2})
    assert planned.status_code == 201, planned.text
    assert client.post(f"{base}/phase", json={"phase": "live"}).status_code == 200
    started = client.post(f"{base}/live/start-round")
    assert started.status_code == 200, started.text
    assert set(started.json()["details"]["absent"]) == no_shows
    schedule = client.get(f"{base}/schedule").json()
    assert schedule["version"] > planned.json()["version"]  # the re-plan's own plan
    return planned.json(), schedule


def assert_numbers_agree(schedule: dict[str, Any]) -> None:
    score = schedule["score"]
    sitting_out = [pid for r in schedule["rounds"] for pid in r["sitting_out"]]
    assert sitting_out, "the test needs someone sitting out"
    assert score.get("sit_outs") == len(sitting_out)  # the page showed a missing one as 0
    assert score["total"] > 0
    assert schedule["upper_bound"] >= score["total"]
    assert schedule["gap"] == schedule["upper_bound"] - score["total"]
    # Everyone here meets someone over three rounds, so the fewest points are not 0.
    assert score.get("min_participant", 0) > 0
    assert score.get("pair", 0) + score.get("diversity", 0) == score["total"]


def test_the_replanned_schedule_reports_its_bound_minimum_and_sit_outs(
    client: TestClient, session: Session, organiser: Organiser
) -> None:
    _planned, schedule = first_start_with_two_no_shows(client, session, organiser)
    assert_numbers_agree(schedule)


def test_a_failed_replan_still_stores_the_numbers_of_the_rounds_it_patched(
    client: TestClient, session: Session, organiser: Organiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    def planner_fails(*_args: object, **_kwargs: object) -> matching.Plan:
        raise ValueError("a pin the policy cannot honour")

    monkeypatch.setattr(matching, "replan", planner_fails)
    planned, schedule = first_start_with_two_no_shows(client, session, organiser)
    assert [w for w in schedule["warnings"] if "re-plan failed" in w]
    assert_numbers_agree(schedule)
    assert schedule["upper_bound"] >= planned["upper_bound"]  # no solve proved a lower one
