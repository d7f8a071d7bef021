"""Signing in with the code that just turned two-step sign-in on (spent: a code works once)
says that a code works only once, instead of blaming the e-mail address or password; it still
never says which of password and code was wrong."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.organisers import two_step
from tests.factories import PASSWORD, make_organiser

EMAIL = "lieke@agency.example"
NOW = datetime(2026, 6, 12, 8, 0, 10, tzinfo=UTC)
WITH_CODE = (
    "The e-mail address, password or code is not right. A code works only once: "
    "if you just used it, wait for the next one."
)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(two_step, "_utc_now", lambda: NOW)


def sign_in(web: TestClient, password: str, code: str) -> str:
    answer = web.post(
        "/organiser/sign-in", data={"email": EMAIL, "password": password, "code": code}
    )
    assert answer.status_code == 401
    found = re.search(r'role="alert"[^>]*>([^<]*)<', answer.text)
    assert found is not None, answer.text
    return found.group(1).replace("&#39;", "'")


def test_a_spent_code_is_told_as_used_once_without_saying_which_part_was_wrong(
    web: TestClient, db: Session
) -> None:
    make_organiser(db, email=EMAIL)
    web.post("/organiser/sign-in", data={"email": EMAIL, "password": PASSWORD})
    started = web.post("/organiser/account/two-step/begin")
    found = re.search(r"<code>([A-Z2-7]{16,})</code>", started.text)
    assert found is not None
    code = pyotp.TOTP(found.group(1)).at(NOW)
    assert web.post("/organiser/account/two-step/confirm", data={"code": code}).status_code == 200
    web.post("/organiser/sign-out")

    spent = sign_in(web, PASSWORD, code)  # the code that just turned it on
    wrong_password = sign_in(
        web, "not the password", pyotp.TOTP(found.group(1)).at(NOW + timedelta(seconds=30))
    )
    assert spent == WITH_CODE
    assert wrong_password == spent  # which part was wrong stays unknown
    # Without a code, the message still says a code may be what is missing.
    assert "if two-step sign-in is on" in sign_in(web, PASSWORD, "")
