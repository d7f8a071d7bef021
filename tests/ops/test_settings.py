"""Settings from the environment and `.env`: what .env.example documents works, and a wrong
value is named in one readable line that never repeats the value."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.settings import Settings, UnsafeSettings
from tests.fixtures.services import PostgresServer
from tests.ops.helpers import ROOT, environment, speedmatch


def example_value(name: str) -> str:
    """The value .env.example gives `name`."""
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{name}="):
            return line.split("=", 1)[1]
    raise AssertionError(f"{name} is not in .env.example")


def test_a_copy_of_env_example_as_env_is_read_and_works(tmp_path: Path) -> None:
    shutil.copyfile(ROOT / ".env.example", tmp_path / ".env")
    env = environment()
    env.pop("SPEEDMATCH_SECRET_KEY")
    done = speedmatch("db", "upgrade", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "speedmatch.sqlite3").is_file()


def test_a_too_short_secret_key_is_named_without_showing_it(tmp_path: Path) -> None:
    # It used to end a 50-line traceback with pydantic's "input_value='<the key>'".
    env = environment(SPEEDMATCH_SECRET_KEY="s3cr3t-sh0rt", SPEEDMATCH_DATA_DIR=str(tmp_path))
    done = speedmatch("db", "upgrade", env=env)
    assert done.returncode == 1
    assert "SPEEDMATCH_SECRET_KEY: String should have at least 16 characters" in done.stderr
    assert "s3cr3t-sh0rt" not in done.stderr
    assert "Traceback" not in done.stderr


def test_a_bad_value_in_dot_env_is_named(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SPEEDMATCH_SESSION_IDLE_S=eight hours\n", encoding="utf-8")
    done = speedmatch("db", "upgrade", env=environment(), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "speedmatch: invalid settings (environment or .env):",
        "  SPEEDMATCH_SESSION_IDLE_S: Input should be a valid integer, unable to parse string "
        "as an integer",
    ]


def test_the_env_example_secret_key_is_refused_on_a_public_address() -> None:
    # Copying .env.example and setting only the public address served everyone's sessions
    # and sealed two-step secrets under a key printed in this repository.
    published = example_value("SPEEDMATCH_SECRET_KEY")
    public = Settings(base_url="https://partners.example.org", secret_key=published)
    with pytest.raises(UnsafeSettings, match="SPEEDMATCH_SECRET_KEY"):
        public.check_production_safety()
    Settings(base_url="http://127.0.0.1:8000", secret_key=published).check_production_safety()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("base_url", "partners.example.org"),  # links would read "partners.example.org/p/..."
        ("log_level", "verbose"),  # uvicorn failed with KeyError: 'verbose'
        ("database_url", "mysql://speedmatch@db/speedmatch"),
        ("redis_url", "localhost:6379"),
        ("session_idle_s", 0),  # every organiser signed out at once
        ("max_body_bytes", 0),  # every request answered 413
        ("solver_workers", 0),
        ("solver_time_limit_s", -1),
    ],
)
def test_values_the_service_cannot_run_with_are_refused(name: str, value: object) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings.model_validate({name: value})
    assert [error["loc"] for error in refused.value.errors()] == [(name,)]


def test_log_level_is_read_in_any_case() -> None:
    assert Settings(log_level="WARNING").log_level == "warning"


@pytest.mark.postgres
def test_a_postgres_url_as_hosting_providers_print_it_works(
    postgres_server: PostgresServer,
) -> None:
    # "postgres://" is what many providers hand out; SQLAlchemy has no dialect of that name.
    url = postgres_server.create_database("ops_provider_url")
    try:
        provider_form = url.replace("postgresql+psycopg://", "postgres://")
        assert Settings(database_url=provider_form).database_url == url
        done = speedmatch("db", "upgrade", env=environment(SPEEDMATCH_DATABASE_URL=provider_form))
        assert done.returncode == 0, done.stderr
    finally:
        postgres_server.drop_database("ops_provider_url")
