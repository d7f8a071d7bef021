"""SQLite held by a long writer: reads go on, writes wait, and past the wait fail cleanly."""

from __future__ import annotations

import sqlite3
import threading
import time

import httpx
import pytest

from tests.faults.helpers import decisions
from tests.fixtures.live_server import LiveServerFactory
from tests.live.helpers import create_live_event


def hold_write_lock(path: str, seconds: float, held: threading.Event) -> None:
    """Another process-like writer: an exclusive transaction kept open for `seconds`."""
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("UPDATE organiser SET name = name")
        held.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
    finally:
        conn.close()


@pytest.mark.slow
def test_a_long_writer_delays_or_cleanly_refuses_writes_and_corrupts_nothing(
    live_server_factory: LiveServerFactory,
) -> None:
    server = live_server_factory()
    live = create_live_event(server.database_url, 6, rounds=1)
    path = server.database_url.removeprefix("sqlite:///")
    pid = sorted(live.tokens)[0]
    mate = next(m for m in live.room_of(1, pid) or [] if m != pid)
    assert httpx.post(
        f"{server.base_url}/api/v1/events/{live.event_id}/live/start-round",
        headers=live.headers(),
        timeout=30,
    ).is_success
    decide = f"{server.base_url}/api/v1/me/decisions/{mate}"
    token = {"token": live.tokens[pid]}

    # A short lock (2 s): the write waits for it and then succeeds; reads never wait.
    held = threading.Event()
    writer = threading.Thread(target=hold_write_lock, args=(path, 2.0, held))
    writer.start()
    assert held.wait(10)
    room = httpx.get(f"{server.base_url}/api/v1/me/room", params=token, timeout=30)
    assert room.status_code == 200
    waited = httpx.put(decide, params=token, json={"share": True}, timeout=60)
    writer.join()
    assert waited.status_code == 200, waited.text
    assert (pid, mate, True) in decisions(server.database_url, live.event_id)

    # A lock longer than the server's busy timeout (10 s): a clean, readable refusal.
    held = threading.Event()
    writer = threading.Thread(target=hold_write_lock, args=(path, 14.0, held))
    writer.start()
    assert held.wait(10)
    refused = httpx.put(decide, params=token, json={"share": False}, timeout=60)
    writer.join()
    assert refused.status_code == 503, refused.text
    assert refused.json()["type"] == "unavailable"
    assert "try again" in refused.json()["detail"]
    assert "retry-after" in refused.headers
    # The refused write changed nothing, and the same request now goes through.
    assert (pid, mate, True) in decisions(server.database_url, live.event_id)
    again = httpx.put(decide, params=token, json={"share": False}, timeout=60)
    assert again.status_code == 200
    assert (pid, mate, False) in decisions(server.database_url, live.event_id)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
