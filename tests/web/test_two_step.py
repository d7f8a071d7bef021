"""Two-step sign-in through the pages, with codes computed as an authenticator app would."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session
from starlette.websockets import WebSocketDisconnect

from app.main import create_app
from app.organisers import service as organiser_service
from app.organisers import two_step
from app.security import ORGANISER_COOKIE
from app.settings import get_settings
from tests.factories import PASSWORD, make_api_token, make_event, make_organiser

EMAIL = "lieke@agency.example"
ACCOUNT = "/organiser/account"


def sign_in(web: TestClient, code: str = "") -> int:
    answer = web.post(
        "/organiser/sign-in",
        data={"email": EMAIL, "password": PASSWORD, "code": code},
        follow_redirects=False,
    )
    status: int = answer.status_code
    return status


NOW = datetime(2026, 6, 12, 8, 0, 10, tzinfo=UTC)  # the server's clock, fixed: no flaky step edge


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(two_step, "_utc_now", lambda: NOW)


def code_at(secret: str, seconds_from_now: int) -> str:
    return pyotp.TOTP(secret).at(NOW + timedelta(seconds=seconds_from_now))


def test_two_step_sign_in_from_set_up_to_turning_it_off(
    web: TestClient, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    organiser = make_organiser(db, email=EMAIL)
    assert sign_in(web) == 303
    started = web.post(f"{ACCOUNT}/two-step/begin")
    assert started.status_code == 200
    assert "<svg" in started.text  # the QR code, inline
    found = re.search(r"<code>([A-Z2-7]{16,})</code>", started.text)
    assert found is not None
    secret = found.group(1)

    wrong = web.post(f"{ACCOUNT}/two-step/confirm", data={"code": "000000"})
    assert wrong.status_code == 422
    assert "code is not right" in wrong.text
    on = web.post(f"{ACCOUNT}/two-step/confirm", data={"code": code_at(secret, 0)})
    assert on.status_code == 200
    assert "Two-step sign-in is on." in on.text
    assert web.get("/organiser").status_code == 200  # this session goes on

    web.post("/organiser/sign-out")
    assert sign_in(web) == 401  # the password alone no longer does
    assert sign_in(web, code_at(secret, 0)) == 401  # spent when it turned the setting on
    next_code = code_at(secret, 30)  # the app's next code: one step of clock drift is allowed
    assert sign_in(web, next_code) == 303
    web.post("/organiser/sign-out")
    assert sign_in(web, next_code) == 401  # a code works once

    # An invite link would skip the code: refused for this account.
    invite = organiser_service.issue_invite(db, organiser=organiser)
    assert web.get(f"/organiser/invite/{invite}").status_code == 401

    later = NOW + timedelta(minutes=2)
    monkeypatch.setattr(two_step, "_utc_now", lambda: later)
    assert sign_in(web, code_at(secret, 120)) == 303
    off_code = code_at(secret, 150)
    off = web.post(f"{ACCOUNT}/two-step/off", data={"code": off_code})
    assert "Two-step sign-in is off." in off.text
    web.post("/organiser/sign-out")
    assert sign_in(web) == 303


def test_two_step_needs_a_password_and_the_api_sign_in_takes_the_code(
    web: TestClient, db: Session
) -> None:
    colleague = organiser_service.create_organiser(db, email="mia@agency.example", name="Mia")
    token = organiser_service.issue_invite(db, organiser=colleague)
    web.post(f"/organiser/invite/{token}")
    page = web.get(ACCOUNT)
    assert "Set a password first" in page.text
    assert web.post(f"{ACCOUNT}/two-step/begin").status_code == 409

    web.post(ACCOUNT, data={"password": "lantern quietly oboe", "again": "lantern quietly oboe"})
    started = web.post(f"{ACCOUNT}/two-step/begin")
    found = re.search(r"<code>([A-Z2-7]{16,})</code>", started.text)
    assert found is not None
    secret = found.group(1)
    assert (
        web.post(f"{ACCOUNT}/two-step/confirm", data={"code": code_at(secret, 0)}).status_code
        == 200
    )

    body = {"email": "mia@agency.example", "password": "lantern quietly oboe"}
    without = web.post("/api/v1/auth/signin", json=body)
    assert without.status_code == 401
    assert "not right" in without.json()["detail"]
    signed = web.post("/api/v1/auth/signin", json={**body, "code": code_at(secret, 30)})
    assert signed.status_code == 200


def test_a_required_two_step_sign_in_comes_before_everything_else(
    web_db: str, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPEEDMATCH_REQUIRE_TWO_STEP", "true")
    get_settings.cache_clear()
    organiser = make_organiser(db, email=EMAIL)
    event = make_event(db, organiser)
    token = make_api_token(db, organiser)
    with TestClient(create_app(), base_url="http://127.0.0.1") as web:
        assert sign_in(web) == 303
        for page in ("/organiser", f"/organiser/events/{event.id}", "/organiser/events/new"):
            answer = web.get(page, follow_redirects=False)
            assert answer.status_code == 303, page
            assert answer.headers["location"] == ACCOUNT
        assert "requires two-step sign-in" in web.get(ACCOUNT).text
        refused = web.get("/api/v1/events")  # the same session on the API
        assert refused.status_code == 403
        assert "two-step sign-in" in refused.json()["detail"]
        with (
            pytest.raises(WebSocketDisconnect) as closed,
            web.websocket_connect(
                f"/ws/organiser/{event.id}",
                headers={"cookie": f"{ORGANISER_COOKIE}={web.cookies[ORGANISER_COOKIE]}"},
            ) as socket,
        ):
            socket.receive_text()
        assert closed.value.code == 4403
        assert closed.value.reason == "set up two-step sign-in first"
        bearer = {"Authorization": f"Bearer {token}"}
        assert web.get("/api/v1/events", headers=bearer).status_code == 200  # tokens still work

        started = web.post(f"{ACCOUNT}/two-step/begin")
        found = re.search(r"<code>([A-Z2-7]{16,})</code>", started.text)
        assert found is not None
        secret = found.group(1)
        web.post(f"{ACCOUNT}/two-step/confirm", data={"code": code_at(secret, 0)})
        assert web.get("/organiser", follow_redirects=False).status_code == 200
        assert web.get("/api/v1/events").status_code == 200

        page = web.get(ACCOUNT)
        assert "requires it, so it stays on" in page.text
        assert "/two-step/off" not in page.text
        off = web.post(f"{ACCOUNT}/two-step/off", data={"code": code_at(secret, 30)})
        assert off.status_code == 409
        assert "stays on" in off.text
