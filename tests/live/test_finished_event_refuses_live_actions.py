"""A finished event's attendance, rooms and messages stay as they were at the end: "Mark absent"
on a finished event used to answer 200, and the exports then counted the person absent with
all their meetings held."""

from __future__ import annotations

import csv
import io

import httpx
import pytest

from tests.fixtures.live_server import LiveServer
from tests.live.helpers import LiveEvent, attendance_of, create_live_event, post, stored_rooms

ROOMS_CLOSED = "The event is finished: attendance and rooms can no longer change."
MESSAGES_CLOSED = "The event is finished: messages can no longer be sent."


def finish(base_url: str, live: LiveEvent) -> None:
    answer = httpx.post(
        f"{base_url}/api/v1/events/{live.event_id}/phase",
        headers=live.headers(),
        json={"phase": "finished"},
        timeout=60,
    )
    assert answer.status_code == 200


def participants_export(base_url: str, live: LiveEvent) -> dict[str, dict[str, str]]:
    answer = httpx.get(
        f"{base_url}/api/v1/events/{live.event_id}/exports/participants.csv",
        headers=live.headers(),
        timeout=60,
    )
    assert answer.status_code == 200
    rows = csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig")))
    return {row["Name"]: row for row in rows}


@pytest.fixture
def finished(running: LiveServer) -> LiveEvent:
    """An event finished after its first round was played."""
    live = create_live_event(running.database_url, 6, rounds=3)
    assert post(running.base_url, live, "start-round").status_code == 200
    assert post(running.base_url, live, "end-round").status_code == 200
    finish(running.base_url, live)
    return live


def test_marking_someone_absent_or_present_after_the_end_is_refused(
    running: LiveServer, finished: LiveEvent
) -> None:
    person = finished.plan[0][0][0]
    name = finished.names[person]
    before = participants_export(running.base_url, finished)[name]
    assert before["Attendance"] == "present"
    for action in ("absent", "present"):
        answer = post(running.base_url, finished, action, {"participant_id": person})
        assert answer.status_code == 409, answer.text
        assert answer.json() == {"type": "invalid_transition", "detail": ROOMS_CLOSED}
    assert attendance_of(finished.database_url, person) == "present"
    # The exports, which the organiser still needs after the end, say what happened.
    assert participants_export(running.base_url, finished)[name] == before


def test_moving_someone_after_the_end_is_refused(running: LiveServer, finished: LiveEvent) -> None:
    person = finished.plan[1][0][0]
    rooms = stored_rooms(finished.database_url, finished.event_id, 2)
    answer = post(running.base_url, finished, "move", {"participant_id": person, "room": 2})
    assert answer.status_code == 409, answer.text
    assert answer.json()["detail"] == ROOMS_CLOSED
    assert stored_rooms(finished.database_url, finished.event_id, 2) == rooms


def test_a_message_after_the_end_is_refused(running: LiveServer, finished: LiveEvent) -> None:
    answer = post(running.base_url, finished, "broadcast", {"text": "One more thing"})
    assert answer.status_code == 409, answer.text
    assert answer.json() == {"type": "invalid_transition", "detail": MESSAGES_CLOSED}


def test_the_refusal_is_in_the_organisers_language(
    running: LiveServer, finished: LiveEvent
) -> None:
    answer = httpx.post(
        f"{running.base_url}/api/v1/events/{finished.event_id}/live/broadcast",
        headers={**finished.headers(), "Accept-Language": "nl"},
        json={"text": "Nog iets"},
        timeout=60,
    )
    assert answer.status_code == 409
    assert answer.json()["detail"] == MESSAGES_CLOSED  # the API's English stays
    assert "message" in answer.json()  # and the page shows the translated one
