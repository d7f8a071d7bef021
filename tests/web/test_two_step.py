"""Two-step sign-in through the pages, with codes computed as an authenticator app would."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.organisers import service as organiser_service
from app.organisers import two_step
from tests.factories import PASSWORD, make_organiser

EMAIL = "lieke@agency.example"
ACCOUNT = "/organiser/account"


def sign_in(web: TestClient, code: str = "") -> int:
    answer = web.post(
        "/organiser/sign-in",
        data={"email": EMAIL, "password": PASSWORD, "code": code},
        follow_redirects=False,
    )
    return answer.status_code


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
    web.get(f"/organiser/invite/{token}")
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
