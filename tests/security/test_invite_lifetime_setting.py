"""How long an unused invite link works is SPEEDMATCH_INVITE_DAYS (1 to 60, 7 by default), read
by the real settings loader; a value out of range stops the service at start-up, naming the
variable. It used to be a 7-day constant."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.db import get_engine
from app.main import create_app
from app.organisers import service
from app.settings import SettingsError, get_settings
from tests.factories import make_organiser
from tests.fixtures.database import use_database
from tests.ops.helpers import environment, speedmatch

DAY_S = 24 * 3600


@pytest.mark.parametrize(
    ("setting", "age_days", "works"),
    [("2", 3, False), ("2", 1, True), ("30", 20, True), (None, 6, True), (None, 8, False)],
)
def test_an_invite_link_works_for_as_many_days_as_the_setting_says(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    setting: str | None,
    age_days: int,
    works: bool,
) -> None:
    env = {"SPEEDMATCH_INVITE_DAYS": setting, "SPEEDMATCH_REDIS_URL": None}
    with (
        use_database(monkeypatch, database_url, tmp_path / "data", env=env),
        TestClient(create_app()) as client,
    ):
        with Session(get_engine()) as db:
            token = service.issue_invite(db, organiser=make_organiser(db))
        with monkeypatch.context() as later:
            later.setattr(time, "time", lambda real=time.time: real() + age_days * DAY_S)
            page = client.get(f"/organiser/invite/{token}")
            used = client.post("/api/v1/auth/invite", json={"token": token})

    assert (page.status_code, used.status_code) == ((200, 200) if works else (401, 401))
    if not works:
        assert "expired" in used.json()["detail"]


@pytest.mark.parametrize("value", ["0", "61", "a week"])
def test_an_invite_lifetime_out_of_range_is_named(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPEEDMATCH_INVITE_DAYS", value)
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError, match=r"\n  SPEEDMATCH_INVITE_DAYS: ") as refused:
            get_settings()
    finally:
        get_settings.cache_clear()
    assert len(str(refused.value).splitlines()) == 2  # that variable only


def test_the_service_does_not_start_with_an_invite_lifetime_out_of_range(tmp_path: Path) -> None:
    env = environment(SPEEDMATCH_INVITE_DAYS="90", SPEEDMATCH_DATA_DIR=str(tmp_path))
    done = speedmatch("db", "upgrade", env=env)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "speedmatch: invalid settings (environment or .env):",
        "  SPEEDMATCH_INVITE_DAYS: Input should be less than or equal to 60",
    ]
