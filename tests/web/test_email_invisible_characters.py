"""An e-mail address copied from a mail signature or chat carries invisible characters (a
zero-width space, a decomposed accent): it is the same address, stored once, without them."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Organiser, Participant
from tests.factories import make_event, make_organiser
from tests.web.test_organiser_pages import sign_in

FORM = {
    "name": "Ana Sousa",
    "school": "Escola X",
    "country": "PT",
    "sector": "primary",
    "languages": "pt, en",
}
HEADER = "id,name,email,school,country,sector,languages"


def field_error(html: str, name: str) -> str | None:
    found = re.search(rf'<span class="error-text" id="f-{name}-error">([^<]*)</span>', html)
    return found.group(1) if found else None


def stored_emails(db: Session) -> list[str]:
    return sorted(p.email for p in db.exec(select(Participant)).all())


def test_registering_twice_with_a_copied_address_is_refused_next_to_the_field(
    web: TestClient, db: Session
) -> None:
    event = make_event(db, make_organiser(db))
    url = f"/register/{event.registration_slug}"
    first = web.post(url, data={**FORM, "email": "\u200bAna@Escola.pt"}, follow_redirects=False)
    assert first.status_code == 303
    assert stored_emails(db) == ["ana@escola.pt"]  # the link mail goes to a real address

    again = web.post(url, data={**FORM, "email": "ana@escola.pt\u200b"})
    assert again.status_code == 422
    assert "already registered" in (field_error(again.text, "email") or "")
    # "José" typed on a Mac (e + combining accent) is the same address as the composed one.
    web.post(url, data={**FORM, "email": "jose\u0301@escola.pt"}, follow_redirects=False)
    twice = web.post(url, data={**FORM, "email": "jos\u00e9@escola.pt"})
    assert twice.status_code == 422
    assert stored_emails(db) == ["ana@escola.pt", "jos\u00e9@escola.pt"]


def test_the_csv_import_sees_a_copied_address_as_the_same_one(web: TestClient, db: Session) -> None:
    sign_in(web, db)
    event = make_event(db, db.exec(select(Organiser)).one())
    rows = [
        HEADER,
        "a1,Ana Sousa,ana@escola.pt\u200b,Escola X,PT,primary,pt",
        "a2,Ana S.,\ufeffana@escola.pt,Escola X,PT,primary,pt",
    ]
    data = "\n".join(rows).encode()
    url = f"/organiser/events/{event.id}/participants/import"
    page = web.post(url, files={"file": ("p.csv", data, "text/csv")})
    assert page.status_code == 422
    assert "duplicate e-mail ana@escola.pt (first on row 2)" in page.text
    assert stored_emails(db) == []

    alone = "\n".join(rows[:2]).encode()
    web.post(url, files={"file": ("p.csv", alone, "text/csv")})
    assert stored_emails(db) == ["ana@escola.pt"]
