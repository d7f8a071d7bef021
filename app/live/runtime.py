"""One per process: the hub of local sockets, the broker, and the background loops.

- subscriber: hears every `Change` (from this or any other process), re-reads the event's view
  from the database once, and queues a personalised message for each local socket;
- version tick: every few seconds compares each local event's stored version with what its
  sockets were sent, and re-sends `state` when a notification was missed (pub/sub is at-most-once);
- auto-advance: ends rounds on time and, when the event says so, starts the next after the break;
  conditional UPDATEs in the service make sure only one process does each step;
- presence: refreshes this process's entries in the broker so they expire if it dies.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from app import gc_policy
from app.db import get_engine, session_scope
from app.errors import AppError, Conflict, NotFound
from app.live import attendance, dispatch, noshow, prepared, quiet, service, statements, warm
from app.live.auth import TokenBatcher
from app.live.changes import CHANNEL, Change
from app.live.loops import cancelled, every
from app.live.presence import FLUSH_S, TTL_S, Presence
from app.live.snapshot import EventView, clock_of, load_view
from app.models import Event, EventPhase, Participant, Round
from rooms import Action, Broker, Connection, Due, Hub, Timeline

log = logging.getLogger("speedmatch.live")

# Checks an organiser's credentials and ownership of the event read (None: no such event) in
# the round start's session; returns the audit actor or raises.
Authorise = Callable[[Session, statements.EventRounds | None], str]

STOP_S = 5.0  # at shutdown, for the background tasks to end (a container is killed at 10 s)
PREPARE_AFTER_S = 0.5  # read the next round once this change's messages have gone out
LINK_REPLACED = (4401, "this personal link was replaced by a new one")
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
        self.views: dict[str, EventView] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._warned: set[tuple[str, int, str]] = set()
        self._loading: dict[str, asyncio.Future[EventView | None]] = {}
        self.prepared: dict[str, prepared.PreparedRound] = {}
        self._preparing: dict[str, asyncio.Task[None]] = {}
        self._stale: set[str] = set()
        self.tokens = TokenBatcher()
        self.pumps: dict[str, asyncio.Task[None]] = {}  # connection id → its sending task
        self._ticked: dict[str, int] = {}  # stored versions the last version tick read
        # Credentials are checked again at each version tick: a participant socket's link
        # version (re-issued links, erased people) and an organiser socket's own check
        # (signed out, token revoked). Sockets that fail are closed with the code and reason.
        self.links: dict[str, int] = {}  # participant socket id → link version opened with
        self.rechecks: dict[str, Callable[[], tuple[int, str]]] = {}  # organiser socket id
        self.revoked: dict[str, tuple[int, str]] = {}
        self._stop_gc_check: Callable[[], None] | None = None
        self._dispatching = asyncio.Lock()
        self.presence = Presence(self.hub, broker, self.process_id, self.publish, self._version_of)

    # Lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        await self.broker.open()
        subscribed = asyncio.Event()
        self._tasks = [
            asyncio.create_task(self._subscriber(subscribed), name="live-subscriber"),
            asyncio.create_task(every(self.tick_s, self._tick), name="live-tick"),
            asyncio.create_task(every(self.advance_s, self._advance), name="live-advance"),
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
        tasks = [*self._tasks, *self._preparing.values()]
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
        cached = self.views.get(event_id)
        if cached is not None and cached.version >= min_version:
            return cached
        loading = self._loading.get(event_id)
        if loading is None:
            loading = asyncio.ensure_future(asyncio.to_thread(_read_view, event_id))
            self._loading[event_id] = loading
            loading.add_done_callback(lambda _: self._loading.pop(event_id, None))
        fresh = await asyncio.shield(loading)
        if fresh is not None and fresh.version < min_version:
            fresh = await asyncio.to_thread(_read_view, event_id)
        if fresh is None:
            self.views.pop(event_id, None)
            return None
        self._keep(fresh)
        self.prepare_soon(event_id)
        return self.views[event_id]

    async def view_after(self, change: Change) -> EventView | None:
        """The view at `change`'s version; a round start takes the prepared one if it can."""
        ready = prepared.started(self.prepared.get(change.event_id), change)
        if ready is not None:
            self._keep(ready)
        return await self.view(change.event_id, change.version)

    def _keep(self, fresh: EventView) -> None:
        current = self.views.get(fresh.event_id)
        if current is None or fresh.version >= current.version:
            self.views[fresh.event_id] = fresh

    async def dispatch(self, change: Change) -> None:
        """Queue `change` for this process's sockets, one change at a time in arrival order."""
        # Changes come from requests here, the broker and the version tick; one at a time, a
        # broadcast sent right after a round start cannot overtake its assignments.
        async with self._dispatching:
            await self._dispatch(change)

    async def _dispatch(self, change: Change) -> None:
        if self.hub.count(change.event_id) == 0:
            # Nobody here follows this event: forget its views so the next socket reads afresh.
            self.views.pop(change.event_id, None)
            self.prepared.pop(change.event_id, None)
            return
        view = await self.view_after(change)
        if view is None:
            return
        connected = None
        if change.kind not in ("presence", "broadcast") and self.hub.organiser_connections(
            change.event_id
        ):
            connected = await self.connected(change.event_id)
        dispatch.fan_out(self.hub, view, change, connected)
        if change.kind not in ("presence", "broadcast"):
            self.prepare_soon(change.event_id)

    def prepare_soon(self, event_id: str) -> None:
        """(Re-)read the event's next round in the background (app.live.prepared)."""
        self._stale.add(event_id)
        if event_id not in self._preparing:
            self._preparing[event_id] = asyncio.create_task(self._prepare(event_id))

    async def _prepare(self, event_id: str) -> None:
        try:
            while event_id in self._stale:
                await asyncio.sleep(PREPARE_AFTER_S)
                # Requests made while waiting are served by this read; later ones, by another.
                self._stale.discard(event_id)
                ready = await asyncio.to_thread(_read_prepared, event_id)
                if ready is None:
                    self.prepared.pop(event_id, None)
                else:
                    self.prepared[event_id] = ready
        except Exception:  # only a shortcut is lost: the round start reads the view itself
            log.exception("preparing the next round failed")
        finally:
            del self._preparing[event_id]

    def quiet_for_collection(self) -> bool:
        """Whether a full garbage-collector pass now could not delay a round start here."""
        now = datetime.now(UTC)
        return quiet.quiet((self.views.get(e) for e in self.hub.events()), now)

    # Presence -------------------------------------------------------------------------------

    async def connected(self, event_id: str) -> set[str]:
        return await self.presence.connected(event_id)

    def _version_of(self, event_id: str) -> int:
        view = self.views.get(event_id)
        return view.version if view is not None else 0

    async def join(self, conn: Connection) -> None:
        """After the first `state` was sent: presence, and attendance on a first visit."""
        self.hub.register(conn)
        if conn.participant_id is None:
            return
        self.presence.joined(conn)
        view = self.views.get(conn.event_id)
        if view is None or view.attendance.get(conn.participant_id) not in ("present", "late"):
            try:
                await asyncio.to_thread(_note_connected, conn.participant_id)
            except Exception:  # attendance is advisory too; the socket must not fail for it
                log.exception("noting attendance failed")

    async def leave(self, conn: Connection) -> None:
        self.hub.unregister(conn)
        self.presence.left(conn)

    # Background steps -----------------------------------------------------------------------

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
        if not events:
            return

        def versions() -> dict[str, int]:
            with session_scope() as session:
                rows = session.exec(
                    select(Event.id, Event.state_version).where(col(Event.id).in_(events))
                ).all()
                return {str(e): int(v) for e, v in rows}

        stored = await asyncio.to_thread(versions)
        previous, self._ticked = self._ticked, stored
        for event_id, version in stored.items():
            if previous.get(event_id) != version:
                # New since the last tick: its notification may be on its way (a round start
                # being fanned out). Repair only what stayed undelivered for a whole tick.
                continue
            behind = [c for c in self.hub.connections(event_id) if c.sent_version < version]
            if behind:
                await self.dispatch(Change(event_id=event_id, version=version, kind="state"))
        await self._close_revoked(events)

    async def _close_revoked(self, events: list[str]) -> None:
        """End the sockets whose credentials no longer work: an old link must stop receiving
        the rooms (others' names and schools), a signed-out organiser everyone's."""
        checks = dict(self.rechecks)
        current = await asyncio.to_thread(_link_versions, events) if self.links else {}
        refused = await asyncio.to_thread(_refused, checks) if checks else {}
        for event_id in events:
            for conn in self.hub.connections(event_id):
                pump = self.pumps.get(conn.id)
                if pump is None:
                    continue  # still sending its first state: the next tick checks it
                why = refused.get(conn.id)
                opened = self.links.get(conn.id)
                if why is None and opened is not None and conn.participant_id is not None:
                    why = None if current.get(conn.participant_id) == opened else LINK_REPLACED
                if why is not None:
                    self.revoked[conn.id] = why
                    pump.cancel()

    async def _advance(self) -> None:
        for due_event, due in await asyncio.to_thread(_due_steps):
            actor = "system:auto-advance"
            try:
                if due.action is Action.END_ROUND:
                    change = await asyncio.to_thread(
                        _in_session,
                        service.end_round,
                        due_event,
                        actor,
                        expected_round=due.round,
                        on_time=True,
                    )
                elif due.action is Action.START_NEXT:
                    change = await self.start_next(due_event, actor, expected=due.round)
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
            if view.round.status.value != "running" or left is None or left > 60:
                continue
            key = (event_id, view.round.number, str(view.round.ends_at))
            if key not in self._warned:
                self._warned.add(key)
                dispatch.round_ending(self.hub, view, left)

    async def start_next(
        self,
        event_id: str,
        actor: str | Authorise,
        *,
        expected: int | None = None,
    ) -> Change:
        """Start the next round: no-shows out, late arrivals in (re-planned), then start.

        `actor` is the audit actor, or a check run first in the same session (the organiser's
        credentials and ownership of the event read, None when there is no such event) that
        raises when refused and returns the actor.
        """
        loop = asyncio.get_running_loop()

        def connected() -> set[str]:  # from the worker thread, only when needed
            return asyncio.run_coroutine_threadsafe(self.connected(event_id), loop).result(10)

        return await asyncio.to_thread(
            start_transaction,
            event_id,
            actor,
            connected=connected,
            replan_time_limit_s=self.replan_time_limit_s,
            expected=expected,
        )


