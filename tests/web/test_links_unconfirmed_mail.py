"""E-mailed links the SMTP server never confirmed (the process died mid-batch) count as missing:
the links page says how many, and "Issue missing links as CSV" hands the organiser new ones.

The honest crash (uvicorn killed with SIGKILL mid-batch) is tests/faults/test_links_mail_crash.py;
here the database is left as that crash leaves it, to check the page and CSV buttons quickly.
"""

from __future__ import annotations

import csv
import html
import io

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Event, Organiser, Participant, utcnow
from tests.factories import make_api_token
from tests.web.test_mail_links import THREE, import_people
from tests.web.test_participants_pages import _event_id


def organiser_of(db: Session, event_id: str) -> Organiser:
    event = db.get(Event, event_id)
    assert event is not None
    organiser = db.get(Organiser, event.organiser_id)
    assert organiser is not None
    return organiser


def test_unconfirmed_email_links_are_counted_and_reissued_as_csv(
    web: TestClient, db: Session
) -> None:
    event_id = _event_id(web, db)
    import_people(web, event_id, THREE)
    assert web.post(f"/organiser/events/{event_id}/links").status_code == 200
    jens = db.exec(select(Participant).where(Participant.email == "jens@schule.de")).one()
    jens.link_mail_pending_since = utcnow()  # issued for e-mail; the server never took it
    db.add(jens)
    db.commit()

    page = html.unescape(web.get(f"/organiser/events/{event_id}/links").text)
    assert "2 of 3 participants have a link." in page
    assert "E-mailed links never confirmed sent (sending stopped part-way): 1." in page
    token = make_api_token(db, organiser_of(db, event_id))
    listed = web.get(
        f"/api/v1/events/{event_id}/participants", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert [p["email"] for p in listed if not p["has_link"]] == ["jens@schule.de"]

    answer = web.post(f"/organiser/events/{event_id}/links", data={"download": "csv"})
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.text.lstrip("\ufeff"))))
    assert [row["email"] for row in rows] == ["jens@schule.de"]
    assert "Jens Berg" in web.get(rows[0]["link"].replace("http://127.0.0.1:8000", "")).text

    page = html.unescape(web.get(f"/organiser/events/{event_id}/links").text)
    assert "3 of 3 participants have a link." in page
    assert "never confirmed sent" not in page
