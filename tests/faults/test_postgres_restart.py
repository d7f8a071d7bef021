"""PostgreSQL restarted under load: requests fail cleanly (503) or succeed, nothing acknowledged is
lost, and the service recovers by itself when the database is back."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import httpx
import pytest

from app.cli.db import upgrade
from tests.faults.conftest import RestartablePostgres
from tests.faults.helpers import decisions
from tests.fixtures.live_server import LiveServerFactory
from tests.live.helpers import create_live_event


@pytest.mark.slow
@pytest.mark.postgres
def test_postgres_restart_under_load_gives_clean_errors_and_loses_nothing(
    live_server_factory: LiveServerFactory, restartable_postgres: RestartablePostgres
) -> None:
    upgrade(restartable_postgres.url)
    server = live_server_factory(restartable_postgres.url)
    live = create_live_event(restartable_postgres.url, 8, rounds=2)
    started = httpx.post(
        f"{server.base_url}/api/v1/events/{live.event_id}/live/start-round",
        headers=live.headers(),
        timeout=30,
    )
    assert started.status_code == 200, started.text
    pairs = []
    for pid, token in live.tokens.items():
        mate = next(m for m in live.room_of(1, pid) or [] if m != pid)
        pairs.append((pid, mate, token))
    results: list[tuple[float, str, int, tuple[str, str, bool] | None]] = []
    stop = threading.Event()

    def load() -> None:
        share = False
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            while not stop.is_set():
                for pid, mate, token in pairs:
                    share = not share
                    response = client.put(
                        f"/api/v1/me/decisions/{mate}",
                        params={"token": token},
                        json={"share": share},
                    )
                    results.append(
                        (time.monotonic(), "put", response.status_code, (pid, mate, share))
                    )
                    listing = client.get(
                        f"/api/v1/events/{live.event_id}/participants", headers=live.headers()
                    )
                    results.append((time.monotonic(), "get", listing.status_code, None))

    worker = threading.Thread(target=load)
    worker.start()
    time.sleep(1.5)
    restartable_postgres.restart()
    back = time.monotonic()
    # The load goes on until the service has recovered by itself (a busy CI machine may need
    # more than a second or two to reconnect), or until a generous deadline.
    deadline = back + 60
    while not recovered(list(results), back) and time.monotonic() < deadline:
        time.sleep(0.2)
    stop.set()
    worker.join(timeout=60)

    statuses = {status for _, _, status, _ in results}
    assert statuses <= {200, 503}, statuses  # never a bare 500
    assert recovered(results, back), [status for at, _, status, _ in results if at > back]
    # Every acknowledged decision is stored: the last acknowledged value of each pair.
    last: dict[tuple[str, str], bool] = {}
    for _, kind, status, decision in results:
        if kind == "put" and status == 200 and decision is not None:
            last[decision[:2]] = decision[2]
    stored = decisions(restartable_postgres.url, live.event_id)
    assert {(a, b, share) for (a, b), share in last.items()} <= stored


RECOVERED_AFTER = 10  # requests in a row that must succeed once the database is back


def recovered(results: Sequence[tuple[float, str, int, object]], since: float) -> bool:
    """The last RECOVERED_AFTER requests, all sent after `since`, succeeded."""
    after = [status for at, _, status, _ in results if at > since]
    return len(after) >= RECOVERED_AFTER and set(after[-RECOVERED_AFTER:]) == {200}
