"""Participants pages: CSV upload with each row's errors beside it, add and fix by hand."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Event, Organiser, Participant
from tests.factories import make_event
from tests.web.test_organiser_pages import sign_in

HEADER = "id,name,email,school,country,sector,languages,interests,programmes,requests,avoid\n"
GOOD = (
    HEADER
    + "a1,Inês Marques,ines@escola.pt,Escola Básica X,PT,specialised,pt;en,inclusion,ka2,,\n"
    + "a2,Søren Ægidius,soren@skole.dk,Nørre Skole,DK,primary,da;en,stem;inclusion,etwinning,,\n"
)
BAD = (
    HEADER
    + "a1,Inês Marques,ines@escola.pt,Escola Básica X,PT,specialised,pt;en,inclusion,ka2,,\n"
    + "a2,Søren,soren@skole.dk,Nørre Skole,XX,primary,da;en,stem,etwinning,,\n"
    + "a3,Jens,jens@schule.de,Schule,DE,kindergarten,de,stem,etwinning,,\n"
)


def _event_id(web: TestClient, db: Session) -> str:
    organiser_id = sign_in(web, db)
    organiser = db.get(Organiser, organiser_id)
    assert organiser is not None
    return make_event(db, organiser).id


def test_bad_csv_shows_each_error_next_to_its_row_and_imports_nothing(
    web: TestClient, db: Session
) -> None:
    event_id = _event_id(web, db)
    page = web.post(
        f"/organiser/events/{event_id}/participants/import",
        files={"file": ("people.csv", BAD.encode(), "text/csv")},
    )
    assert page.status_code == 422
    html = page.text
    row3 = html[html.index('data-line="3"') : html.index('data-line="4"')]
    row4 = html[html.index('data-line="4"') :]
    assert "Country" in row3
    assert "XX" in row3
    assert "sector" in row4
    assert "kindergarten" in row4
    row2 = html[html.index('data-line="2"') : html.index('data-line="3"')]
    assert "row-error" not in row2
    assert db.exec(select(Participant)).first() is None


def test_good_csv_imports_everyone_with_accents_intact(web: TestClient, db: Session) -> None:
    event_id = _event_id(web, db)
    page = web.post(
        f"/organiser/events/{event_id}/participants/import",
        files={"file": ("people.csv", GOOD.encode(), "text/csv")},
    )
    assert page.status_code == 200
    assert "2 participants imported." in page.text
    assert "Søren Ægidius" in page.text
    assert "Nørre Skole" in page.text


def test_add_one_participant_with_errors_then_fix_details(web: TestClient, db: Session) -> None:
    event_id = _event_id(web, db)
    base = f"/organiser/events/{event_id}/participants"
    form = {
        "name": "Ana Sousa",
        "email": "not-an-email",
        "school": "Escola Y",
        "country": "PT",
        "sector": "secondary",
        "languages": "pt, en",
        "share_fields": ["email"],
    }
    bad = web.post(base, data=form)
    assert bad.status_code == 422
    assert 'id="f-email-error"' in bad.text
    assert 'value="Ana Sousa"' in bad.text
    form["email"] = "ana@escola.pt"
    assert "Participant added." in web.post(base, data=form).text
    ana = db.exec(select(Participant)).one()
    assert sorted(ana.languages) == ["en", "pt"]
    form["school"] = "Escola Secundária Y"
    saved = web.post(f"{base}/{ana.id}", data=form)
    assert "Escola Secundária Y" in saved.text


def test_links_are_issued_once_with_mail_text_and_as_csv(web: TestClient, db: Session) -> None:
    event_id = _event_id(web, db)
    web.post(
        f"/organiser/events/{event_id}/participants/import",
        files={"file": ("people.csv", GOOD.encode(), "text/csv")},
    )
    page = web.post(f"/organiser/events/{event_id}/links")
    assert page.text.count("/p/") >= 2
    assert "Dear Inês Marques" in page.text
    assert page.headers["cache-control"] == "no-store"
    # Everyone has a link now: nothing missing to issue, said on the page (not an empty CSV).
    again = web.post(f"/organiser/events/{event_id}/links", data={"download": "csv"})
    assert again.headers["content-type"].startswith("text/html")
    assert "Everyone already has a link" in again.text
    fresh = web.post(
        f"/organiser/events/{event_id}/links", data={"download": "csv", "reissue": "yes"}
    )
    lines = fresh.text.strip().splitlines()
    assert len(lines) == 3
    link = lines[1].split(",")[-1]
    assert "Inês Marques" in web.get(link.replace("http://127.0.0.1:8000", "")).text


def test_public_registration_while_open_then_closed(web: TestClient, db: Session) -> None:
    event_id = _event_id(web, db)  # factories open registration by default
    event = db.get(Event, event_id)
    assert event is not None
    url = f"/register/{event.registration_slug}"
    form = {
        "name": "Maëlle Dupont",
        "email": "maelle@ecole.be",
        "school": "École X",
        "country": "BE",
        "sector": "specialised",
        "languages": "fr, nl, en",
        "interests": "inclusion",
        "programmes": "buurklassen",
        "share_fields": ["email", "school"],
    }
    done = web.post(url, data=form, headers={"Accept-Language": "en"})
    assert done.status_code == 200
    assert "you are registered" in done.text
    assert "/p/" in done.text
    listed = web.get(f"/organiser/events/{event_id}/participants")
    assert "Maëlle Dupont" in listed.text
    web.post(f"/organiser/events/{event_id}/phase", data={"to": "draft"})
    closed = web.post(url, data={**form, "email": "other@ecole.be"})
    assert closed.status_code == 409
    assert "closed" in closed.text


def test_participant_list_fragment_shows_new_registrations(web: TestClient, db: Session) -> None:
    event_id = _event_id(web, db)
    page = web.get(f"/organiser/events/{event_id}/participants")
    assert f'data-refresh="/organiser/events/{event_id}/participants/list"' in page.text
    assert "0 participants" in web.get(f"/organiser/events/{event_id}/participants/list").text
    web.post(
        f"/organiser/events/{event_id}/participants/import",
        files={"file": ("people.csv", GOOD.encode(), "text/csv")},
    )
    fragment = web.get(f"/organiser/events/{event_id}/participants/list").text
    assert "2 participants" in fragment
    assert "<html" not in fragment


def test_registrant_names_whom_they_hope_to_meet_by_name(web: TestClient, db: Session) -> None:
    event_id = _event_id(web, db)
    web.post(
        f"/organiser/events/{event_id}/participants/import",
        files={"file": ("people.csv", GOOD.encode(), "text/csv")},
    )
    event = db.get(Event, event_id)
    assert event is not None
    url = f"/register/{event.registration_slug}"
    form = {
        "name": "Jens Berg",
        "email": "jens@schule.de",
        "school": "Schule Nord",
        "country": "DE",
        "sector": "primary",
        "languages": "de, en",
        "requests": "inês marques, Nobody Known",
    }
    unknown = web.post(url, data=form)
    assert unknown.status_code == 422
    assert "Nobody Known" in unknown.text
    form["requests"] = "Inês Marques, soren@skole.dk"
    assert web.post(url, data=form).status_code == 200
    jens = db.exec(select(Participant).where(Participant.email == "jens@schule.de")).one()
    assert sorted(jens.requests) == ["a1", "a2"]
