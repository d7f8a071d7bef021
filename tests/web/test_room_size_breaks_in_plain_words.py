"""A round with more (or fewer) rooms of k + 1 than its seated people call for, in the pages'
words: how many rooms have k + 1 people against what the round's rooms are planned for, not the
planner's "1 room of 3, but 6 seated needs exactly 0" (which the API keeps)."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlmodel import Session

import matching
from app.contacts import service as contacts_service
from app.web import rule_words
from tests.web.test_schedule_rule_breaks_in_page_words import _planned


def test_a_room_of_three_in_rooms_of_two_is_told_in_plain_words(
    web: TestClient, db: Session
) -> None:
    event, _ = _planned(web, db)  # six people, rooms of two
    rooms = [p for p in contacts_service.placements(db, event) if p.round == 1]
    mover, target = rooms[0].members[0], rooms[1].room
    kept = web.post(
        f"/organiser/events/{event.id}/schedule/change",
        data={"round": "1", "a": mover, "room": str(target), "force": "yes"},
    )
    assert kept.status_code == 200
    stored = "round 1: 1 room of 3, but 6 seated needs exactly 0"
    assert stored in web.get(f"/api/v1/events/{event.id}/schedule").json()["warnings"]
    page = html.unescape(web.get(f"/organiser/events/{event.id}/schedule?lang=en").text)
    assert "round 1: 1 room has 3 people, but with 6 seated every room is planned for 2" in page
    assert "needs exactly" not in page


def test_a_round_that_calls_for_rooms_of_k_plus_one_says_how_many() -> None:
    big = matching.Violation(matching.ViolationKind.BIG_ROOMS, round=1, count=2, limit=4, seated=57)
    said = "round 1: 2 rooms have 5 people, but with 57 seated 1 room is planned for 5 (the others"
    assert rule_words.words(big, "en", str) == f"{said} for 4)"
    few = matching.Violation(matching.ViolationKind.BIG_ROOMS, round=2, count=0, limit=4, seated=58)
    said = "round 2: 0 rooms have 5 people, but with 58 seated 2 rooms are planned for 5 (the"
    assert rule_words.words(few, "en", str) == f"{said} others for 4)"
