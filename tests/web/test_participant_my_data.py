"""A participant's page offers their own data: a JSON download, and erasure after a
confirmation page (no script needed), after which the link and the session stop working."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Participant
from tests.web.conftest import seat_event


def _row(db: Session, participant_id: str) -> Participant:
    db.expire_all()  # the page changed the row in its own session
    found = db.exec(select(Participant).where(Participant.id == participant_id)).first()
    assert found is not None
    return found


def test_my_data_section_links_to_the_download(web: TestClient, db: Session) -> None:
    seated = seat_event(db)
    me = seated.people[0]
    token = seated.tokens[me.id]
    page = web.get(f"/p/{token}").text
    assert 'id="my-data"' in page
    download = f"/api/v1/me/data.json?token={token}"
    assert f'href="{download}"' in page
    data = web.get(download)
    assert data.status_code == 200
    assert me.email in data.text
    assert f'href="/p/{token}/erase"' in page


def test_erase_asks_first_then_erases_and_the_link_stops_working(
    web: TestClient, db: Session
) -> None:
    seated = seat_event(db)
    me = seated.people[0]
    token, my_id, name = seated.tokens[me.id], me.id, me.name
    web.get(f"/p/{token}")  # the session cookie the downloads may use
    confirm = web.get(f"/p/{token}/erase")
    assert confirm.status_code == 200
    assert "this personal link stops working" in confirm.text
    assert f'action="/p/{token}/erase"' in confirm.text
    assert not _row(db, my_id).deleted  # nothing happens before the confirmation
    done = web.post(f"/p/{token}/erase")
    assert done.status_code == 200
    assert "Your data is erased" in done.text
    assert name not in done.text
    assert _row(db, my_id).deleted
    assert web.get(f"/p/{token}").status_code == 404
    assert web.get("/api/v1/me/data.json").status_code == 401  # nor does the session cookie


def test_erase_in_the_participants_language_and_refused_from_another_site(
    web: TestClient, db: Session
) -> None:
    seated = seat_event(db)
    me = seated.people[0]
    token, my_id = seated.tokens[me.id], me.id
    refused = web.post(f"/p/{token}/erase", headers={"origin": "https://evil.example"})
    assert refused.status_code == 403
    assert not _row(db, my_id).deleted
    page = web.get(f"/p/{token}/erase?lang=de")
    assert '<html lang="de"' in page.text
