"""`python -m bench start-path`: the round start's transaction alone, on a seeded SQLite event.

Times `app.live.round_start.start_transaction` (the credentials, the next-round and no-show checks
and the start's writes, in one session), called directly: no HTTP, no sockets, no thread hop.
Counts its SQL statements too. Between starts the event is put back untimed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event as sa_event
from sqlmodel import Session, col, update

from bench.seeded_event import seed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench start-path")
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--starts", type=int, default=300)
    parser.add_argument("--warm-up", type=int, default=50)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sm-bench-start-") as tmp:
        print(run(Path(tmp), args.people, args.starts, args.warm_up))
    return 0


def run(workdir: Path, people: int, starts: int, warm_up: int) -> str:
    url = f"sqlite:///{workdir / 'start.sqlite3'}"
    # Before seeding: its migrations read the settings (migration 0005), which are then cached.
    os.environ["SPEEDMATCH_DATABASE_URL"] = url
    seeded = seed(url, people)
    from app.audit import organiser_actor
    from app.db import get_engine
    from app.deps import authenticate_organiser_id
    from app.live.round_start import start_transaction
    from app.live.statements import EventRounds
    from app.models import Event, EventPhase, Round, RoundStatus
    from app.settings import Settings

    engine = get_engine()
    settings = Settings()
    statements = [0]

    def count(*_: Any) -> None:
        statements[0] += 1

    def authorise(session: Session, event: EventRounds | None) -> str:
        organiser_id = authenticate_organiser_id(
            session, token=seeded.api_token, cookie=None, settings=settings
        )
        # As the HTTP route checks it: on the event read, with no statement of its own.
        assert event is not None
        assert event.organiser_id == organiser_id
        return organiser_actor(organiser_id)

    def reset() -> None:
        with Session(engine) as session:
            session.exec(
                update(Round)
                .where(col(Round.event_id) == seeded.event_id)
                .values(status=RoundStatus.PLANNED, starts_at=None, ends_at=None)
            )
            session.exec(
                update(Event)
                .where(col(Event.id) == seeded.event_id)
                .values(current_round=0, phase=EventPhase.SCHEDULED)
            )
            session.commit()

    timings: list[float] = []
    counted: list[int] = []
    sa_event.listen(engine, "before_cursor_execute", count)
    for i in range(warm_up + starts):
        reset()
        statements[0] = 0
        began = time.perf_counter()
        start_transaction(seeded.event_id, authorise, connected=set, replan_time_limit_s=1.0)
        if i >= warm_up:
            timings.append((time.perf_counter() - began) * 1000)
            counted.append(statements[0])
    ordered = sorted(timings)
    return (
        f"{people} people, {starts} starts after {warm_up} untimed: "
        f"p10 {ordered[len(ordered) // 10]:.2f} ms, p50 {statistics.median(ordered):.2f} ms, "
        f"p90 {ordered[9 * len(ordered) // 10]:.2f} ms; "
        f"{statistics.median(counted):.0f} SQL statements per start (COMMIT not counted)"
    )