def start_transaction(
    event_id: str,
    actor: str | Authorise,
    *,
    connected: Callable[[], set[str]],
    replan_time_limit_s: float,
    expected: int | None = None,
) -> Change:
    """`LiveRuntime.start_next`'s database work, run in a worker thread (`bench start-path`).

    One worker-thread trip and, unless a re-plan was computed, one session of 6 statements:
    every extra hop or read delays the round start for all clients.
    """
    with session_scope() as session:
        found = statements.event_rounds(session.connection(), event_id)
        # The credentials are checked before anything about the event is told.
        who = actor if isinstance(actor, str) else actor(session, found)
        if found is None:
            raise NotFound("No such event.")
        row = service.next_round(found)
        if expected is not None and row.number != expected:
            raise Conflict(f"Round {expected} is not the next round any more.")
        replan = noshow.compute_replan(
            session, event_id, row.number, connected, replan_time_limit_s
        )
        if replan is None:
            return service.start_round(session, event_id, who, number=row.number, checked=found)
    # A re-plan may have taken seconds: start in a fresh session, which checks again.
    return _in_session(service.start_round, event_id, who, number=row.number, replan=replan)


def _in_session(fn: Callable[..., Change], *args: object, **kwargs: object) -> Change:
    with session_scope() as session:
        return fn(session, *args, **kwargs)


