"""What an operator sees when something is not ready: one line saying what to do, an exit code,
and no server that starts on a database it cannot use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.db import shipped_revisions
from matching import write_participants_csv
from matching.generate import generate_participants
from tests.fixtures.services import free_port
from tests.ops.helpers import ROOT, environment, speedmatch

NEWEST = ", ".join(sorted(shipped_revisions()[0]))


def sqlite_env(tmp_path: Path) -> dict[str, str]:
    return environment(
        SPEEDMATCH_DATABASE_URL=f"sqlite:///{tmp_path / 'speedmatch.sqlite3'}",
        SPEEDMATCH_DATA_DIR=str(tmp_path / "data"),
    )


def test_serve_refuses_a_database_that_was_never_migrated(tmp_path: Path) -> None:
    # It used to start, answer the health check with "ok" and log a traceback every second
    # from the live loops, while every page failed.
    refused = speedmatch("serve", "--port", str(free_port()), env=sqlite_env(tmp_path), timeout=60)
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"speedmatch: the database sqlite:///{tmp_path / 'speedmatch.sqlite3'} has no tables "
        "yet: run `speedmatch db upgrade` first."
    ]


def test_the_app_refuses_to_start_on_a_database_an_upgrade_behind(tmp_path: Path) -> None:
    # The image runs uvicorn itself: the app checks too, so a release deployed without its
    # migration stops at once instead of failing on the new columns request by request.
    env = sqlite_env(tmp_path)
    assert speedmatch("db", "upgrade", "0004", env=env).returncode == 0
    server = subprocess.run(
        [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory"]
        + ["--host", "127.0.0.1", "--port", str(free_port())],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert server.returncode != 0
    assert f"is at revision 0004 but this release needs {NEWEST}" in server.stderr
    assert "run `speedmatch db upgrade` first" in server.stderr


def test_serve_with_several_workers_needs_redis(tmp_path: Path) -> None:
    # Without Redis each worker sees only its own sockets: at a round start, everyone
    # connected to another worker counted as a no-show and was planned out of the round.
    env = sqlite_env(tmp_path)
    refused = speedmatch("serve", "--port", str(free_port()), "--workers", "2", env=env, timeout=60)
    assert refused.returncode == 2
    assert "SPEEDMATCH_REDIS_URL" in refused.stderr


def test_serve_refuses_a_port_that_does_not_exist(tmp_path: Path) -> None:
    # 70000 used to be taken modulo 65536: the log said 70000 while it listened on 4464.
    refused = speedmatch("serve", "--port", "70000", env=sqlite_env(tmp_path), timeout=60)
    assert refused.returncode == 2
    assert "--port" in refused.stderr


def test_db_upgrade_says_which_revision_the_database_is_at(tmp_path: Path) -> None:
    env = sqlite_env(tmp_path)
    first = speedmatch("db", "upgrade", "0002", env=env)
    assert first.stdout == f"Database is at revision 0002 (the newest is {NEWEST}).\n"
    assert speedmatch("db", "upgrade", env=env).stdout == "Database is at revision head.\n"
    # Asking for an older revision changes nothing; it used to claim "revision 0002".
    older = speedmatch("db", "upgrade", "0002", env=env)
    assert (older.returncode, older.stdout) == (0, "Database is at revision head.\n")


def test_a_database_that_does_not_answer_is_one_line_without_the_password() -> None:
    url = f"postgresql+psycopg://speedmatch:pw-not-to-show@127.0.0.1:{free_port()}/speedmatch"
    failed = speedmatch("db", "upgrade", env=environment(SPEEDMATCH_DATABASE_URL=url))
    assert failed.returncode == 1
    [line] = failed.stderr.splitlines()
    assert line.startswith("speedmatch: the database postgresql+psycopg://speedmatch:***@127.0.0.1")
    assert "Connection refused" in line
    assert "pw-not-to-show" not in failed.stderr


def test_organiser_command_on_a_database_never_migrated_says_to_migrate(tmp_path: Path) -> None:
    done = speedmatch("organiser", "two-step-off", "ines@agency.example", env=sqlite_env(tmp_path))
    assert done.returncode == 1
    assert done.stderr.endswith("has no tables yet: run `speedmatch db upgrade` first.\n")
    assert "Traceback" not in done.stderr


def test_plan_into_a_folder_that_does_not_exist_fails_before_planning(tmp_path: Path) -> None:
    # The plan used to be computed (30 s by default) and then lost to a FileNotFoundError.
    csv = tmp_path / "participants.csv"
    csv.write_text(write_participants_csv(generate_participants(8, seed=1)), encoding="utf-8")
    out = tmp_path / "missing" / "plan.json"
    done = speedmatch("plan", str(csv), "--time-limit", "0.5", "--out", str(out), env=environment())
    assert done.returncode == 2
    assert done.stderr == f"cannot write {out}: the folder {out.parent} does not exist\n"
