"""Per-process registry of live connections, each with one bounded outbound queue.

Nothing here touches a socket: the web layer pumps `Connection.next()` into its websocket. When a
slow client's queue fills up, its queued messages are dropped for a single RESYNC marker: the pump
then sends one fresh `state` snapshot instead (latest state wins, memory stays bounded).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Final, TypeVar

DEFAULT_QUEUE_SIZE = 32


class _Resync:
    def __repr__(self) -> str:
        return "RESYNC"


RESYNC: Final = _Resync()
Outbound = str | _Resync

_ids = itertools.count(1)
K = TypeVar("K")


@dataclass(eq=False)
class Connection:
    """One websocket: an organiser's (participant_id None) or a participant's."""

    event_id: str
    participant_id: str | None = None
    queue_size: int = DEFAULT_QUEUE_SIZE
    id: str = field(default_factory=lambda: f"c{next(_ids)}")
    sent_version: int = 0
    dropped: int = 0
    # Event-loop time at which the pump's current send began (None between sends): a watchdog
    # drops sockets stuck in a send, which costs far less than a timer around every send.
    sending_since: float | None = None
    _queue: asyncio.Queue[Outbound] = field(init=False)

    def __post_init__(self) -> None:
        self._queue = asyncio.Queue(maxsize=self.queue_size)

    @property
    def is_organiser(self) -> bool:
        return self.participant_id is None

    def push(self, text: str) -> None:
        """Queue a message without blocking; on overflow collapse the backlog into RESYNC."""
        if self._queue.full():
            self.resync()
            return
        self._queue.put_nowait(text)

    def resync(self) -> None:
        """Drop what is queued and ask the pump for one fresh snapshot."""
        while not self._queue.empty():
            self._queue.get_nowait()
            self.dropped += 1
        self._queue.put_nowait(RESYNC)

    async def next(self) -> Outbound:
        return await self._queue.get()

    def pending(self) -> int:
        return self._queue.qsize()


def _discard(index: dict[K, dict[str, Connection]], key: K, conn: Connection) -> None:
    conns = index.get(key)
    if conns is not None:
        conns.pop(conn.id, None)
        if not conns:
            del index[key]


class Hub:
    """Who is connected to this process, by event and participant."""

    def __init__(self) -> None:
        self._by_event: dict[str, dict[str, Connection]] = {}
        # Indexes so presence and per-person pushes cost O(1), not a scan of every socket.
        self._by_person: dict[tuple[str, str | None], dict[str, Connection]] = {}

    def register(self, conn: Connection) -> None:
        self._by_event.setdefault(conn.event_id, {})[conn.id] = conn
        self._by_person.setdefault((conn.event_id, conn.participant_id), {})[conn.id] = conn

    def unregister(self, conn: Connection) -> None:
        _discard(self._by_event, conn.event_id, conn)
        _discard(self._by_person, (conn.event_id, conn.participant_id), conn)

    def events(self) -> list[str]:
        return list(self._by_event)

    def connections(self, event_id: str) -> list[Connection]:
        return list(self._by_event.get(event_id, {}).values())

    def participant_connections(self, event_id: str, participant_id: str) -> list[Connection]:
        return list(self._by_person.get((event_id, participant_id), {}).values())

    def organiser_connections(self, event_id: str) -> list[Connection]:
        return list(self._by_person.get((event_id, None), {}).values())

    def connected_participants(self, event_id: str) -> set[str]:
        return {
            c.participant_id for c in self.connections(event_id) if c.participant_id is not None
        }

    def stuck(self, now: float, limit_s: float) -> list[Connection]:
        """Connections whose current send began more than `limit_s` before `now`."""
        return [
            c
            for conns in self._by_event.values()
            for c in conns.values()
            if c.sending_since is not None and now - c.sending_since > limit_s
        ]

    def count(self, event_id: str | None = None) -> int:
        if event_id is not None:
            return len(self._by_event.get(event_id, {}))
        return sum(len(c) for c in self._by_event.values())

    def send(
        self,
        event_id: str,
        render: Callable[[Connection], str | None],
        *,
        only: Iterable[Connection] | None = None,
    ) -> int:
        """Push `render(conn)` to each connection of the event (None skips it); returns count."""
        sent = 0
        for conn in self.connections(event_id) if only is None else only:
            text = render(conn)
            if text is not None:
                conn.push(text)
                sent += 1
        return sent
