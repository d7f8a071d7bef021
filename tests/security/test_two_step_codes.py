"""Two-step codes as phones really type them, and a code that works once even when two sign-ins
carrying it arrive at the same moment."""

from __future__ import annotations

from datetime import UTC, datetime

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.db import get_engine
from app.models import Organiser
from app.organisers import two_step
from app.organisers.sealed import seal
from app.settings import get_settings
from tests.factories import PASSWORD

NOW = datetime(2026, 6, 12, 8, 0, 10, tzinfo=UTC)  # fixed: no step edge during a test
SIGN_IN = "/api/v1/auth/signin"
# What a phone with an Arabic, Persian or Devanagari keyboard types for the digits 0-9.
KEYBOARDS = {
    "arabic": "٠١٢٣٤٥٦٧٨٩",
    "persian": "۰۱۲۳۴۵۶۷۸۹",
    "devanagari": "०१२३४५६७८९",
    "full-width": "０１２３４５６７８９",
}


@pytest.fixture
def secret(session: Session, organiser: Organiser, monkeypatch: pytest.MonkeyPatch) -> str:
    """Two-step sign-in on for `organiser`; the secret their authenticator app holds."""
    monkeypatch.setattr(two_step, "_utc_now", lambda: NOW)
    value = pyotp.random_base32()
    organiser.totp_secret = seal(value, get_settings().secret_key)
    organiser.totp_enabled = True
    session.add(organiser)
    session.commit()
    return value


def typed_on(keyboard: str, code: str) -> str:
    return "".join(KEYBOARDS[keyboard][int(digit)] for digit in code)


@pytest.mark.parametrize("keyboard", sorted(KEYBOARDS))
def test_a_code_typed_with_another_scripts_digits_signs_in(
    client: TestClient, organiser: Organiser, secret: str, keyboard: str
) -> None:
    code = typed_on(keyboard, pyotp.TOTP(secret).at(NOW))
    answer = client.post(
        SIGN_IN, json={"email": organiser.email, "password": PASSWORD, "code": code}
    )
    assert answer.status_code == 200, answer.text
    assert client.get("/api/v1/organisers/me").json()["id"] == organiser.id


def test_digits_that_are_not_a_code_are_a_wrong_code_not_a_server_error(
    client: TestClient, organiser: Organiser, secret: str
) -> None:
    body = {"email": organiser.email, "password": PASSWORD, "code": "¹²³⁴⁵⁶"}
    answer = client.post(SIGN_IN, json=body)
    assert answer.status_code == 401
    assert answer.json()["type"] == "unauthorized"


def test_a_code_works_once_even_for_two_sign_ins_at_the_same_moment(
    organiser: Organiser, secret: str
) -> None:
    """Both requests read the account before either has spent the code (the password check
    in between takes a while): the second must still be refused."""
    code = pyotp.TOTP(secret).at(NOW)
    key = get_settings().secret_key
    with Session(get_engine()) as first, Session(get_engine()) as second:
        mine, theirs = first.get(Organiser, organiser.id), second.get(Organiser, organiser.id)
        assert mine is not None
        assert theirs is not None
        results = [
            two_step.code_is_valid(first, mine, code, secret_key=key),
            two_step.code_is_valid(second, theirs, code, secret_key=key),
        ]
    assert results == [True, False]
