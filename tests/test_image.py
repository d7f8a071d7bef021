"""The service image's build and start, without Docker (no engine runs on the build machine).

The Dockerfile's build stage copies a few paths and runs `pip install .`; its command migrates
the database, then starts uvicorn. This test does the same from the Dockerfile's own lines:
only the copied paths go into the wheel, the wheel is installed into a folder of its own, and
the command runs from an empty data folder. So a template, a static file or a migration left
out of the package, or a flag the installed uvicorn does not know, fails here as in the image.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.fixtures.services import free_port

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
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


def test_the_image_build_installs_a_service_that_migrates_and_serves(tmp_path: Path) -> None:
    context, wheels, site, data = (tmp_path / d for d in ("context", "wheels", "site", "data"))
    for d in (context, data):
        d.mkdir()
    for name in build_stage_copies():
        source = ROOT / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(source, context / name, ignore=ignore)
        else:
            shutil.copy2(source, context / name)
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check")
    run(*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", wheels, context)
    (wheel,) = wheels.glob("speedmatch-*.whl")
    run(*pip, "install", "--no-deps", "-q", "--target", site, wheel)

    # A clean environment, as in the image: no settings but the data folder.
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(data),
        "PYTHONPATH": str(site),
        "PYTHONUNBUFFERED": "1",
        "SPEEDMATCH_DATA_DIR": str(data),
    }
    where = subprocess.run(
        [sys.executable, "-c", "import app, matching, rooms, migrations; print(app.__file__)"],
        env=env, cwd=data, check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert where.stdout.strip().startswith(str(site)), where.stdout  # not the source tree

    port = free_port()
    python = sys.executable
    line = command()
    assert line.startswith("speedmatch db upgrade && exec uvicorn ")
    line = line.replace("speedmatch ", f"{python} -m app.cli ", 1)
    line = line.replace("exec uvicorn ", f"exec {python} -m uvicorn ", 1)
    line = line.replace("--host 0.0.0.0", "--host 127.0.0.1").replace(
        "--port 8000", f"--port {port}"
    )
    log = tmp_path / "service.log"
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

        home = httpx.get(f"{base}/", timeout=5)
        assert home.status_code == 200
        assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', home.text)
        assert any(a.split("?")[0].endswith(".css") for a in assets)
        for asset in assets:
            assert httpx.get(f"{base}{asset}", timeout=5).status_code == 200, asset
        assert "Database is at revision head." in log.read_text()
    finally:
        server.terminate()
        server.wait(timeout=10)
