"""The service image's build and start, and the compose stack's settings, without Docker (no
engine runs on the build machine).

The Dockerfile's build stage copies a few paths and runs `pip install .`; its command migrates
the database, then starts uvicorn. These tests do the same from the Dockerfile's own lines:
only the copied paths go into the wheel, the wheel is installed into a folder of its own, and
the command runs from an empty data folder. So a template, a static file or a migration left
out of the package, or a flag the installed uvicorn does not know, fails here as in the image.
The compose test then runs that command with compose.yaml's environment for the app (and
.env.example as its env_file), its service names pointed at a real PostgreSQL and Redis.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio
import yaml
from websockets.asyncio.client import connect

from tests.fixtures.redis import RedisServer
from tests.fixtures.services import PostgresServer, free_port

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
BOOT_S = 60


def build_stage_copies() -> list[str]:
    """The paths the build stage copies from the build context (not from another stage)."""
    build = DOCKERFILE.split("\nFROM ", 2)[1]
    paths: list[str] = []
    for line in build.splitlines():
        words = line.split()
        if words[:1] == ["COPY"] and not any(w.startswith("--from") for w in words):
            paths += words[1:-1]
    return paths


def command() -> str:
    """The final stage's CMD: a shell line run by `sh -c`."""
    line = next(line for line in DOCKERFILE.splitlines() if line.startswith("CMD "))
    argv = json.loads(line.removeprefix("CMD "))
    assert argv[:2] == ["sh", "-c"]
    return str(argv[2])


def healthcheck_url() -> str:
    found = re.search(r"urlopen\('([^']+)'", DOCKERFILE)
    assert found is not None
    return found.group(1)


def run(*args: str | Path, **kwargs: object) -> None:
    subprocess.run([str(a) for a in args], check=True, capture_output=True, **kwargs)  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build stage: a wheel of the copied paths only, installed into a folder of its own."""
    tmp = tmp_path_factory.mktemp("image")
    context, wheels, site = (tmp / d for d in ("context", "wheels", "site"))
    context.mkdir()
    for name in build_stage_copies():
        source = ROOT / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(source, context / name, ignore=ignore)
        else:
            (context / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, context / name)
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check")
    run(*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", wheels, context)
    (wheel,) = wheels.glob("speedmatch-*.whl")
    run(*pip, "install", "--no-deps", "-q", "--target", site, wheel)
    return site


def image_env(site: Path, data: Path, settings: Mapping[str, str] = {}) -> dict[str, str]:
    """A clean environment, as in the image: the data folder and `settings`, nothing else."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(data),
        "PYTHONPATH": str(site),
        "PYTHONUNBUFFERED": "1",
        **settings,
        "SPEEDMATCH_DATA_DIR": str(data),
    }


