"""Codes typed on "My account" (turning two-step sign-in on or off) are limited like sign-in
codes: someone at a stolen session cannot try codes until one fits."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organiser
from app.organisers import two_step
from app.organisers.sealed import seal
from app.settings import get_settings
from tests.factories import PASSWORD

NOW = datetime(2026, 6, 12, 8, 0, 10, tzinfo=UTC)  # fixed: no step edge during a test
ACCOUNT = "/organiser/account"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(two_step, "_utc_now", lambda: NOW)


@pytest.fixture
def signed_in(client: TestClient, organiser: Organiser) -> TestClient:
    answer = client.post(
        "/organiser/sign-in",
        data={"email": organiser.email, "password": PASSWORD},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    return client


def wrong_code(right: str) -> str:
    return f"{(int(right) + 1) % 1_000_000:06d}"


def guess_until_refused(client: TestClient, path: str, right: str) -> list[int]:
    """The limit's worth of wrong codes, then one more."""
    limit = get_settings().signin_attempts_per_window
    return [
        client.post(path, data={"code": wrong_code(right)}).status_code for _ in range(limit + 1)
    ]


def test_guessing_the_code_that_turns_two_step_off_is_limited(
    signed_in: TestClient, session: Session, organiser: Organiser
) -> None:
    secret = pyotp.random_base32()
    organiser.totp_secret = seal(secret, get_settings().secret_key)
    organiser.totp_enabled = True  # this session stays valid: it was not turned on here
    session.add(organiser)
    session.commit()
    right = pyotp.TOTP(secret).at(NOW)

    statuses = guess_until_refused(signed_in, f"{ACCOUNT}/two-step/off", right)
    assert statuses[:-1] == [422] * (len(statuses) - 1)  # "That code is not right"
    assert statuses[-1] == 429

    # Over the limit even the right code waits, and says why on the page.
    answer = signed_in.post(f"{ACCOUNT}/two-step/off", data={"code": right})
    assert answer.status_code == 429
    assert "text/html" in answer.headers["content-type"]
    assert "Too many wrong codes. Wait a few minutes and try again." in answer.text
    session.refresh(organiser)
    assert organiser.totp_enabled


def test_guessing_the_first_code_that_turns_two_step_on_is_limited(
    signed_in: TestClient, session: Session, organiser: Organiser
) -> None:
    started = signed_in.post(f"{ACCOUNT}/two-step/begin")
    found = re.search(r"<code>([A-Z2-7]{16,})</code>", started.text)
    assert found is not None
    right = pyotp.TOTP(found.group(1)).at(NOW)

    statuses = guess_until_refused(signed_in, f"{ACCOUNT}/two-step/confirm", right)
    assert statuses[-1] == 429
    answer = signed_in.post(f"{ACCOUNT}/two-step/confirm", data={"code": right})
    assert answer.status_code == 429
    assert "Too many wrong codes" in answer.text
    session.refresh(organiser)
    assert not organiser.totp_enabled


def test_a_right_code_is_not_counted(
    signed_in: TestClient, session: Session, organiser: Organiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Turning two-step sign-in on and off again and again never reaches the limit."""
    key = get_settings().secret_key
    for turn in range(get_settings().signin_attempts_per_window + 1):
        signed_in.post(f"{ACCOUNT}/two-step/begin")
        session.refresh(organiser)
        secret = two_step.shared_secret(organiser, secret_key=key)
        assert secret is not None
        # One clock step per turn: a spent step is never accepted again.
        moment = datetime.fromtimestamp(NOW.timestamp() + 60 * turn, UTC)
        monkeypatch.setattr(two_step, "_utc_now", lambda moment=moment: moment)
        on = signed_in.post(
            f"{ACCOUNT}/two-step/confirm", data={"code": pyotp.TOTP(secret).at(moment)}
        )
        assert on.status_code == 200, on.text
        off = signed_in.post(
            f"{ACCOUNT}/two-step/off",
            data={"code": pyotp.TOTP(secret).at(moment, counter_offset=1)},
        )
        assert off.status_code == 200, off.text
