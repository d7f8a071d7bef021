"""A count of one reads as one: "1 participant", not "1 participants"."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Organiser
from tests.factories import make_event, make_participants
from tests.web.test_organiser_pages import sign_in


def text(page: str) -> str:
    return " ".join(html.unescape(page).split())


def test_one_participant_is_counted_in_the_singular(web: TestClient, db: Session) -> None:
    sign_in(web, db)
    event = make_event(db, db.exec(select(Organiser)).one())
    make_participants(db, event, 1)
    base = f"/organiser/events/{event.id}"
    overview = text(web.get(base).text)
    assert "1 participant" in overview
    assert "1 participants" not in overview
    listed = text(web.get(f"{base}/participants?imported=1").text)
    assert "1 participant imported." in listed
    assert '<h2 id="list-h">1 participant</h2>' in listed
    assert "1 participants" not in listed
    links = text(web.get(f"{base}/links").text)
    assert "0 of 1 participant has a link." in links


def test_two_participants_stay_plural(web: TestClient, db: Session) -> None:
    sign_in(web, db)
    event = make_event(db, db.exec(select(Organiser)).one())
    make_participants(db, event, 2)
    base = f"/organiser/events/{event.id}"
    assert '<h2 id="list-h">2 participants</h2>' in text(web.get(f"{base}/participants").text)
    assert "0 of 2 participants have a link." in text(web.get(f"{base}/links").text)


def test_a_plan_with_one_meeting_says_one_meeting(web: TestClient, db: Session) -> None:
    organiser = db.get(Organiser, sign_in(web, db))
    assert organiser is not None
    event_id = make_event(db, organiser, rounds=1, name="Pair day").id
    rows = [
        "id,name,email,school,country,sector,languages",
        "n1,Lieke de Vries,n1@school.example,School N,NL,primary,nl;en",
        "d1,Søren Holm,d1@school.example,School D,DK,primary,da;en",
    ]
    web.post(
        f"/organiser/events/{event_id}/participants/import",
        files={"file": ("p.csv", ("\n".join(rows) + "\n").encode(), "text/csv")},
    )
    page = text(web.post(f"/organiser/events/{event_id}/schedule/generate").text)
    assert "1 meeting in total." in page
