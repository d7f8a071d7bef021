"""The organiser's add and edit forms ask about the participant ("they"); the registration form
asks the participant ("you")."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Organiser
from tests.factories import make_event, make_organiser, make_participants
from tests.web.test_organiser_pages import sign_in

THEY = {
    "languages": "Languages they can hold a conversation in",
    "interests": "Themes they are interested in",
    "requests": "Whom they hope to meet (optional)",
    "role": "Role (optional)",
}
THEY_SHARE = (
    "Which contact details may be shared with the people they meet (only if those agree too)?"
)
YOU = {
    "languages": "Languages you can hold a conversation in",
    "interests": "Themes you are interested in",
    "requests": "Whom you hope to meet (optional)",
    "role": "Your role (optional)",
}
YOU_SHARE = "Which contact details may be shared with people you meet (only if they agree too)?"


def label(page: str, name: str) -> str:
    found = re.search(rf'<label for="f-{name}">([^<]*)</label>', page)
    assert found, name
    return html.unescape(found.group(1))


def legend(page: str) -> str:
    found = re.search(r"<legend>\s*([^<]*?)\s*</legend>", page)
    assert found
    return html.unescape(found.group(1))


def test_the_organisers_add_and_edit_forms_say_they(web: TestClient, db: Session) -> None:
    sign_in(web, db)
    event = make_event(db, db.exec(select(Organiser)).one())
    person = make_participants(db, event, 1)[0]
    base = f"/organiser/events/{event.id}/participants"
    for page in (web.get(base).text, web.get(f"{base}/{person.id}").text):
        assert {name: label(page, name) for name in THEY} == THEY
        assert legend(page.split("Add one participant")[-1]) == THEY_SHARE
        assert "you can hold" not in page
        assert "people you meet" not in page


def test_the_registration_form_still_says_you(web: TestClient, db: Session) -> None:
    event = make_event(db, make_organiser(db))
    page = web.get(f"/register/{event.registration_slug}").text
    assert {name: label(page, name) for name in YOU} == YOU
    assert legend(page) == YOU_SHARE
