"""An organiser's edit of someone's details while live: the rounds not yet started keep the rules.

Adding someone to an avoid list, or correcting a school, mid-event must not leave a later round
seating a pair the rules now forbid; the next round start re-plans the rounds left.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlmodel import Session, col, select

from app.db import make_engine
from app.models import AuditLog, Participant, SchedulePlan
from tests.fixtures.live_server import LiveServer
from tests.live.helpers import Client, LiveEvent, create_live_event, post, stored_rooms


def _planned_event(database_url: str, n: int) -> LiveEvent:
    """A live-ready event whose rounds keep every rule and come with a stored plan, as the
    planner leaves them (the fixture's rounds are random pairs, written without a plan)."""
    live = create_live_event(database_url, n, rounds=3, distinct_countries=False)
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            for k, person in enumerate(
                session.exec(select(Participant).where(Participant.event_id == live.event_id))
            ):
                person.languages = sorted({*person.languages, "en"})
                person.school = f"School {k}"
                person.avoid = []
                session.add(person)
            session.add(SchedulePlan(event_id=live.event_id, version=1))
            session.commit()
    finally:
        engine.dispose()
    return live


def _external_id(live: LiveEvent, participant_id: str) -> str:
    engine = make_engine(live.database_url)
    try:
        with Session(engine) as session:
            person = session.get(Participant, participant_id)
            assert person is not None
            return person.external_id
    finally:
        engine.dispose()


def _edit(base_url: str, live: LiveEvent, participant_id: str, changes: dict[str, Any]) -> None:
    response = httpx.patch(
        f"{base_url}/api/v1/events/{live.event_id}/participants/{participant_id}",
        headers=live.headers(),
        json=changes,
        timeout=60,
    )
    assert response.status_code == 200, response.text


def _together(live: LiveEvent, a: str, b: str, numbers: range) -> list[int]:
    return [
        n
        for n in numbers
        if any({a, b} <= set(room) for room in stored_rooms(live.database_url, live.event_id, n))
    ]


def _replans(live: LiveEvent) -> list[dict[str, Any]]:
    engine = make_engine(live.database_url)
    try:
        with Session(engine) as session:
            return [
                entry.detail
                for entry in session.exec(
                    select(AuditLog)
                    .where(AuditLog.event_id == live.event_id, AuditLog.action == "replan")
                    .order_by(col(AuditLog.id))
                )
            ]
    finally:
        engine.dispose()


def _start(base_url: str, live: LiveEvent) -> dict[str, Any]:
    response = post(base_url, live, "start-round")
    assert response.status_code == 200, response.text
    details: dict[str, Any] = response.json()["details"]
    return details


def test_an_avoid_added_during_round_1_keeps_the_pair_apart_from_round_2(
    running: LiveServer,
) -> None:
    live = _planned_event(running.database_url, 12)
    a, b = live.plan[2][0][:2]  # together in round 3
    assert _together(live, a, b, range(1, 4)) == [3]

    async def scenario() -> None:
        # An organiser's page open: its process prepares the next round (and its rule check)
        # ahead, and the start must not reuse a verdict made before the edit.
        organiser = await Client.organiser(running.ws_url, live.event_id, live.api_token)
        try:
            assert (await organiser.recv())["type"] == "state"
            await asyncio.to_thread(_start, running.base_url, live)
            _edit(running.base_url, live, a, {"avoid": [_external_id(live, b)]})
            assert post(running.base_url, live, "end-round").status_code == 200
            details = await asyncio.to_thread(_start, running.base_url, live)
            assert any(b in text and "asked not to meet" in text for text in details["rule_breaks"])
        finally:
            await organiser.close()

    asyncio.run(scenario())
    assert _together(live, a, b, range(2, 4)) == []
    replans = _replans(live)
    assert [entry["round"] for entry in replans] == [2]  # the organiser's audit says so
    assert replans[0]["rule_breaks"]


def test_a_school_corrected_between_rounds_keeps_the_pair_apart(running: LiveServer) -> None:
    live = _planned_event(running.database_url, 12)
    a, b = live.plan[2][0][:2]
    engine = make_engine(live.database_url)
    try:
        with Session(engine) as session:
            person = session.get(Participant, a)
            assert person is not None
            school = person.school
    finally:
        engine.dispose()

    async def scenario() -> None:
        organiser = await Client.organiser(running.ws_url, live.event_id, live.api_token)
        try:
            assert (await organiser.recv())["type"] == "state"
            await asyncio.to_thread(_start, running.base_url, live)
            assert post(running.base_url, live, "end-round").status_code == 200
            await organiser.recv_type("round_ended")
            # Time for the server to prepare round 2 with its rule check, so that the edit
            # comes after it: the start must not reuse that verdict.
            await asyncio.sleep(1)
            _edit(running.base_url, live, b, {"school": school})
            await asyncio.to_thread(_start, running.base_url, live)
        finally:
            await organiser.close()

    asyncio.run(scenario())
    assert _together(live, a, b, range(2, 4)) == []


def test_an_edit_that_breaks_no_rule_re_plans_nothing(running: LiveServer) -> None:
    live = _planned_event(running.database_url, 12)
    a = live.plan[2][0][0]
    _start(running.base_url, live)
    _edit(running.base_url, live, a, {"interests": ["robotics"], "name": "Renamed"})
    assert post(running.base_url, live, "end-round").status_code == 200
    details = _start(running.base_url, live)
    assert "absent" not in details  # no re-plan at this start
    assert [stored_rooms(live.database_url, live.event_id, n) for n in (2, 3)] == [
        [sorted(room) for room in live.plan[n - 1]] for n in (2, 3)
    ]