def _refused(checks: dict[str, Callable[[], tuple[int, str]]]) -> dict[str, tuple[int, str]]:
    """The (close code, reason) of each check that now refuses."""
    results = {conn_id: check() for conn_id, check in checks.items()}
    return {conn_id: result for conn_id, result in results.items() if result[0]}


def _link_versions(events: list[str]) -> dict[str, int]:
    """Participant id → link version, for everyone not erased in `events`."""
    with session_scope() as session:
        rows = session.exec(
            select(Participant.id, Participant.token_version).where(
                col(Participant.event_id).in_(events),
                col(Participant.token_hash).is_not(None),
                col(Participant.deleted).is_(False),
            )
        ).all()
        return {str(pid): int(version) for pid, version in rows}


def _read_view(event_id: str) -> EventView | None:
    with session_scope() as session:
        return load_view(session, event_id)


def _read_prepared(event_id: str) -> prepared.PreparedRound | None:
    warm.rehearse_once(get_engine())  # the first time only: a start's SQL, compiled ahead
    with session_scope() as session:
        return prepared.prepare(session, event_id)


def _note_connected(participant_id: str) -> bool:
    with session_scope() as session:
        return attendance.note_connected(session, participant_id)


def _due_steps() -> list[tuple[str, Due]]:
    out: list[tuple[str, Due]] = []
    with session_scope() as session:
        rows = session.exec(
            select(Event, Round)
            .join(Round, col(Round.event_id) == col(Event.id))
            .where(Event.phase == EventPhase.LIVE, Round.number == Event.current_round)
        ).all()
        for event, row in rows:
            timeline = Timeline(
                rounds_total=event.rounds,
                break_seconds=event.break_seconds,
                auto_advance=event.auto_advance,
            )
            due = timeline.due_now(clock_of(row))
            if due is not None:
                out.append((event.id, due))
    return out
