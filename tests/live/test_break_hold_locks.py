"""A hold on the break and the automatic start of the next round at the very same moment, on
PostgreSQL: each one's transaction waits on the row the other has written, and whichever commits
first wins; the other is refused, never acknowledged and then overrun.

(SQLite runs one write transaction at a time: tests/live/test_break_hold_races.py covers it.)
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session

from app.db import make_engine
from app.errors import Conflict
from app.live import break_hold, statements
from app.live.auto_advance import ACTOR as AUTO
from app.live.runtime import LiveRuntime
from app.models import RoundStatus
from rooms import MemoryBroker
from tests.live.helpers import stored_round
from tests.live.test_break_hold_races import hold, in_break_after_round_1

POSTGRES_ONLY = pytest.mark.parametrize(
    "backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


def run_until_it_waits_on_a_lock(
    database_url: str, action: Callable[[], None], outcome: list[Any]
) -> threading.Thread:
    """Start `action` in a thread and return it once it waits on a row lock (or has finished);
    `outcome` gets what it raised (or None) when it ends."""

    def run() -> None:
        try:
            action()
            outcome.append(None)
        except Exception as exc:  # noqa: BLE001 - handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    engine = make_engine(database_url)
    try:
        with engine.connect() as watch:
            for _ in range(600):  # a wait for a condition, up to 30 s; no timing is asserted
                waiting = watch.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE wait_event_type = 'Lock' AND datname = current_database()"
                    )
                ).scalar_one()
                if waiting or not thread.is_alive():
                    break
                time.sleep(0.05)
    finally:
        engine.dispose()
    return thread


def automatic_start(event_id: str) -> None:
    asyncio.run(LiveRuntime(MemoryBroker()).start_next(event_id, AUTO, expected=2, automatic=True))


@POSTGRES_ONLY
def test_a_hold_made_while_the_automatic_start_commits_is_refused(
    configured: str, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = in_break_after_round_1(configured, session)
    claim_round = statements.claim_round
    waiting: list[Any] = []
    threads: list[threading.Thread] = []

    def claim_while_a_hold_waits(*args: Any) -> int | None:
        threads.append(
            run_until_it_waits_on_a_lock(configured, lambda: hold(live.event_id), waiting)
        )
        return claim_round(*args)

    monkeypatch.setattr(statements, "claim_round", claim_while_a_hold_waits)
    automatic_start(live.event_id)
    threads[0].join(30)

    assert stored_round(live.event_id, 2).status == RoundStatus.RUNNING
    assert len(waiting) == 1
    assert isinstance(waiting[0], Conflict)
    assert stored_round(live.event_id, 1).paused_remaining_s is None


@POSTGRES_ONLY
def test_the_automatic_start_made_while_a_hold_commits_waits_for_resume(
    configured: str, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = in_break_after_round_1(configured, session)
    bump_if_current = break_hold.bump_if_current
    waiting: list[Any] = []
    threads: list[threading.Thread] = []

    def bump_while_a_start_waits(*args: Any) -> int | None:
        start = run_until_it_waits_on_a_lock(
            configured, lambda: automatic_start(live.event_id), waiting
        )
        threads.append(start)
        return bump_if_current(*args)

    monkeypatch.setattr(break_hold, "bump_if_current", bump_while_a_start_waits)
    hold(live.event_id)
    threads[0].join(60)

    assert len(waiting) == 1
    assert isinstance(waiting[0], Conflict)
    assert stored_round(live.event_id, 2).status == RoundStatus.PLANNED
    assert stored_round(live.event_id, 1).paused_remaining_s is not None
