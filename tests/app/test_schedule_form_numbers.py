"""Numbers typed into (or forged in) the organiser's schedule forms: round, room, pin round and
the pin to remove. Python's int() and str.isdigit() accept "²", "٣" or "３"; a bad number must be
told on the schedule page, never answered with a 500 or FastAPI's bare JSON."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, select

from app.main import create_app
from app.models import Participant, SchedulePlan
from tests.web.test_schedule_pages import scheduled_event

ODD_DIGITS = ["²", "٣", "３", "-1"]


@pytest.fixture
def web(configured: str) -> Iterator[TestClient]:
    with TestClient(create_app(), base_url="http://127.0.0.1") as test_client:
        yield test_client


def _versions(session: Session, event_id: str) -> int:
    session.expire_all()
    return len(session.exec(select(SchedulePlan).where(SchedulePlan.event_id == event_id)).all())


def _told_on_the_page(answer: Response, text: str) -> None:
    assert 400 <= answer.status_code < 500, answer.text
    assert answer.headers["content-type"].startswith("text/html"), answer.text
    assert 'id="schedule-error"' in answer.text
    assert text in answer.text


@pytest.fixture
def scheduled(web: TestClient, session: Session) -> tuple[str, dict[str, str]]:
    event_id = scheduled_event(web, session)
    assert web.post(f"/organiser/events/{event_id}/schedule/generate").status_code == 200
    people = {p.external_id: p.id for p in session.exec(select(Participant)).all()}
    return event_id, people


@pytest.mark.parametrize("typed", ODD_DIGITS)
def test_a_pin_for_a_round_written_in_odd_digits_is_told_not_a_500(
    web: TestClient, session: Session, scheduled: tuple[str, dict[str, str]], typed: str
) -> None:
    event_id, people = scheduled
    answer = web.post(
        f"/organiser/events/{event_id}/schedule/pins",
        data={"a": people["n1"], "b": people["d2"], "together": "no", "round": typed},
    )
    _told_on_the_page(answer, "Enter a round from 1 to 2 for the pin, or leave it empty.")
    assert _versions(session, event_id) == 1  # nothing re-planned


def test_a_pin_for_a_round_the_event_does_not_have_is_told(
    web: TestClient, session: Session, scheduled: tuple[str, dict[str, str]]
) -> None:
    event_id, people = scheduled
    answer = web.post(
        f"/organiser/events/{event_id}/schedule/pins",
        data={"a": people["n1"], "b": people["d2"], "together": "no", "round": "3"},
    )
    _told_on_the_page(answer, "Enter a round from 1 to 2 for the pin, or leave it empty.")
    assert 'value="3"' in answer.text  # what was typed is kept


@pytest.mark.parametrize("typed", ODD_DIGITS)
def test_removing_a_pin_named_in_odd_digits_is_told_not_a_500(
    web: TestClient, session: Session, scheduled: tuple[str, dict[str, str]], typed: str
) -> None:
    event_id, _ = scheduled
    answer = web.post(f"/organiser/events/{event_id}/schedule/pins", data={"remove": typed})
    _told_on_the_page(answer, "That pin does not exist any more.")
    assert _versions(session, event_id) == 1


@pytest.mark.parametrize("typed", ODD_DIGITS)
def test_a_change_in_a_round_written_in_odd_digits_is_told_on_the_page(
    web: TestClient, session: Session, scheduled: tuple[str, dict[str, str]], typed: str
) -> None:
    event_id, people = scheduled
    answer = web.post(
        f"/organiser/events/{event_id}/schedule/change",
        data={"round": typed, "a": people["n1"], "room": "0"},
    )
    _told_on_the_page(answer, "Choose one of the schedule&#39;s rounds.")
    assert _versions(session, event_id) == 1


@pytest.mark.parametrize("typed", ODD_DIGITS)
def test_a_move_to_a_room_written_in_odd_digits_is_told_on_the_page(
    web: TestClient, session: Session, scheduled: tuple[str, dict[str, str]], typed: str
) -> None:
    event_id, people = scheduled
    answer = web.post(
        f"/organiser/events/{event_id}/schedule/change",
        data={"round": "1", "a": people["n1"], "room": typed},
    )
    _told_on_the_page(answer, "Enter a room number: 0 to sit out, or one of the round")
    assert _versions(session, event_id) == 1
