"""The sign-in rate limit holds when guesses arrive all at once, and never counts the sign-ins
that succeed (an agency office signs many colleagues in from one address)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app import security
from app.db import get_engine
from app.errors import TooManyRequests, Unauthorized
from app.models import Organiser
from app.organisers import service
from app.settings import get_settings
from tests.factories import PASSWORD, make_organiser

OFFICE = "203.0.113.9"


def test_guesses_sent_all_at_once_are_held_to_the_same_limit(
    organiser: Organiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten guesses in flight together: each next one arrives while the password check of the
    ones before is still running (argon2 takes a while on purpose)."""
    settings = get_settings()
    verify = security.verify_password
    checked: list[str] = []
    outcomes: list[str] = []
    started: list[int] = []

    def next_guess() -> None:
        if len(started) < 10:
            guess(len(started))

    def guess(n: int) -> None:
        started.append(n)
        with Session(get_engine()) as own:
            try:
                service.sign_in_with_password(
                    own,
                    email=organiser.email,
                    password=f"guess number {n}",
                    client_ip=OFFICE,
                    settings=settings,
                )
            except Unauthorized:
                outcomes.append("wrong")
            except TooManyRequests:
                outcomes.append("wait")
                next_guess()

    def slow_verify(password: str, password_hash: str | None) -> bool:
        checked.append(password)
        next_guess()
        return verify(password, password_hash)

    monkeypatch.setattr(service, "verify_password", slow_verify)
    guess(0)
    limit = settings.signin_attempts_per_window
    assert len(checked) == limit
    assert sorted(outcomes) == ["wait"] * (10 - limit) + ["wrong"] * limit


def test_colleagues_signing_in_from_one_office_are_never_held_up(session: Session) -> None:
    settings = get_settings()
    colleagues = [make_organiser(session, email=f"colleague{n}@agency.example") for n in range(3)]
    rounds = settings.signin_attempts_per_window * 4 // len(colleagues) + 1
    for _ in range(rounds):
        for colleague in colleagues:
            with Session(get_engine()) as own:
                signed_in = service.sign_in_with_password(
                    own,
                    email=colleague.email,
                    password=PASSWORD,
                    client_ip=OFFICE,
                    settings=settings,
                )
                assert signed_in.id == colleague.id
