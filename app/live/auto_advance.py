"""Ends rounds on time and, when the event says so, starts the next after the break.

Every process runs it; the conditional UPDATEs in the service make sure only one does each step.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from sqlalchemy import and_, or_
from sqlmodel import col, select

from app.db import session_scope
from app.errors import AppError
from app.live import dispatch, service
from app.live.changes import Change
from app.live.event_view import EventView
from app.live.round_clock import clock_of
from app.models import Event, EventPhase, Round
from rooms import Action, Due, Hub, Timeline

ACTOR = "system:auto-advance"
WARN_BEFORE_S = 60  # participants are told this long before a round ends

# Starts the next round of an event as `actor` if it is still round `expected` (LiveRuntime).
StartNext = Callable[[str, str, int], Awaitable[Change]]


class AutoAdvance:
    def __init__(
        self,
        hub: Hub,
        views: dict[str, EventView],
        publish: Callable[[Change], Awaitable[None]],
        start_next: StartNext,
    ) -> None:
        self.hub = hub
        self.views = views
        self.publish = publish
        self.start_next = start_next
        self._warned: set[tuple[str, int, str]] = set()

    async def step(self) -> None:
        """Do what is due now, in every live event; then warn rooms whose round ends soon."""
        for event_id, due in await asyncio.to_thread(due_steps):
            try:
                if due.action is Action.END_ROUND:
                    change = await asyncio.to_thread(_end_on_time, event_id, due.round)
                elif due.action is Action.START_NEXT:
                    change = await self.start_next(event_id, ACTOR, due.round)
                else:
                    continue
            except AppError:
                continue  # another process (or the organiser) did it first
            await self.publish(change)
        self._warn_round_ending()

    def _warn_round_ending(self) -> None:
        now = datetime.now(UTC)
        for event_id in self.hub.events():
            view = self.views.get(event_id)
            if view is None or view.round is None:
                continue
            left = view.round.remaining_s(now)
            if view.round.status.value != "running" or left is None or left > WARN_BEFORE_S:
                continue
            key = (event_id, view.round.number, str(view.round.ends_at))
            if key not in self._warned:
                self._warned.add(key)
                dispatch.round_ending(self.hub, view, left)


def due_steps() -> list[tuple[str, Due]]:
    """(event id, step) for each live event whose current round's clock calls for one now, and
    for each event finished by the organiser while its round was still on (it ends now)."""
    out: list[tuple[str, Due]] = []
    with session_scope() as session:
        rows = session.exec(
            select(Event, Round)
            .join(Round, col(Round.event_id) == col(Event.id))
            .where(
                Round.number == Event.current_round,
                or_(
                    col(Event.phase) == EventPhase.LIVE,
                    and_(
                        col(Event.phase) == EventPhase.FINISHED,
                        col(Round.status).in_(service.LIVE_ROUND),
                    ),
                ),
            )
        ).all()
        for event, row in rows:
            if event.phase == EventPhase.FINISHED:
                out.append((event.id, Due(Action.END_ROUND, row.number, datetime.now(UTC))))
                continue
            timeline = Timeline(
                rounds_total=event.rounds,
                break_seconds=event.break_seconds,
                auto_advance=event.auto_advance,
            )
            due = timeline.due_now(clock_of(row))
            if due is not None:
                out.append((event.id, due))
    return out


def _end_on_time(event_id: str, round_no: int) -> Change:
    with session_scope() as session:
        return service.end_round(session, event_id, ACTOR, expected_round=round_no, on_time=True)
