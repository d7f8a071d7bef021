"""Organiser pages through real HTTP: sign-in, events, settings errors next to fields, phases."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Event
from tests.factories import PASSWORD, make_event, make_organiser


def sign_in(web: TestClient, db: Session) -> str:
    organiser = make_organiser(db, email="lieke@agency.example")
    answer = web.post(
        "/organiser/sign-in",
        data={"email": "lieke@agency.example", "password": PASSWORD, "next": "/organiser"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    return organiser.id


def test_pages_need_sign_in_and_wrong_password_is_told(web: TestClient, db: Session) -> None:
    answer = web.get("/organiser", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/organiser/sign-in?next=")
    make_organiser(db, email="jens@agency.example")
    wrong = web.post(
        "/organiser/sign-in", data={"email": "jens@agency.example", "password": "nope"}
    )
    assert wrong.status_code == 401
    assert "not right" in wrong.text
    assert 'aria-invalid="true"' in wrong.text


def test_sign_in_never_redirects_off_site(web: TestClient, db: Session) -> None:
    make_organiser(db, email="ana@agency.example")
    answer = web.post(
        "/organiser/sign-in",
        data={"email": "ana@agency.example", "password": PASSWORD, "next": "//evil.example/x"},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/organiser"


def test_create_event_shows_errors_next_to_fields_then_saves(web: TestClient, db: Session) -> None:
    sign_in(web, db)
    bad = web.post(
        "/organiser/events/new",
        data={"name": "", "starts_at": "2026-06-12T10:00", "rounds": "40", "timezone": "Mars/Base"},
    )
    assert bad.status_code == 422
    assert 'id="f-rounds-error"' in bad.text
    assert 'id="f-timezone-error"' in bad.text
    assert "Mars/Base" in bad.text  # what was typed is kept

    good = web.post(
        "/organiser/events/new",
        data={
            "name": "Inclusieve partnerdag",
            "starts_at": "2026-06-12T10:00",
            "timezone": "Europe/Brussels",
            "rounds": "4",
            "round_minutes": "8",
            "break_minutes": "2",
            "room_size": "2",
            "distinct_countries": "1",
        },
    )
    assert good.status_code == 200
    assert "Inclusieve partnerdag" in good.text
    event = db.exec(select(Event)).first()
    assert event is not None
    assert event.round_seconds == 480


def test_open_and_close_registration(web: TestClient, db: Session) -> None:
    sign_in(web, db)
    web.post(
        "/organiser/events/new",
        data={"name": "Open dag", "starts_at": "2026-06-12T10:00", "rounds": "3"},
    )
    event = db.exec(select(Event)).one()
    event_id = event.id
    opened = web.post(f"/organiser/events/{event_id}/phase", data={"to": "open"})
    assert "/register/" in opened.text
    closed = web.post(f"/organiser/events/{event_id}/phase", data={"to": "draft"})
    assert "Registration is closed." in closed.text


def test_someone_elses_event_is_not_found(web: TestClient, db: Session) -> None:
    sign_in(web, db)
    other = make_organiser(db, email="other@agency.example")
    event = make_event(db, other, name="Theirs")
    assert web.get(f"/organiser/events/{event.id}").status_code == 404
