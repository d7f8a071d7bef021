"""The organiser's participant list names each kind of school in the page's language, with the
registration form's words, not the code the database keeps ("specialised")."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organiser, Participant
from tests.factories import make_event
from tests.web.test_organiser_pages import sign_in


def event_with_people(web: TestClient, db: Session) -> str:
    organiser = db.get(Organiser, sign_in(web, db))
    assert organiser is not None
    event = make_event(db, organiser)
    for n, sector in enumerate(("primary", "secondary", "specialised"), start=1):
        db.add(
            Participant(
                event_id=event.id,
                external_id=f"p{n}",
                name=f"Person {n}",
                email=f"p{n}@school.example",
                school=f"School {n}",
                country="NL",
                sector=sector,
                languages=["en"],
            )
        )
    db.commit()
    return event.id


def cells(page_html: str) -> list[str]:
    text = html.unescape(page_html)
    return [part.split("</td>")[0] for part in text.split("<td>")[1:]]


def test_the_dutch_list_names_the_kind_of_school_in_dutch(web: TestClient, db: Session) -> None:
    event_id = event_with_people(web, db)
    base = f"/organiser/events/{event_id}/participants"
    for url in (base, base + "/list"):  # the page and the table it refreshes
        page = web.get(url, params={"lang": "nl"})
        assert page.status_code == 200
        shown = cells(page.text)
        assert "basisschool" in shown
        assert "middelbare school" in shown
        assert "school voor (voortgezet) speciaal onderwijs" in shown
        assert not {"primary", "secondary", "specialised"} & set(shown)


def test_the_english_list_uses_the_registration_forms_words(web: TestClient, db: Session) -> None:
    event_id = event_with_people(web, db)
    shown = cells(web.get(f"/organiser/events/{event_id}/participants/list").text)
    assert {"primary school", "secondary school", "specialised school"} <= set(shown)
