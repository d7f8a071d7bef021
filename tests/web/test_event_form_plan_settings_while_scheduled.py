"""The event form on a scheduled event: "At most this many per country" and "People per room" are
saved (no registration to reopen), the form says the schedule must be generated again, the
schedule page and going live say so until it is; while live the same change is refused in
words, not field codes."""

from __future__ import annotations

import html
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Event, EventPhase
from app.web import event_form
from tests.web.test_schedule_pages import scheduled_event

RESHAPED = "the event's settings changed since it was made"
HINT = "The schedule was made for these settings."


def _form(event: Event, **changed: Any) -> dict[str, str]:
    """The event form as the page shows it, with `changed` typed over it."""
    values = {**event_form.form_values(event), **changed}
    form = {
        key: str(value)
        for key, value in values.items()
        if key != "weights" and key not in event_form.CHECKBOXES
    }
    form.update({f"weight_{k}": str(v) for k, v in values["weights"].items()})
    form.update({key: "on" for key in event_form.CHECKBOXES if values[key]})
    return form


def _planned(web: TestClient, db: Session) -> Event:
    event_id = scheduled_event(web, db)
    assert web.post(f"/organiser/events/{event_id}/schedule/generate").status_code == 200
    event = db.get(Event, event_id)
    assert event is not None
    db.refresh(event)
    assert event.phase == EventPhase.SCHEDULED
    return event


def _go_live(web: TestClient, event: Event) -> tuple[int, str]:
    response = web.post(f"/api/v1/events/{event.id}/phase", json={"phase": "live"})
    return response.status_code, str(response.json().get("detail", ""))


def test_a_scheduled_event_saves_a_country_rule_and_room_size_and_asks_for_a_new_schedule(
    web: TestClient, db: Session
) -> None:
    event = _planned(web, db)
    assert HINT in html.unescape(web.get(f"/organiser/events/{event.id}").text)
    saved = web.post(
        f"/organiser/events/{event.id}",
        data=_form(event, max_per_country=2, room_size=3),
        follow_redirects=False,
    )
    assert saved.status_code == 303, html.unescape(saved.text)
    assert "Saved." in web.get(saved.headers["location"]).text
    db.refresh(event)
    assert (event.max_per_country, event.room_size) == (2, 3)
    page = html.unescape(web.get(f"/organiser/events/{event.id}/schedule").text)
    assert RESHAPED in page
    assert "This plan no longer fits the event: " in page  # rooms of 2 are no rooms of 3 or 4
    status, detail = _go_live(web, event)
    assert status == 409, detail
    assert RESHAPED in detail
    assert web.post(f"/organiser/events/{event.id}/schedule/generate").status_code == 200
    assert RESHAPED not in html.unescape(web.get(f"/organiser/events/{event.id}/schedule").text)
    assert _go_live(web, event)[0] == 200


def test_a_looser_country_rule_alone_is_saved_and_the_schedule_page_says_to_generate_again(
    web: TestClient, db: Session
) -> None:
    event = _planned(web, db)
    saved = web.post(
        f"/organiser/events/{event.id}",
        data=_form(event, max_per_country=2),
        follow_redirects=False,
    )
    assert saved.status_code == 303, html.unescape(saved.text)
    db.refresh(event)
    assert event.max_per_country == 2
    page = html.unescape(web.get(f"/organiser/events/{event.id}/schedule").text)
    assert RESHAPED in page
    assert _go_live(web, event)[0] == 409


def test_the_form_of_a_live_event_shows_no_plan_settings_and_the_api_refuses_them_in_words(
    web: TestClient, db: Session
) -> None:
    event = _planned(web, db)
    assert _go_live(web, event)[0] == 200
    page = html.unescape(web.get(f"/organiser/events/{event.id}").text)
    assert HINT not in page
    assert 'name="max_per_country"' not in page
    refused = web.patch(
        f"/api/v1/events/{event.id}", json={"max_per_country": 2}, params={"lang": "nl"}
    )
    assert refused.status_code == 409, refused.text
    body = refused.json()
    for text in (body["detail"], body["message"]):
        assert "max_per_country" not in text
        assert "phase '" not in text
    db.refresh(event)
    assert event.max_per_country is None
