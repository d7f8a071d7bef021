"""Who is connected, across processes: advisory entries in the broker that expire on their own.

Joins and leaves are batched (flushed a few times a second): a reconnect storm of thousands of
sockets costs a handful of broker calls and presence notifications, not one per socket.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable

from app.live.changes import Change
from rooms import Broker, Connection, Hub

log = logging.getLogger("speedmatch.live")

TTL_S = 45.0
FLUSH_S = 0.2


def presence_key(event_id: str) -> str:
    return f"speedmatch:presence:{event_id}"


class Presence:
    def __init__(
        self,
        hub: Hub,
        broker: Broker,
        process_id: str,
        publish: Callable[[Change], Awaitable[None]],
        version_of: Callable[[str], int],
    ) -> None:
        self.hub = hub
        self.broker = broker
        self.process_id = process_id
        self.publish = publish
        self.version_of = version_of
        self._joined: dict[str, dict[str, Connection]] = {}
        self._left: dict[str, dict[str, Connection]] = {}

    def member(self, conn: Connection) -> str:
        return f"{conn.participant_id}|{self.process_id}:{conn.id}"

    def joined(self, conn: Connection) -> None:
        if conn.participant_id is not None:
            self._joined.setdefault(conn.event_id, {})[conn.id] = conn

    def left(self, conn: Connection) -> None:
        if conn.participant_id is None:
            return
        # A socket that closes before its join was flushed still counts as a leave: room-mates
        # may already show this person as connected (their `state` reads the hub directly).
        self._joined.get(conn.event_id, {}).pop(conn.id, None)
        self._left.setdefault(conn.event_id, {})[conn.id] = conn

    async def flush(self) -> None:
        joined, self._joined = self._joined, {}
        left, self._left = self._left, {}
        for event_id in set(joined) | set(left):
            came = list(joined.get(event_id, {}).values())
            went = list(left.get(event_id, {}).values())
            key = presence_key(event_id)
            with contextlib.suppress(Exception):
                await self.broker.presence_touch(key, [self.member(c) for c in came], TTL_S)
                for conn in went:
                    await self.broker.presence_remove(key, self.member(conn))
            gone = {
                c.participant_id
                for c in went
                if c.participant_id is not None
                and not self.hub.participant_connections(event_id, c.participant_id)
            }
            version = self.version_of(event_id)
            if came:
                ids = tuple(sorted({c.participant_id for c in came if c.participant_id}))
                await self.publish(
                    Change(event_id, version, "presence", participants=ids, connected=True)
                )
            if gone:
                await self.publish(
                    Change(
                        event_id,
                        version,
                        "presence",
                        participants=tuple(sorted(gone)),
                        connected=False,
                    )
                )

    async def refresh(self) -> None:
        """Re-touch this process's entries so they outlive their TTL only while it is alive."""
        for event_id in self.hub.events():
            members = [self.member(c) for c in self.hub.connections(event_id) if not c.is_organiser]
            await self.broker.presence_touch(presence_key(event_id), members, TTL_S)

    async def connected(self, event_id: str) -> set[str]:
        """Participants connected to any process (advisory; entries expire)."""
        local = self.hub.connected_participants(event_id)
        if not self.broker.shared:
            return local  # one process: its hub is all there is
        try:
            members = await self.broker.presence_members(presence_key(event_id))
        except Exception:
            log.exception("reading presence failed; using this process only")
            return local
        return local | {m.split("|", 1)[0] for m in members}
