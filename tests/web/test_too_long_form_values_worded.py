"""A value longer than a form's field takes (sent without the browser's maxlength, e.g. with
curl) is refused with what is wrong, worded like the form's other problems and translated,
never as "Enter a name." for a name that is there or as pydantic's English; what was typed
stays in the field."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Event, Organiser, Participant
from tests.factories import make_event, make_organiser
from tests.web.test_email_invisible_characters import FORM
from tests.web.test_event_form_limits import FORM as EVENT_FORM
from tests.web.test_organiser_pages import sign_in

LONG_NAME = "N" * 10_000
LANGUAGES = "aa, ab, af, ak, am, an, ar, as, av, ay, az, ba, be, bg, bi, bm, bn, bo, br, bs, ca"


def errors_of(page: str) -> dict[str, str]:
    """Each field's problem, as shown next to it."""
    found = re.findall(r'<span class="error-text" id="f-(\w+)-error">([^<]*)</span>', page)
    return {name: html.unescape(text) for name, text in found}


def test_registration_says_how_long_a_name_school_and_address_can_be(
    web: TestClient, db: Session
) -> None:
    event = make_event(db, make_organiser(db))
    typed = {
        **FORM,
        "name": LONG_NAME,
        "school": "S" * 201,
        "email": "a" * 320 + "@escola.pt",
        "languages": LANGUAGES,
    }
    page = web.post(f"/register/{event.registration_slug}", data=typed)
    assert page.status_code == 422
    assert errors_of(page.text) == {
        "name": "A name can have at most 200 characters.",
        "school": "A school or organisation can have at most 200 characters.",
        "email": "An e-mail address can have at most 320 characters.",
        "languages": "Enter at most 20 language codes.",
    }
    assert f'value="{LONG_NAME}"' in page.text
    assert f'value="{"S" * 201}"' in page.text
    assert db.exec(select(Participant)).all() == []


def test_the_organisers_add_form_says_how_long_a_name_can_be(web: TestClient, db: Session) -> None:
    sign_in(web, db)
    event = make_event(db, db.exec(select(Organiser)).one())
    typed = {**FORM, "name": LONG_NAME, "email": "ana@escola.pt"}
    page = web.post(f"/organiser/events/{event.id}/participants", data=typed)
    assert page.status_code == 422
    assert errors_of(page.text) == {"name": "A name can have at most 200 characters."}
    assert f'value="{LONG_NAME}"' in page.text
    assert db.exec(select(Participant)).all() == []


def test_the_event_form_words_too_long_and_unusable_values(web: TestClient, db: Session) -> None:
    sign_in(web, db)
    typed = {
        "name": LONG_NAME,
        "timezone": "Europe/Bruxelles",
        "room_link_template": "meet.example/" + "x" * 600,
        "room_names": "Room A\n" + "R" * 101,
    }
    page = web.post("/organiser/events/new", data={**EVENT_FORM, **typed})
    assert page.status_code == 422
    assert errors_of(page.text) == {
        "name": "Enter the event's name, at most 200 characters.",
        "timezone": "Enter a time zone by its name, e.g. Europe/Brussels.",
        "room_link_template": "Enter a link that starts with https://, at most 500 characters,"
        " using only {event}, {round} and {room}.",
        "room_names": "Enter at most 500 room names, one per line, each at most 100 characters.",
    }
    assert "String should" not in page.text
    assert f'value="{LONG_NAME}"' in page.text
    assert 'value="Europe/Bruxelles"' in page.text
    assert db.exec(select(Event)).all() == []


def test_the_event_form_words_a_start_outside_the_years_it_takes(
    web: TestClient, db: Session
) -> None:
    sign_in(web, db)
    page = web.post("/organiser/events/new", data={**EVENT_FORM, "starts_at": "3026-06-12T10:00"})
    assert page.status_code == 422
    assert errors_of(page.text) == {"starts_at": "Enter a start in the years 2000 to 2100."}
    assert 'value="3026-06-12T10:00"' in page.text
    assert db.exec(select(Event)).all() == []


def test_a_refused_link_pattern_gets_the_forms_words_not_the_services_english(
    web: TestClient, db: Session
) -> None:
    sign_in(web, db)
    typed = {**EVENT_FORM, "room_link_template": "meet.example/{ronde}"}
    page = web.post("/organiser/events/new?lang=nl", data=typed)
    assert page.status_code == 422
    assert "must start with" not in page.text
    assert "placeholder" not in page.text
