"""The note's 1000-character limit counts a line break once, as the browser's note box does; a
note really over the limit gets a readable page, not a bare JSON error."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import ContactDecision
from tests.web.conftest import seat_event


def test_line_breaks_sent_as_cr_lf_count_once(web: TestClient, db: Session) -> None:
    seated = seat_event(db, started_rounds=1)
    ana, bo = seated.people[0], seated.people[1]
    url = f"/p/{seated.tokens[ana.id]}/decisions/{bo.id}"
    note = ("x" * 49 + "\r\n") * 20  # 1000 characters in the box, 1020 on the wire
    saved = web.post(url, data={"share": "yes", "note": note}, follow_redirects=False)
    assert saved.status_code == 303
    stored = db.exec(select(ContactDecision)).one()
    assert stored.note == note.replace("\r\n", "\n").strip()

    too_long = web.post(url, data={"share": "yes", "note": "y" * 1001}, follow_redirects=False)
    assert too_long.status_code == 422
    assert too_long.headers["content-type"].startswith("text/html")
    assert "at most 1000 characters" in too_long.text
    db.expire_all()
    assert db.exec(select(ContactDecision)).one().note == stored.note


def test_a_note_with_a_nul_character_is_refused_on_the_page(web: TestClient, db: Session) -> None:
    # The API's schema refuses NUL; the page's form reached the service with it, and PostgreSQL
    # cannot store it (a bare 500 there).
    seated = seat_event(db, started_rounds=1)
    ana, bo = seated.people[0], seated.people[1]
    url = f"/p/{seated.tokens[ana.id]}/decisions/{bo.id}"
    refused = web.post(url, data={"share": "yes", "note": "a\x00b"}, follow_redirects=False)
    assert refused.status_code == 422
    assert "NUL character" in refused.text
    assert db.exec(select(ContactDecision)).first() is None
