"""The participant's page starts from their live state, so it is right even without a socket."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import EventPhase, Participant, Round, RoundStatus, utcnow
from tests.factories import make_api_token
from tests.web.conftest import Seated, seat_event


def start_round_one(db: Session, seated: Seated, *, paused: bool = False) -> None:
    """Round 1 live in the database, as the organiser's start (and pause) leave it."""
    first = db.exec(select(Round).where(Round.event_id == seated.event.id, Round.number == 1)).one()
    now = utcnow()
    first.status = RoundStatus.PAUSED if paused else RoundStatus.RUNNING
    first.starts_at, first.ends_at = now, now + timedelta(minutes=8)
    first.paused_remaining_s = 300.0 if paused else None
    seated.event.phase, seated.event.current_round = EventPhase.LIVE, 1
    seated.event.state_version += 1
    db.add(first)
    db.add(seated.event)
    db.commit()


def live_config(html: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="sm-live">(.*?)</script>', html, re.S)
    assert found is not None
    config: dict[str, object] = json.loads(found.group(1))
    return config


def test_page_carries_the_running_round_and_only_my_room(web: TestClient, db: Session) -> None:
    seated = seat_event(db, n=6)
    start_round_one(db, seated, paused=True)
    me, mate, *others = seated.people
    config = live_config(web.get(f"/p/{seated.tokens[me.id]}").text)

    state = config["state"]
    assert isinstance(state, dict)
    assert state["current_round"] == 1
    assert state["round"]["status"] == "paused"
    assert state["round"]["remaining_s"] == 300.0
    assert sorted(m["name"] for m in state["room"]["members"]) == sorted([me.name, mate.name])
    # Only what is mine: no other room, nobody else's name, no presence list.
    text = json.dumps(state)
    assert all(other.name not in text for other in others)
    assert state["rooms"] == []
    assert state["presence"] == []


def test_page_before_the_first_round_says_it_has_not_started(web: TestClient, db: Session) -> None:
    seated = seat_event(db, n=4)
    state = live_config(web.get(f"/p/{seated.tokens[seated.people[0].id]}").text)["state"]
    assert isinstance(state, dict)
    assert state["current_round"] == 0
    assert state["room"] is None


def test_page_shows_this_rounds_messages_for_me_and_not_other_rooms(
    web: TestClient, db: Session
) -> None:
    seated = seat_event(db, n=6)
    start_round_one(db, seated)
    headers = {"Authorization": f"Bearer {make_api_token(db, seated.organiser)}"}
    for body in ({"text": "Welcome, everyone"}, {"text": "Room 3 only", "room": 3}):
        sent = web.post(
            f"/api/v1/events/{seated.event.id}/live/broadcast", json=body, headers=headers
        )
        assert sent.status_code == 200, sent.text
    me, third_room = seated.people[0], seated.people[4]

    def texts(person: Participant) -> list[str]:
        state = live_config(web.get(f"/p/{seated.tokens[person.id]}").text)["state"]
        assert isinstance(state, dict)
        return [b["text"] for b in state["broadcasts"]]

    assert texts(me) == ["Welcome, everyone"]
    assert texts(third_room) == ["Welcome, everyone", "Room 3 only"]
