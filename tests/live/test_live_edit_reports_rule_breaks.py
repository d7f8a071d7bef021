"""A country corrected while she sits in a room of the running round: the organiser is told,
in their language and with names, that the room now breaks the country rule.

The running round is not re-planned (it is being played) and the next one only at its start, so
before 2026-11-29 the edit answered like any other and the room silently held two people from
one country; only the room-mate's "why" lost its "first meeting with …".
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.db import make_engine
from app.models import Event, Organiser
from tests.factories import PASSWORD
from tests.live.helpers import LiveEvent
from tests.live.test_why_after_country_corrected import seated

# Round 1 seats Y (Netherlands) with X (Germany): X is Dutch after all.
DUTCH = "Nederland"


def start_round_one(client: TestClient, live: LiveEvent) -> None:
    started = client.post(
        f"/api/v1/events/{live.event_id}/live/start-round", headers=live.headers()
    )
    assert started.status_code == 200


def edit(client: TestClient, live: LiveEvent, pid: str, changes: dict[str, Any]) -> Any:
    answer = client.patch(
        f"/api/v1/events/{live.event_id}/participants/{pid}",
        headers={**live.headers(), "Accept-Language": "nl"},
        json=changes,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_the_api_answer_names_the_running_room_a_country_correction_breaks(
    configured: str, client: TestClient
) -> None:
    live, ids = seated(configured)
    start_round_one(client, live)

    body = edit(client, live, ids["X"], {"country": "NL"})
    assert body["country"] == "NL"  # saved: the correction is true
    assert len(body["warnings"]) == 1
    assert "round 1, room 1" in body["warnings"][0]
    (said,) = body["messages"]
    # The organiser's language (the country's name is Babel's), both people by name.
    assert DUTCH in said
    assert live.names[ids["X"]] in said
    assert live.names[ids["Y"]] in said

    # An edit that touches no rule says nothing, though the room still breaks it.
    assert edit(client, live, ids["X"], {"phone": "+31 6 1234 5678"})["messages"] == []


def test_the_fix_form_says_so_on_the_participants_list_once(
    configured: str, client: TestClient
) -> None:
    live, ids = seated(configured)
    start_round_one(client, live)
    engine = make_engine(configured)
    try:
        with Session(engine) as session:
            event = session.get(Event, live.event_id)
            assert event is not None
            email = session.exec(
                select(Organiser.email).where(Organiser.id == event.organiser_id)
            ).one()
    finally:
        engine.dispose()
    signed_in = client.post(
        "/organiser/sign-in",
        data={"email": email, "password": PASSWORD, "next": "/organiser"},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303

    url = f"/organiser/events/{live.event_id}/participants"
    form = {
        "name": live.names[ids["X"]],
        "email": "x@school.example",
        "school": "School X",
        "country": "NL",
        "sector": "secondary",
        "languages": "en",
    }
    saved = client.post(f"{url}/{ids['X']}", data=form, headers={"Accept-Language": "nl"})
    assert saved.status_code == 200
    assert 'id="edit-rule-breaks"' in saved.text
    notice = saved.text.split('id="edit-rule-breaks"')[1].split("</div>")[0]
    assert DUTCH in notice
    assert live.names[ids["X"]] in notice
    assert live.names[ids["Y"]] in notice
    # Said once: a reload shows the plain list.
    assert 'id="edit-rule-breaks"' not in client.get(url).text
