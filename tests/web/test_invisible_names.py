"""A name or school of only invisible characters (zero-width spaces) would show as nothing in
the organiser's list, on room cards and in exports: it is asked for again."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Organiser, Participant
from tests.factories import make_event, make_organiser
from tests.web.test_email_invisible_characters import FORM, HEADER, field_error
from tests.web.test_organiser_pages import sign_in


def test_registration_asks_for_a_name_that_can_be_seen(web: TestClient, db: Session) -> None:
    event = make_event(db, make_organiser(db))
    url = f"/register/{event.registration_slug}"
    typed = {**FORM, "name": "\u200b\u200b", "school": "\u2060", "email": "ana@escola.pt"}
    page = web.post(url, data=typed)
    assert page.status_code == 422
    assert field_error(page.text, "name") == "Enter a name."
    assert field_error(page.text, "school") == "Enter a school or organisation."
    assert db.exec(select(Participant)).all() == []
    # Names in any script, with their accents and marks, are names.
    ok = web.post(url, data={**typed, "name": "अनु शर्मा", "school": "Escola X"})
    assert ok.status_code == 200
    assert [p.name for p in db.exec(select(Participant)).all()] == ["अनु शर्मा"]


def test_the_csv_import_names_the_row_with_an_invisible_name(web: TestClient, db: Session) -> None:
    sign_in(web, db)
    event = make_event(db, db.exec(select(Organiser)).one())
    data = "\n".join([HEADER, "a1,\u200b,ana@escola.pt,Escola X,PT,primary,pt"]).encode()
    url = f"/organiser/events/{event.id}/participants/import"
    page = web.post(url, files={"file": ("p.csv", data, "text/csv")})
    assert page.status_code == 422
    assert "Name: must contain a visible character" in page.text
    assert db.exec(select(Participant)).all() == []
