"""One per process: the hub of local sockets, the broker, and the background loops.

- subscriber: hears every `Change` (from this or any other process), re-reads the event's view
  from the database once, and queues a personalised message for each local socket;
- version tick: every few seconds re-sends `state` where a notification was missed (pub/sub is
  at-most-once, app.live.version_tick) and closes sockets whose credentials stopped working
  (app.live.credential_checks);
- auto-advance: ends rounds on time and starts the next after the break (app.live.auto_advance);
- presence: refreshes this process's entries in the broker so they expire if it dies.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from app import gc_policy
from app.db import session_scope
from app.live import attendance, dispatch, quiet
from app.live.auth import TokenBatcher
from app.live.auto_advance import AutoAdvance
from app.live.changes import CHANNEL, NOT_STATE, Change
from app.live.credential_checks import CredentialChecks
from app.live.event_view import EventView
from app.live.loops import cancelled, every
from app.live.presence import FLUSH_S, TTL_S, Presence
from app.live.round_start import Authorise, start_transaction
from app.live.version_tick import VersionTick
from app.live.view_cache import ViewCache
from rooms import Broker, Connection, Hub

log = logging.getLogger("speedmatch.live")

STOP_S = 5.0  # at shutdown, for the background tasks to end (a container is killed at 10 s)
SEND_TIMEOUT_S = 10.0  # a socket stuck this long in one send is dropped (it re-syncs later)


class LiveRuntime:
    def __init__(
        self,
        broker: Broker,
        *,
        tick_s: float = 5.0,
        advance_s: float = 1.0,
        replan_time_limit_s: float = 5.0,
    ) -> None:
        self.hub = Hub()
        self.broker = broker
        self.process_id = secrets.token_hex(4)
        self.tick_s = tick_s
        self.advance_s = advance_s
        self.replan_time_limit_s = replan_time_limit_s
        self.cache = ViewCache()
        self._tasks: list[asyncio.Task[None]] = []
        self.tokens = TokenBatcher()
        self.pumps: dict[str, asyncio.Task[None]] = {}  # connection id → its sending task
        self.credentials = CredentialChecks()
        self.version_tick = VersionTick(self.hub, self.dispatch)
        self.auto_advance = AutoAdvance(
            self.hub,
            self.cache.views,
            self.publish,
            lambda event_id, actor, expected: self.start_next(
                event_id, actor, expected=expected, automatic=True
            ),
        )
        self._stop_gc_check: Callable[[], None] | None = None
        self._dispatching = asyncio.Lock()
        self.presence = Presence(
            self.hub, broker, self.process_id, self.publish, self.cache.version_of
        )

    # Lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        await self.broker.open()
        subscribed = asyncio.Event()
        self._tasks = [
            asyncio.create_task(self._subscriber(subscribed), name="live-subscriber"),
            asyncio.create_task(every(self.tick_s, self._tick), name="live-tick"),
            asyncio.create_task(every(self.advance_s, self.auto_advance.step), name="live-advance"),
            asyncio.create_task(every(FLUSH_S, self.presence.flush), name="live-presence"),
            asyncio.create_task(
                every(TTL_S / 3, self.presence.refresh), name="live-presence-refresh"
            ),
            asyncio.create_task(every(1.0, self.drop_stuck), name="live-send-watchdog"),
        ]
        await asyncio.wait_for(subscribed.wait(), 10)
        # Full collections wait until no round start can be near (app.live.quiet).
        self._stop_gc_check = gc_policy.add_quiet_check(self.quiet_for_collection)

    async def stop(self) -> None:
        if self._stop_gc_check is not None:
            self._stop_gc_check()
            self._stop_gc_check = None
        tasks = [*self._tasks, *self.cache.preparing()]
        for task in tasks:
            task.cancel()
        if tasks:
            _, stuck = await asyncio.wait(tasks, timeout=STOP_S)
            for task in stuck:  # a shutdown must not wait for a task that ignores its cancel
                log.warning("live task %s did not stop within %.0f s", task.get_name(), STOP_S)
        for task in tasks:
            if task.done() and not task.cancelled():
                task.exception()  # retrieved: a failure while stopping is not worth a log line
        await self.broker.close()

    async def _subscriber(self, subscribed: asyncio.Event) -> None:
        backoff = 0.5
        while not cancelled():
            try:
                async with self.broker.subscribe(CHANNEL) as messages:
                    subscribed.set()
                    backoff = 0.5
                    async for raw in messages:
                        try:
                            change = Change.from_json(raw)
                            if change.publisher != self.process_id:  # else served in publish
                                await self.dispatch(change)
                        except Exception:
                            if cancelled():
                                raise asyncio.CancelledError from None
                            log.exception("dispatching a live change failed")
            except asyncio.CancelledError:
                raise
            except Exception:
                if cancelled():
                    break
                # Broker down: sockets keep working; the version tick repairs missed changes.
                log.exception("live subscriber lost the broker; retrying in %.1fs", backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10)
        raise asyncio.CancelledError  # (app.live.loops: a library may have swallowed it)

    # Publishing and dispatch ----------------------------------------------------------------

    async def publish(self, change: Change) -> None:
        """Tell every process of a committed change; this one serves its own sockets directly.

        Other processes hear it through the broker. Here it is fanned out first-hand, not when
        the broker echoes it back (the subscriber skips its own changes), so this process's
        sockets get it even while Redis is down, not at the next version tick.
        """
        try:
            # Before the local fan-out: with thousands of sockets that takes tens of ms, and
            # the other processes' clients would wait for it.
            await self.broker.publish(CHANNEL, replace(change, publisher=self.process_id).to_json())
        except Exception:
            # The change is committed; other processes' clients converge on the version tick.
            log.exception("publishing a live change failed")
        try:
            await self.dispatch(change)
        except Exception:
            log.exception("dispatching a live change failed")
        # One turn of the loop for the sockets' pumps to send what was queued, before the
        # caller builds the organiser's reply (0.1-0.2 ms at 60 sockets that every participant
        # used to wait for).
        await asyncio.sleep(0)

    async def view(self, event_id: str, min_version: int = 0) -> EventView | None:
        """The cached view if it is at least `min_version`, else one fresh read (single-flight)."""
        return await self.cache.view(event_id, min_version)

    async def view_after(self, change: Change) -> EventView | None:
        """The view at `change`'s version; a round start takes the prepared one if it can."""
        return await self.cache.view_after(change)

    async def dispatch(self, change: Change) -> None:
        """Queue `change` for this process's sockets, one change at a time in arrival order."""
        # Changes come from requests here, the broker and the version tick; one at a time, a
        # broadcast sent right after a round start cannot overtake its assignments.
        async with self._dispatching:
            await self._dispatch(change)

    async def _dispatch(self, change: Change) -> None:
        if self.hub.count(change.event_id) == 0:
            self.cache.forget(change.event_id)
            return
        view = await self.view_after(change)
        if view is None:
            return
        connected = None
        if change.kind not in NOT_STATE and self.hub.organiser_connections(change.event_id):
            connected = await self.connected(change.event_id)
        dispatch.fan_out(self.hub, view, change, connected)
        if change.kind not in NOT_STATE:
            self.cache.prepare_soon(change.event_id)

    def quiet_for_collection(self) -> bool:
        """Whether a full garbage-collector pass now could not delay a round start here."""
        now = datetime.now(UTC)
        return quiet.quiet((self.cache.views.get(e) for e in self.hub.events()), now)

    # Presence -------------------------------------------------------------------------------

    async def connected(self, event_id: str) -> set[str]:
        return await self.presence.connected(event_id)

    async def join(self, conn: Connection) -> None:
        """After the first `state` was sent: presence, and attendance on a first visit."""
        self.hub.register(conn)
        if conn.participant_id is None:
            return
        self.presence.joined(conn)
        view = self.cache.views.get(conn.event_id)
        if view is None or view.attendance.get(conn.participant_id) not in ("present", "late"):
            try:
                change = await asyncio.to_thread(_note_connected, conn.participant_id)
            except Exception:  # attendance is advisory too; the socket must not fail for it
                log.exception("noting attendance failed")
            else:
                if change is not None:
                    await self.publish(change)

    async def leave(self, conn: Connection) -> None:
        self.hub.unregister(conn)
        self.presence.left(conn)

    # Background steps and the round start ---------------------------------------------------

    async def drop_stuck(self) -> None:
        """End the pumps of sockets that have not taken a message for SEND_TIMEOUT_S."""
        now = asyncio.get_running_loop().time()
        for conn in self.hub.stuck(now, SEND_TIMEOUT_S):
            pump = self.pumps.get(conn.id)
            if pump is not None:
                log.warning("dropping a socket stuck in a send for over %.0fs", SEND_TIMEOUT_S)
                pump.cancel()

    async def _tick(self) -> None:
        events = self.hub.events()
        if events:
            await self.version_tick.repair(events)
            await self.credentials.close_revoked(self.hub, self.pumps, events)

    async def start_next(
        self,
        event_id: str,
        actor: str | Authorise,
        *,
        expected: int | None = None,
        automatic: bool = False,
    ) -> Change:
        """Start the next round: no-shows out, late arrivals in (re-planned), then start.
        `automatic`: the auto-advance's start, which waits while the break is on hold.

        `actor` is the audit actor, or a check run first in the same session (the organiser's
        credentials and ownership of the event read, None when there is no such event) that
        raises when refused and returns the actor.
        """
        loop = asyncio.get_running_loop()

        def connected() -> set[str]:  # from the worker thread, only when needed
            return asyncio.run_coroutine_threadsafe(self.connected(event_id), loop).result(10)

        ready = self.cache.prepared.get(event_id)
        return await asyncio.to_thread(
            start_transaction,
            event_id,
            actor,
            connected=connected,
            replan_time_limit_s=self.replan_time_limit_s,
            expected=expected,
            ahead=ready.fit if ready is not None else None,
            rules_ahead=ready.rules if ready is not None else None,
            automatic=automatic,
        )


def _note_connected(participant_id: str) -> Change | None:
    with session_scope() as session:
        return attendance.note_connected(session, participant_id)
