"""Password checks run a few at a time (argon2 takes 64 MiB each): a burst of sign-ins waits
its turn and all of them still succeed, and one that waits too long is told to try again (503
with Retry-After), never queued for ever. Before, every sign-in in FastAPI's thread pool ran its
argon2 check at once: a few hundred got the server killed for memory."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlmodel import Session

from app import security
from app.db import get_engine
from app.main import create_app
from tests.factories import PASSWORD, make_organiser
from tests.fixtures.database import use_database
from tests.security.test_unexpected_error import served

AT_ONCE = 3
SIGN_INS = 24


class CountingHasher:
    """The real argon2 hasher, counting the checks in flight. The first AT_ONCE checks wait a
    moment for one more to join them, so that a missing bound shows every time."""

    def __init__(self, real: PasswordHasher) -> None:
        self.real = real
        self.lock = threading.Lock()
        self.crowded = threading.Event()
        self.started = 0
        self.in_flight = 0
        self.most = 0

    def verify(self, password_hash: str, password: str) -> bool:
        with self.lock:
            self.started += 1
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
            first = self.started <= AT_ONCE
            if self.in_flight > AT_ONCE:
                self.crowded.set()
        if first:
            self.crowded.wait(timeout=3)  # a wait for company, not a measurement
        try:
            return self.real.verify(password_hash, password)
        finally:
            with self.lock:
                self.in_flight -= 1

    def hash(self, password: str) -> str:
        return self.real.hash(password)


def settings_env(**more: str) -> dict[str, str | None]:
    return {
        "SPEEDMATCH_PASSWORD_CHECKS_AT_ONCE": str(AT_ONCE),
        # Every sign-in here is right; the rate limit is not what this test is about.
        "SPEEDMATCH_SIGNIN_ATTEMPTS_PER_WINDOW": "1000",
        "SPEEDMATCH_REDIS_URL": None,
        **more,
    }


@pytest.fixture
def database(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    env = settings_env(SPEEDMATCH_PASSWORD_CHECK_WAIT_S="60")
    with use_database(monkeypatch, database_url, tmp_path / "data", env=env) as url:
        yield url


def test_many_sign_ins_at_once_never_run_more_password_checks_than_the_bound(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(get_engine()) as db:
        emails = [make_organiser(db, email=f"colleague{n}@agency.example").email for n in range(6)]
    hasher = CountingHasher(security._hasher)
    monkeypatch.setattr(security, "_hasher", hasher)

    with served(create_app()) as base, ThreadPoolExecutor(SIGN_INS) as pool:

        def sign_in(n: int) -> int:
            body = {"email": emails[n % len(emails)], "password": PASSWORD}
            return httpx.post(f"{base}/api/v1/auth/signin", json=body, timeout=60).status_code

        answers = list(pool.map(sign_in, range(SIGN_INS)))

    assert answers == [200] * SIGN_INS
    assert hasher.started == SIGN_INS
    assert hasher.most == AT_ONCE


def test_a_sign_in_that_waits_too_long_for_its_turn_is_told_to_try_again(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = settings_env(SPEEDMATCH_PASSWORD_CHECK_WAIT_S="0.1")
    with (
        use_database(monkeypatch, database_url, tmp_path / "data", env=env),
        TestClient(create_app()) as client,
    ):
        with Session(get_engine()) as db:
            email = make_organiser(db).email
        body = {"email": email, "password": PASSWORD}
        # Every slot is taken (by this test) for as long as the sign-ins wait.
        with ExitStack() as taken:
            for _ in range(AT_ONCE):
                taken.enter_context(security.password_check_slot(at_once=AT_ONCE, wait_s=1))
            api = client.post("/api/v1/auth/signin", json=body)
            page = client.post("/organiser/sign-in", data=body)

        assert api.status_code == 503
        assert api.headers["retry-after"] == "5"
        assert api.json() == {
            "type": "unavailable",
            "detail": "Many people are signing in at this moment. "
            "Please try again in a few seconds.",
        }
        assert page.status_code == 503
        assert "Many people are signing in at this moment" in page.text
        assert client.get("/api/v1/organisers/me").status_code == 401

        # A turn free again: the same sign-in goes through.
        assert client.post("/api/v1/auth/signin", json=body).status_code == 200
