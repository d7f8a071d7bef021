"""Two-step sign-in secrets are sealed in the database, and whoever runs the server can turn
two-step sign-in off when the secret key changed or a phone was lost."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyotp
import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session
from typer.testing import CliRunner

from app.cli import cli, commands
from app.cli.db import alembic_config, upgrade
from app.errors import Unauthorized
from app.organisers import service as organiser_service
from app.organisers import two_step
from app.organisers.sealed import unseal
from app.settings import Settings, get_settings
from tests.factories import PASSWORD, make_organiser
from tests.fixtures.database import BOTH_DATABASES, TEST_SECRET_KEY, use_database

assert commands  # registers the sub-commands on `cli`
EMAIL = "joana@agency.example"
OTHER_KEY = "a-new-secret-key-after-a-leak-0123"


def turned_on(db: Session) -> str:
    """An organiser with two-step sign-in on; returns the secret their app holds."""
    organiser = make_organiser(db, email=EMAIL)
    two_step.begin(db, organiser, secret_key=TEST_SECRET_KEY)
    secret = two_step.shared_secret(organiser, secret_key=TEST_SECRET_KEY)
    assert secret is not None
    two_step.confirm(db, organiser, pyotp.TOTP(secret).now(), secret_key=TEST_SECRET_KEY)
    return secret


def sign_in(db: Session, key: str, code: str | None) -> None:
    organiser_service.sign_in_with_password(
        db,
        email=EMAIL,
        password=PASSWORD,
        client_ip="127.0.0.1",
        settings=Settings(secret_key=key),
        code=code,
    )


def stored_secret(db: Session) -> str | None:
    secret: str | None = db.execute(
        text("SELECT totp_secret FROM organiser WHERE email = :e"), {"e": EMAIL}
    ).scalar_one()
    return secret


@contextmanager
def at_release_0004(database_url: str, secret: str) -> Iterator[Engine]:
    """The database downgraded to 0004, with an organiser whose two-step secret that release
    stored in the clear."""
    command.downgrade(alembic_config(database_url), "0004")
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO organiser (id, email, name, session_version, totp_secret, "
                    "totp_enabled, created_at) VALUES ('o1', :e, 'Joana', 0, :s, true, "
                    "CURRENT_TIMESTAMP)"
                ),
                {"e": EMAIL, "s": secret},
            )
        yield engine
    finally:
        engine.dispose()


def secret_column(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(text("SELECT totp_secret FROM organiser")).scalar_one())


def test_the_database_holds_the_secret_sealed_under_the_secret_key(session: Session) -> None:
    secret = turned_on(session)
    stored = stored_secret(session)
    assert stored is not None
    assert secret not in stored
    assert unseal(stored, TEST_SECRET_KEY) == secret
    assert unseal(stored, OTHER_KEY) is None  # a copy of the database alone gives no codes


def test_after_the_secret_key_changes_the_cli_turns_two_step_off(session: Session) -> None:
    secret = turned_on(session)
    with pytest.raises(Unauthorized):  # the secret no longer opens: no code is right
        sign_in(session, OTHER_KEY, pyotp.TOTP(secret).now())
    with pytest.raises(Unauthorized):
        sign_in(session, OTHER_KEY, None)

    runner = CliRunner()
    off = runner.invoke(cli, ["organiser", "two-step-off", EMAIL.upper()])
    assert off.exit_code == 0, off.output
    assert "off for joana@agency.example" in off.output
    session.expire_all()
    assert stored_secret(session) is None
    sign_in(session, OTHER_KEY, None)  # the password alone signs in again

    again = runner.invoke(cli, ["organiser", "two-step-off", EMAIL])
    assert again.exit_code == 1
    assert "not on" in again.output
    unknown = runner.invoke(cli, ["organiser", "two-step-off", "nobody@agency.example"])
    assert unknown.exit_code == 1
    assert "No organiser" in unknown.output


@BOTH_DATABASES
def test_upgrading_seals_secrets_stored_in_the_clear_and_downgrading_opens_them(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = pyotp.random_base32()
    with use_database(monkeypatch, database_url, tmp_path):
        with at_release_0004(database_url, secret) as engine:
            upgrade(database_url)
            sealed = secret_column(engine)
            assert sealed != secret
            assert unseal(sealed, get_settings().secret_key) == secret

            command.downgrade(alembic_config(database_url), "0004")
            with engine.connect() as conn:
                row = conn.execute(text("SELECT totp_secret, totp_enabled FROM organiser")).one()
            assert tuple(row) == (secret, True)
        upgrade(database_url)


def test_migrating_leaves_the_settings_to_be_read_after(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A benchmark or script that migrates its own database first, then points the settings at
    # it, gets that database (the sealing migration used to read and cache the settings).
    mine = f"sqlite:///{tmp_path / 'mine.sqlite3'}"
    with use_database(monkeypatch, f"sqlite:///{tmp_path / 'default.sqlite3'}", tmp_path):
        upgrade(mine)
        monkeypatch.setenv("SPEEDMATCH_DATABASE_URL", mine)
        assert get_settings().effective_database_url == mine


@BOTH_DATABASES
def test_the_caller_may_give_the_key_to_seal_with(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = pyotp.random_base32()
    with use_database(monkeypatch, database_url, tmp_path):
        with at_release_0004(database_url, secret) as engine:
            upgrade(database_url, secret_key=OTHER_KEY)
            sealed = secret_column(engine)
            assert unseal(sealed, OTHER_KEY) == secret
            assert unseal(sealed, TEST_SECRET_KEY) is None
