"""The participant's page as the server renders it (no JavaScript): a Save without a choice
records nothing, the live round's room card, the real length of an extended round, and why
the room changed, still there after a reload."""

from __future__ import annotations

import html
import json
import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import ContactDecision
from tests.factories import make_api_token
from tests.web.conftest import Seated, seat_event
from tests.web.test_participant_live_state import live_config, start_round_one


def act(web: TestClient, db: Session, seated: Seated, action: str, body: object = None) -> None:
    headers = {"Authorization": f"Bearer {make_api_token(db, seated.organiser)}"}
    done = web.post(
        f"/api/v1/events/{seated.event.id}/live/{action}", json=body or {}, headers=headers
    )
    assert done.status_code == 200, done.text


def round_area(page: str) -> str:
    found = re.search(r'<div id="round-area">(.*?)<noscript>', page, re.S)
    assert found is not None
    return html.unescape(found.group(1))


def test_saving_without_choosing_records_nothing_and_says_to_choose(
    web: TestClient, db: Session
) -> None:
    seated = seat_event(db, n=4)
    start_round_one(db, seated)
    ana, bo = seated.people[0], seated.people[1]
    answer = web.post(
        f"/p/{seated.tokens[ana.id]}/decisions/{bo.id}",
        data={"met": "yes", "note": "Ask about KA2"},
    )

    assert answer.status_code == 422
    assert db.exec(select(ContactDecision)).all() == []
    page = html.unescape(answer.text)
    assert "Nothing was saved: choose Yes or No for sharing your contact details first." in page
    # What was sent is still there to finish, and nothing claims it was saved.
    assert f'id="met-yes-{bo.id}" checked' in page
    assert "Ask about KA2</textarea>" in page
    assert "Saved." not in page

    # An explicit "no" is still recorded as before.
    web.post(f"/p/{seated.tokens[ana.id]}/decisions/{bo.id}", data={"share": "no"})
    saved = db.exec(select(ContactDecision)).one()
    assert saved.share is False


def test_the_page_without_javascript_shows_the_room_to_go_to(web: TestClient, db: Session) -> None:
    seated = seat_event(db, n=4)
    start_round_one(db, seated)
    me, mate = seated.people[0], seated.people[1]
    area = round_area(web.get(f"/p/{seated.tokens[me.id]}").text)

    assert "Round 1 of 2" in area
    assert f"You meet {mate.name}" in area
    assert mate.school in area
    assert 'href="https://meet.example/r1-0"' in area
    assert "Join video room" in area
    assert seated.people[2].name not in area


def test_the_plan_shows_the_length_of_an_extended_round(web: TestClient, db: Session) -> None:
    seated = seat_event(db, n=4)
    start_round_one(db, seated)  # eight minutes
    act(web, db, seated, "extend", {"seconds": 120})
    page = web.get(f"/p/{seated.tokens[seated.people[0].id]}").text
    first = re.search(r'<li data-round="1".*?</li>', page, re.S)
    assert first is not None
    assert "(<span data-minutes>10 minutes</span>)" in first.group(0)


def test_a_reload_still_says_why_the_room_changed(web: TestClient, db: Session) -> None:
    seated = seat_event(db, n=6, present=True)
    act(web, db, seated, "start-round")
    me = seated.people[0]
    act(web, db, seated, "move", {"participant_id": me.id, "room": 2})

    page = web.get(f"/p/{seated.tokens[me.id]}", headers={"Accept-Language": "nl"}).text
    assert live_config(page)["state"]["notice"] == "The organiser changed your room."  # type: ignore[index]
    assert "De organisator heeft je kamer veranderd." in round_area(page)
    # Only for those whose room changed, and only in that round.
    other = live_config(web.get(f"/p/{seated.tokens[seated.people[4].id]}").text)
    assert other["state"]["notice"] is None  # type: ignore[index]
    act(web, db, seated, "end-round")
    act(web, db, seated, "start-round")
    again = live_config(web.get(f"/p/{seated.tokens[me.id]}").text)
    assert json.dumps(again["state"]).count("changed your room") == 0


def test_a_reload_still_says_the_room_changed_because_someone_did_not_come(
    web: TestClient, db: Session
) -> None:
    seated = seat_event(db, n=6, present=True)
    me, gone = seated.people[0], seated.people[1]  # room 1 of round 1, as planned
    act(web, db, seated, "absent", {"participant_id": gone.id})
    act(web, db, seated, "start-round")

    state = live_config(web.get(f"/p/{seated.tokens[me.id]}").text)["state"]
    assert isinstance(state, dict)
    assert gone.id not in json.dumps(state["room"])
    assert state["notice"] == (
        "Your room changed: someone could not come, so the rounds were re-planned."
    )
