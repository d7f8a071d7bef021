"""Forms shown again after an error keep what the organiser or teacher picked and typed."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Participant
from tests.factories import make_event, make_organiser
from tests.web.test_schedule_pages import scheduled_event

DUTCH = {"Accept-Language": "nl-NL,nl;q=0.9"}


def selected(html: str, select_id: str) -> str | None:
    """The value of the selected option of `<select id=select_id>`, if any is marked."""
    block = html[html.index(f'id="{select_id}"') :]
    block = block[: block.index("</select>")]
    found = re.search(r'<option value="([^"]*)" selected>', block)
    return found.group(1) if found else None


def test_a_refused_pin_keeps_the_people_kind_and_round_picked(web: TestClient, db: Session) -> None:
    event_id = scheduled_event(web, db)
    web.post(f"/organiser/events/{event_id}/schedule/generate")
    people = {p.external_id: p for p in db.exec(select(Participant)).all()}
    lieke, mette = people["n1"], people["d2"]
    page = web.post(
        f"/organiser/events/{event_id}/schedule/pins",
        data={"a": mette.id, "b": mette.id, "together": "no", "round": "2"},
    )
    assert page.status_code == 422
    assert "two different people" in page.text
    assert lieke.id != mette.id  # the first option (the default) is someone else
    assert selected(page.text, "pin-a") == mette.id
    assert selected(page.text, "pin-b") == mette.id
    assert re.search(r'name="together" value="no" checked', page.text)
    assert not re.search(r'name="together" value="yes" checked', page.text)
    assert re.search(r'id="pin-round" name="round"[^>]*value="2"', page.text)


def error_texts(html: str) -> dict[str, str]:
    """The message shown next to each field, by field name."""
    return dict(re.findall(r'<span class="error-text" id="f-(\w+)-error">([^<]*)</span>', html))


def test_registration_errors_say_what_each_field_needs_in_the_teachers_language(
    web: TestClient, db: Session
) -> None:
    organiser = make_organiser(db)
    event = make_event(db, organiser)
    url = f"/register/{event.registration_slug}"
    typed = {"name": "", "email": "ana@", "school": "Escola X", "country": "Portugal"}
    page = web.post(url, data={**typed, "languages": "portugues"}, headers=DUTCH)
    assert page.status_code == 422
    shown = error_texts(page.text)
    assert shown == {
        "name": "Vul een naam in.",
        "email": "Vul een e-mailadres in, bijv. naam@school.eu.",
        "country": "Vul een landcode van twee letters in, bijv. NL, BE of DE.",
        "sector": "Kies het soort school.",
        "languages": "Vul minstens één taalcode van twee letters in, bijv. nl, en of de.",
    }
    # What was typed stays, and no regular expression or ISO standard is quoted at a teacher.
    assert 'value="Escola X"' in page.text
    assert 'value="portugues"' in page.text
    assert "String should" not in page.text
    assert "ISO" not in page.text


def test_registering_twice_says_so_next_to_the_e_mail_in_the_teachers_language(
    web: TestClient, db: Session
) -> None:
    organiser = make_organiser(db)
    event = make_event(db, organiser)
    url = f"/register/{event.registration_slug}"
    form = {
        "name": "Inês Marques",
        "email": "ines@escola.pt",
        "school": "Escola X",
        "country": "PT",
        "sector": "primary",
        "languages": "pt, en",
    }
    assert web.post(url, data=form, headers=DUTCH).status_code == 200
    again = web.post(url, data={**form, "email": "Ines@Escola.pt"}, headers=DUTCH)
    assert again.status_code == 422
    assert error_texts(again.text) == {
        "email": "Dit e-mailadres is al aangemeld voor dit evenement. "
        "Vraag de organisator om je persoonlijke link."
    }
    assert 'value="Inês Marques"' in again.text
