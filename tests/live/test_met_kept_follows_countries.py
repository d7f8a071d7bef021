"""The answers a process keeps of who met whom before a round (`MetKept`, held by its view cache
for the websocket `state`) follow a country corrected while live and a person erased: a kept
answer worked out from the old countries is never taken again. The participant page reads its
view without the cache (tests/live/test_why_after_country_corrected.py), so only this reads
the socket's path."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.db import make_engine
from app.live.dispatch import participant_state
from app.live.met_before import MetKept
from app.live.snapshot import load_view
from tests.live.test_why_after_country_corrected import seated


def new_countries(
    database_url: str, kept: MetKept, event_id: str, participant_id: str
) -> list[str]:
    """The countries the participant's `state` counts as met for the first time, read as the
    view cache reads them (with the process's kept answers)."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            view = load_view(session, event_id, met_kept=kept)
    finally:
        engine.dispose()
    assert view is not None
    countries: list[str] = participant_state(view, participant_id)["why_facts"]["new_countries"]
    return countries


def test_kept_answers_follow_a_corrected_country_and_an_erased_person(
    configured: str, client: TestClient
) -> None:
    live, ids = seated(configured)
    api = f"/api/v1/events/{live.event_id}"
    for action in ("start-round", "end-round", "start-round"):
        assert client.post(f"{api}/live/{action}", headers=live.headers()).status_code == 200
    kept = MetKept()
    # Round 2: Y (Netherlands) met X (Germany) in round 1 and now meets Z from Portugal.
    assert new_countries(configured, kept, live.event_id, ids["Y"]) == ["PT"]
    # Read again with nothing changed: the kept answer is the one taken.
    assert new_countries(configured, kept, live.event_id, ids["Y"]) == ["PT"]

    # X's country was typed wrong: X is from Portugal too. Y has met Portugal already.
    corrected = client.patch(
        f"{api}/participants/{ids['X']}", headers=live.headers(), json={"country": "PT"}
    )
    assert corrected.status_code == 200
    assert new_countries(configured, kept, live.event_id, ids["Y"]) == []
    assert new_countries(configured, kept, live.event_id, ids["Z"]) == ["NL"]

    # X asks to be erased: nobody counts having met X's country any more.
    erased = client.post(f"{api}/participants/{ids['X']}/erase", headers=live.headers())
    assert erased.status_code == 204
    assert new_countries(configured, kept, live.event_id, ids["Y"]) == ["PT"]
