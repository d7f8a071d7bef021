"""Open sockets' credentials, checked again at each version tick (and an organiser socket's at
each message it sends); failing sockets are closed.

A participant socket keeps the link version it opened with (a re-issued link or an erasure
bumps it); an organiser socket keeps its own check (signed out, token revoked). An old link
must stop receiving the rooms (others' names and schools), a signed-out organiser everyone's.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlmodel import col, select

from app.db import session_scope
from app.models import Participant
from rooms import Hub

log = logging.getLogger("speedmatch.live")

LINK_REPLACED = (4401, "this personal link was replaced by a new one")

# Run in a worker thread: (0, "") while the credentials work, else (close code, reason).
Recheck = Callable[[], tuple[int, str]]


class CredentialChecks:
    def __init__(self) -> None:
        self.links: dict[str, int] = {}  # participant socket id → link version opened with
        self.checks: dict[str, Recheck] = {}  # organiser socket id → its check
        self.revoked: dict[str, tuple[int, str]] = {}  # socket id → (close code, reason)

    def forget(self, conn_id: str) -> tuple[int, str] | None:
        """Drop a closed socket's entries; the (code, reason) it was closed for, if revoked."""
        self.links.pop(conn_id, None)
        self.checks.pop(conn_id, None)
        return self.revoked.pop(conn_id, None)

    async def refuses(self, conn_id: str) -> bool:
        """Whether an organiser socket's credentials stopped working (then noted as revoked)."""
        check = self.checks.get(conn_id)
        if check is None:
            return False
        try:
            why = await asyncio.to_thread(check)
        except Exception:  # a database hiccup: the next tick asks again, as when a tick fails
            log.exception("checking an organiser socket's credentials failed")
            return False
        if not why[0]:
            return False
        self.revoked[conn_id] = why
        return True

    async def close_revoked(
        self, hub: Hub, pumps: dict[str, asyncio.Task[None]], events: list[str]
    ) -> None:
        """End the pumps of `events`' sockets whose credentials no longer work."""
        checks = dict(self.checks)
        current = await asyncio.to_thread(_link_versions, events) if self.links else {}
        refused = await asyncio.to_thread(_refused, checks) if checks else {}
        for event_id in events:
            for conn in hub.connections(event_id):
                pump = pumps.get(conn.id)
                if pump is None:
                    continue  # still sending its first state: the next tick checks it
                why = refused.get(conn.id)
                opened = self.links.get(conn.id)
                if why is None and opened is not None and conn.participant_id is not None:
                    why = None if current.get(conn.participant_id) == opened else LINK_REPLACED
                if why is not None:
                    self.revoked[conn.id] = why
                    pump.cancel()


def _refused(checks: dict[str, Recheck]) -> dict[str, tuple[int, str]]:
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
