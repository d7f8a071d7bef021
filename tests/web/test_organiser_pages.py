"""Organiser pages through real HTTP: sign-in, events, settings errors next to fields, phases."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Event, EventPhase, Organiser
from app.organisers import service as organiser_service
from tests.factories import PASSWORD, make_event, make_organiser
from tests.web.conftest import seat_event


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


def test_an_invited_colleague_sets_a_password_and_signs_in_with_it_later(
    web: TestClient, db: Session
) -> None:
    colleague = organiser_service.create_organiser(db, email="mia@agency.example", name="Mia")
    token = organiser_service.issue_invite(db, organiser=colleague)
    # The page's "Sign in" button posts to the link; followed to the dashboard.
    assert web.post(f"/organiser/invite/{token}").status_code == 200
    dashboard = web.get("/organiser")
    assert "You have no password yet" in dashboard.text
    assert 'href="/organiser/account"' in dashboard.text

    url = "/organiser/account"
    assert "Set a password" in web.get(url).text
    short = web.post(url, data={"password": "short", "again": "short"})
    assert short.status_code == 422
    assert "at least 10 characters" in short.text
    different = web.post(url, data={"password": "lantern quietly oboe", "again": "lantern"})
    assert "not the same" in different.text
    guessable = web.post(url, data={"password": "password1234", "again": "password1234"})
    assert guessable.status_code == 422
    assert "too easy to guess" in guessable.text
    saved = web.post(
        url, data={"password": "lantern quietly oboe", "again": "lantern quietly oboe"}
    )
    assert saved.status_code == 200
    assert "Your new password is saved" in saved.text
    assert "You have no password yet" not in web.get("/organiser").text  # still signed in

    web.post("/organiser/sign-out")
    again = web.post(
        "/organiser/sign-in",
        data={"email": "mia@agency.example", "password": "lantern quietly oboe"},
        follow_redirects=False,
    )
    assert again.status_code == 303


def test_the_account_page_speaks_dutch_and_needs_sign_in(web: TestClient, db: Session) -> None:
    assert web.get("/organiser/account", follow_redirects=False).status_code == 303
    sign_in(web, db)
    page = web.get("/organiser/account", headers={"Accept-Language": "nl"})
    assert "Je wachtwoord wijzigen" in page.text  # a password is set: change it
    assert "Mijn account" in page.text


def test_the_live_page_names_rooms_as_the_live_table_does(web: TestClient, db: Session) -> None:
    seated = seat_event(db, started_rounds=1)
    signed = web.post(
        "/organiser/sign-in",
        data={"email": seated.organiser.email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert signed.status_code == 303
    live = f"/organiser/events/{seated.event.id}/live?lang=nl"
    page = web.get(live)
    assert page.status_code == 200
    # "Kamer 1", in the organiser's language, as the live table and participants' pages say;
    # not the exports' "Room 01".
    assert "<h3>Kamer 1</h3>" in page.text
    assert '<option value="2">Kamer 2</option>' in page.text
    assert "Room 0" not in page.text

    seated.event.room_names = ["Zaal Amsterdam", "Zaal Porto"]
    db.add(seated.event)
    db.commit()
    page = web.get(live)
    assert "<h3>Zaal Amsterdam</h3>" in page.text  # fixed breakout-room names, as they are
    assert '<option value="2">Zaal Porto</option>' in page.text


SETTINGS_FORM = {
    "name": "Inclusieve partnerdag",
    "starts_at": "2026-06-12T10:00",
    "timezone": "Europe/Brussels",
    "rounds": "4",
    "round_minutes": "8",
    "break_minutes": "2",
    "room_size": "2",
    "distinct_countries": "1",
    "mutual_consent": "1",
}


def test_saving_the_settings_form_keeps_what_it_does_not_show(web: TestClient, db: Session) -> None:
    organiser = db.get(Organiser, sign_in(web, db))
    assert organiser is not None
    event = make_event(db, organiser, retention_days=30, ui_languages=["en", "nl"])
    saved = web.post(f"/organiser/events/{event.id}", data=SETTINGS_FORM, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    db.refresh(event)
    assert event.name == "Inclusieve partnerdag"
    # The retention period (a GDPR promise) was cleared, and the languages reset to English.
    assert event.retention_days == 30
    assert event.ui_languages == ["en", "nl"]


def test_a_number_that_is_no_number_is_told_next_to_its_field(web: TestClient, db: Session) -> None:
    organiser = db.get(Organiser, sign_in(web, db))
    assert organiser is not None
    event = make_event(db, organiser)
    for typed in ("nan", "inf"):
        answer = web.post(f"/organiser/events/{event.id}", data={**SETTINGS_FORM, "rounds": typed})
        assert answer.status_code == 422  # was a 500
        assert 'id="f-rounds-error"' in answer.text


def test_a_live_events_video_links_can_be_fixed_and_nothing_else(
    web: TestClient, db: Session
) -> None:
    organiser = db.get(Organiser, sign_in(web, db))
    assert organiser is not None
    event = make_event(
        db, organiser, phase=EventPhase.LIVE, room_link_template="https://broken.example/{room}"
    )
    page = web.get(f"/organiser/events/{event.id}")
    assert "only the video rooms can change" in page.text
    assert "Number of rounds" not in page.text  # no field that could not be saved
    fixed = "https://meet.jit.si/ourday-{round}-{room}"
    saved = web.post(
        f"/organiser/events/{event.id}",
        data={"room_link_template": fixed, "room_names": ""},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    db.refresh(event)
    assert event.room_link_template == fixed
    assert event.name == "Partner-finding day"


def test_changing_a_password_on_the_account_page_asks_for_the_current_one(
    web: TestClient, db: Session
) -> None:
    sign_in(web, db)
    url = "/organiser/account"
    assert 'autocomplete="current-password"' in web.get(url).text
    new = {"password": "lantern quietly oboe", "again": "lantern quietly oboe"}
    wrong = web.post(url, data={**new, "current_password": "a wrong guess"})
    assert wrong.status_code == 422
    assert "current password is not right" in wrong.text
    saved = web.post(url, data={**new, "current_password": PASSWORD})
    assert "Your new password is saved" in saved.text
