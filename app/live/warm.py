"""A rehearsal of the round start's SQL, so the first real start does not compile it.

SQLAlchemy compiles each statement shape once per engine and caches it. On a fresh server the
first round start compiled about ten (the no-show check, the conditional updates, the version
bump, the audit entry): 5-15 ms at 60 people before anyone was told (docs/benchmarks.md). Each
process rehearses the start once, in the background before it first prepares a round (so only
processes that serve live sockets pay it), on a throw-away event in one transaction that is
always rolled back: nothing of it is ever committed.
"""

from __future__ import annotations

import logging
import secrets
import threading
import weakref
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.live import noshow, plan_fit, service
from app.models import Event, EventPhase, Organiser, Round

log = logging.getLogger("speedmatch.live")

_done: weakref.WeakSet[Engine] = weakref.WeakSet()
_lock = threading.Lock()


class _Rehearsal(Session):
    """A session whose commits only flush: its transaction is rolled back at the end.

    The start's audit row is inserted, then rolled back with the rest; on PostgreSQL its id
    comes from a sequence, which keeps that number used (a gap in ids, as any rollback leaves).
    """

    def commit(self) -> None:
        self.flush()


def rehearse(engine: Engine) -> None:
    """Run a round start on a throw-away event and roll it all back (compiles its SQL)."""
    with _Rehearsal(engine, expire_on_commit=False) as session:
        try:
            tag = secrets.token_hex(8)
            organiser = Organiser(email=f"warm-up-{tag}@invalid", name="warm-up")
            session.add(organiser)
            session.flush()
            event = Event(
                organiser_id=organiser.id,
                name="warm-up",
                starts_at=datetime.now(UTC).replace(tzinfo=None),
                rounds=1,
                phase=EventPhase.SCHEDULED,
            )
            session.add(event)
            session.flush()
            session.add(Round(event_id=event.id, number=1))
            session.flush()
            # The same calls as LiveRuntime.start_next, in the same order.
            found = service.event_rounds(session, event.id)
            number = service.next_round(found).number
            plan_fit.require_fit(session, found, None)  # no plan stored here: nothing to check
            replan = noshow.compute_replan(session, event.id, number, set, 1.0)
            service.start_round(
                session, event.id, "system:warm-up", number=number, replan=replan, checked=found
            )
        finally:
            session.rollback()


def rehearse_once(engine: Engine) -> None:
    """`rehearse` the first time it is asked for this engine; never raises."""
    with _lock:
        if engine in _done:
            return
        _done.add(engine)
        try:
            rehearse(engine)
        except Exception:  # only a warm-up is lost: the first start compiles as before
            log.warning("rehearsing the round start failed", exc_info=True)
