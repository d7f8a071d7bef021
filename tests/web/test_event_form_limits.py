"""The event form says what each number needs, in its own units, next to its field, and refuses
a start time that the clocks skip instead of moving it an hour."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlmodel import Session, select

from app.events.schemas import EventCreate
from app.models import Event
from tests.web.test_organiser_pages import sign_in

FORM = {
    "name": "Partnerdag",
    "starts_at": "2026-06-12T10:00",
    "timezone": "Europe/Brussels",
    "rounds": "4",
    "round_minutes": "8",
    "break_minutes": "2",
    "room_size": "2",
}


def error_texts(html: str) -> dict[str, str]:
    return dict(re.findall(r'<span class="error-text" id="f-(\w+)-error">([^<]*)</span>', html))


def test_numbers_are_refused_next_to_their_field_in_the_forms_units(
    web: TestClient, db: Session
) -> None:
    sign_in(web, db)
    typed = {"rounds": "2.5", "round_minutes": "0.5", "weight_same_sector": "150"}
    page = web.post("/organiser/events/new", data={**FORM, **typed})
    assert page.status_code == 422
    assert error_texts(page.text) == {
        "rounds": "Enter a whole number of rounds from 1 to 12.",
        "round_minutes": "Enter from 1 to 120 minutes.",
        "weight_same_sector": "Enter a whole number from 0 to 100.",
    }
    assert 'href="#f-weights"' not in page.text  # the summary links to a field that exists
    assert db.exec(select(Event)).all() == []


def test_a_start_the_clocks_skip_is_refused_not_moved_an_hour(web: TestClient, db: Session) -> None:
    sign_in(web, db)
    # On 29 March 2026 Brussels goes from 02:00 straight to 03:00.
    page = web.post("/organiser/events/new", data={**FORM, "starts_at": "2026-03-29T02:30"})
    assert page.status_code == 422
    assert "the clocks go forward then" in error_texts(page.text)["starts_at"]
    assert 'value="2026-03-29T02:30"' in page.text  # what was typed is kept
    assert db.exec(select(Event)).all() == []

    saved = web.post(
        "/organiser/events/new",
        data={**FORM, "starts_at": "2026-03-29T03:30"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    shown = web.get(saved.headers["location"]).text
    assert 'value="2026-03-29T03:30"' in shown


def test_the_api_refuses_a_skipped_start_too() -> None:
    with pytest.raises(ValidationError, match="clocks go forward"):
        EventCreate.model_validate(
            {"name": "X", "starts_at": "2026-03-29T02:30", "timezone": "Europe/Brussels"}
        )
    # With an offset the moment is exact, and an autumn hour that happens twice is allowed.
    EventCreate.model_validate(
        {"name": "X", "starts_at": "2026-03-29T02:30+01:00", "timezone": "Europe/Brussels"}
    )
    EventCreate.model_validate(
        {"name": "X", "starts_at": "2026-10-25T02:30", "timezone": "Europe/Brussels"}
    )


def test_an_emptied_number_is_asked_for_instead_of_reset_to_its_default(
    web: TestClient, db: Session
) -> None:
    sign_in(web, db)
    created = web.post(
        "/organiser/events/new",
        data={**FORM, "rounds": "6", "room_size": "3"},
        follow_redirects=False,
    )
    event_id = created.headers["location"].split("/")[-1].split("?")[0]
    page = web.post(f"/organiser/events/{event_id}", data={**FORM, "rounds": "", "room_size": " "})
    assert page.status_code == 422
    assert error_texts(page.text) == {
        "rounds": "Enter a whole number of rounds from 1 to 12.",
        "room_size": "Enter a whole number of people from 2 to 6.",
    }
    event = db.exec(select(Event)).one()
    db.refresh(event)
    assert (event.rounds, event.room_size) == (6, 3)
