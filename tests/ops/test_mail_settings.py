"""SMTP settings (SPEEDMATCH_SMTP_*): a value that cannot work is named, never shown, and stops
the service at start-up rather than at the organiser's first "E-mail missing links"."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import SettingsError
from app.web import mail
from tests.fixtures.services import free_port
from tests.ops.helpers import environment, speedmatch

PASSWORD = "smtp-password-never-shown"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "70000"),  # smtplib failed with OverflowError: a 500 on the organiser's click
        ("PORT", "0"),
        ("PORT", "submission"),
        ("SENDER", "the agency"),
        ("SENDER", "links@example.org\r\nBcc: everyone@example.org"),  # a header of its own
        ("SENDER", "links@example.org, other@example.org"),
        ("HOST", "smtp://mail.example.org"),
        ("HOST", "mail.example.org:587"),
        ("STARTTLS", "maybe"),
        ("TIMEOUT_S", "0"),
    ],
)
def test_a_value_that_cannot_work_is_named_without_showing_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv("SPEEDMATCH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SPEEDMATCH_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv(f"SPEEDMATCH_SMTP_{name}", value)
    with pytest.raises(SettingsError) as refused:
        mail.mail_settings()
    lines = str(refused.value).splitlines()
    assert lines[0] == "invalid settings (environment or .env):"
    assert [line.split(":")[0] for line in lines[1:]] == [f"  SPEEDMATCH_SMTP_{name}"]
    if len(value) > 2:  # "0" may well appear in "greater than 0"
        assert value not in str(refused.value)
    assert PASSWORD not in str(refused.value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SENDER", "speedmatch@localhost"),
        ("SENDER", "Agency <links@example.org>"),
        ("HOST", "::1"),
        ("HOST", "smtp.example.org"),
        ("PORT", "465"),
    ],
)
def test_values_that_work_are_taken(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(f"SPEEDMATCH_SMTP_{name}", value)
    assert str(getattr(mail.mail_settings(), name.lower())) == value


def test_the_password_is_not_in_the_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEEDMATCH_SMTP_PASSWORD", PASSWORD)
    settings = mail.mail_settings()
    assert PASSWORD not in repr(settings)
    assert settings.password is not None
    assert settings.password.get_secret_value() == PASSWORD


def test_serve_stops_on_a_wrong_smtp_setting_and_names_it(tmp_path: Path) -> None:
    env = environment(
        SPEEDMATCH_DATABASE_URL=f"sqlite:///{tmp_path / 'speedmatch.sqlite3'}",
        SPEEDMATCH_DATA_DIR=str(tmp_path / "data"),
    )
    assert speedmatch("db", "upgrade", env=env).returncode == 0
    env |= {
        "SPEEDMATCH_SMTP_HOST": "127.0.0.1",
        "SPEEDMATCH_SMTP_PORT": "70000",
        "SPEEDMATCH_SMTP_SENDER": "the agency",
        "SPEEDMATCH_SMTP_PASSWORD": PASSWORD,
    }
    # It used to start and serve; the organiser's click then failed with a 500.
    refused = speedmatch("serve", "--port", str(free_port()), env=env, timeout=30)
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr  # what is wrong, not where the code noticed it
    assert "  SPEEDMATCH_SMTP_PORT: Input should be less than or equal to 65535" in refused.stderr
    assert "  SPEEDMATCH_SMTP_SENDER: must be an e-mail address" in refused.stderr
    assert PASSWORD not in refused.stderr + refused.stdout
