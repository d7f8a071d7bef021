"""Running the `speedmatch` command as a person would: a real process, its own environment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "ops-test-secret-key-0123456789"


def environment(**settings: str) -> dict[str, str]:
    """This process's environment without any SPEEDMATCH_ setting, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPEEDMATCH_")}
    return {"SPEEDMATCH_SECRET_KEY": SECRET_KEY, **env, **settings}


def speedmatch(
    *args: str, env: dict[str, str], cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`speedmatch ARGS` run to its end; stdout and stderr are kept apart.

    It runs in a process group of its own: a command that wrongly keeps running (a server that
    should have refused to start) is stopped with every worker it started.
    """
    command = [sys.executable, "-m", "app.cli", *args]
    with subprocess.Popen(
        command,
        env=env,
        cwd=cwd or ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