@contextmanager
def serving(env: dict[str, str], data: Path, log: Path) -> Iterator[str]:
    """The image's command, on a free loopback port; yields its base URL once healthy."""
    port = free_port()
    python = sys.executable
    line = command()
    assert line.startswith("speedmatch db upgrade && exec uvicorn ")
    line = line.replace("speedmatch ", f"{python} -m app.cli ", 1)
    line = line.replace("exec uvicorn ", f"exec {python} -m uvicorn ", 1)
    line = line.replace("--host 0.0.0.0", "--host 127.0.0.1").replace(
        "--port 8000", f"--port {port}"
    )
    with log.open("wb") as out:
        server = subprocess.Popen(["sh", "-c", line], env=env, cwd=data, stdout=out, stderr=out)
    try:
        base = f"http://127.0.0.1:{port}"
        health = healthcheck_url().replace("http://127.0.0.1:8000", base)
        deadline = time.monotonic() + BOOT_S
        answer: httpx.Response | None = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                answer = httpx.get(health, timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert answer is not None, log.read_text()
        assert answer.json() == {"status": "ok", "database": "ok"}
        assert "Database is at revision head." in log.read_text()
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_image_build_installs_a_service_that_migrates_and_serves(
    installed: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    env = image_env(installed, data)
    where = subprocess.run(
        [sys.executable, "-c", "import app, matching, rooms, migrations; print(app.__file__)"],
        env=env, cwd=data, check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert where.stdout.strip().startswith(str(installed)), where.stdout  # not the source tree

    with serving(env, data, tmp_path / "service.log") as base:
        home = httpx.get(f"{base}/", timeout=5)
        assert home.status_code == 200
        assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', home.text)
        assert any(a.split("?")[0].endswith(".css") for a in assets)
        for asset in assets:
            assert httpx.get(f"{base}{asset}", timeout=5).status_code == 200, asset


PASSWORD = "compose-test-password"


def interpolated(value: str, variables: Mapping[str, str]) -> str:
    """Compose's `${NAME}` and `${NAME:?message}`; anything else would go unchecked here."""
    out = re.sub(r"\$\{(\w+)(?::\?[^}]*)?\}", lambda m: variables[m.group(1)], value)
    assert "$" not in out, value
    return out


def env_example() -> dict[str, str]:
    """.env.example as an env_file: what an organisation copies to .env and edits."""
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    pairs = (line.split("=", 1) for line in lines if line and not line.startswith("#"))
    return {name.strip(): value.strip() for name, value in pairs}


def test_compose_configures_the_image_for_postgresql_and_redis(
    installed: Path, tmp_path: Path, postgres_server: PostgresServer, redis_server: RedisServer
) -> None:
    services = COMPOSE["services"]
    app, postgres = services["app"], services["postgres"]
    assert app["env_file"] == ".env"
    assert set(app["depends_on"]) == {"postgres", "redis"}
    # The published port is the one the command serves; the volume is the image's data folder.
    assert any(p.endswith(":8000:8000") for p in app["ports"])
    data_dir = re.search(r"SPEEDMATCH_DATA_DIR=(\S+)", DOCKERFILE)
    assert data_dir is not None
    assert any(v.endswith(f":{data_dir.group(1)}") for v in app["volumes"])

    # The postgres image creates POSTGRES_USER and POSTGRES_DB with POSTGRES_PASSWORD; so does
    # this test, on the test cluster, from compose's own values.
    variables = {"POSTGRES_PASSWORD": PASSWORD}
    pg_env = {k: interpolated(str(v), variables) for k, v in postgres["environment"].items()}
    user, database = pg_env["POSTGRES_USER"], pg_env["POSTGRES_DB"]
    with postgres_server.admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'DROP ROLE IF EXISTS "{user}"')
        conn.execute(f"CREATE ROLE \"{user}\" LOGIN PASSWORD '{pg_env['POSTGRES_PASSWORD']}'")
        conn.execute(f'CREATE DATABASE "{database}" OWNER "{user}"')

    # The app's environment, with the service names pointed at the test servers.
    settings = env_example()
    for name, value in app["environment"].items():
        settings[name] = interpolated(str(value), variables)
    pg_at, redis_at = f"{postgres_server.host}:{postgres_server.port}", redis_server.url
    settings["SPEEDMATCH_DATABASE_URL"] = settings["SPEEDMATCH_DATABASE_URL"].replace(
        "@postgres:5432/", f"@{pg_at}/"
    )
    settings["SPEEDMATCH_REDIS_URL"] = settings["SPEEDMATCH_REDIS_URL"].replace(
        "redis://redis:6379/0", redis_at
    )
    assert f"{pg_at}/{database}" in settings["SPEEDMATCH_DATABASE_URL"]
    assert settings["SPEEDMATCH_REDIS_URL"] == redis_at

    data = tmp_path / "data"
    data.mkdir()
    env = image_env(installed, data, settings)
    try:
        demo = subprocess.run(
            [sys.executable, "-m", "app.cli", "demo", "-n", "6", "--json", "--time-limit", "2"],
            env=env, cwd=data, check=True, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        token = json.loads(demo.stdout)["participants"][0]["token"]
        with serving(env, data, tmp_path / "service.log") as base:
            first, channels = asyncio.run(connected(base, token, redis_server.url))
        assert first["type"] == "state"
        assert channels  # the server follows the participant's event through Redis
        assert not list(data.glob("*.sqlite3"))  # PostgreSQL holds everything
    finally:
        with postgres_server.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{user}"')


async def connected(base: str, token: str, redis_url: str) -> tuple[dict[str, Any], list[str]]:
    """A participant's first message, and the Redis channels subscribed while they are here."""
    url = base.replace("http://", "ws://") + f"/ws/participant?token={token}"
    client = redis.asyncio.Redis.from_url(redis_url, decode_responses=True)
    try:
        async with connect(url) as socket:
            first: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), 10))
            channels: list[str] = []
            for _ in range(50):
                channels = [str(name) for name in await client.pubsub_channels()]
                if channels:
                    break
                await asyncio.sleep(0.1)
            return first, channels
    finally:
        await client.aclose()
