"""A live move that breaks a rule is answered with the breaks in the organiser's language, people
by name (`details.messages`, which the live page shows), while `details.warnings` keeps the
planner's English text with ids for API clients."""

from __future__ import annotations

import re

import httpx
from sqlmodel import Session

from app.db import make_engine
from app.models import Participant
from app.web.strings import country_name
from tests.fixtures.live_server import LiveServer
from tests.live.helpers import create_live_event, post


def test_a_move_that_breaks_rules_is_told_in_the_reader_words(running: LiveServer) -> None:
    live = create_live_event(running.database_url, 6, rounds=1)
    mover = live.plan[0][0][0]
    host = live.plan[0][1][0]
    engine = make_engine(live.database_url)
    try:
        with Session(engine) as session:
            moving, hosting = session.get(Participant, mover), session.get(Participant, host)
            assert moving is not None
            assert hosting is not None
            # Corrected before the move: the two now share a school and a country.
            moving.school, moving.country = hosting.school, hosting.country
            session.add(moving)
            session.commit()
            names, country = {mover: moving.name, host: hosting.name}, hosting.country
    finally:
        engine.dispose()
    assert post(running.base_url, live, "start-round").status_code == 200
    response = httpx.post(
        f"{running.base_url}/api/v1/events/{live.event_id}/live/move",
        headers={**live.headers(), "Accept-Language": "de"},
        json={"participant_id": mover, "room": 2},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    details = response.json()["details"]
    assert f"round 1, room 2: 2 people from {country}, at most 1 allowed" in details["warnings"]
    assert any(mover in w and ": same school" in w for w in details["warnings"])
    said = "; ".join(details["messages"])
    assert country_name(country, "de") in said
    pair = {f"{names[mover]} und {names[host]}", f"{names[host]} und {names[mover]}"}
    assert any(f"{p} sind von derselben Schule" in said for p in pair), said
    assert not re.search(r"\b[0-9a-f]{16}\b", said)
