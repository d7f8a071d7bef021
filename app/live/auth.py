"""Participant token lookups for websockets, batched: one query serves a burst of connections.

After a server restart thousands of clients reconnect within a second or two; one indexed
`token_hash IN (...)` query per batch replaces a session and a query per socket. Every lookup
still reads the database, so a re-issued link or an erased participant is refused at once.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import col

from app.db import get_engine
from app.live.snapshot import decisions_where
from app.models import ContactDecision, Participant
from app.security import hash_token, token_matches
from rooms import Decision

MAX_BATCH = 500


@dataclass(frozen=True)
class TokenOwner:
    participant_id: str
    event_id: str
    decisions: tuple[Decision, ...] = ()  # theirs, read now: the first `state` carries them
    link_version: int = 0  # re-issuing the link bumps it: the socket is closed then


def _lookup(hashes: list[str]) -> dict[str, TokenOwner]:
    stmt = select(
        col(Participant.token_hash),
        col(Participant.id),
        col(Participant.event_id),
        col(Participant.token_version),
    ).where(col(Participant.token_hash).in_(hashes), col(Participant.deleted).is_(False))
    with get_engine().connect() as conn:
        owners = [(h, pid, e, version) for h, pid, e, version in conn.execute(stmt) if h]
        pids = [pid for _, pid, _, _ in owners]
        decisions = decisions_where(conn, col(ContactDecision.from_participant_id).in_(pids))
    return {
        h: TokenOwner(pid, event_id, tuple(decisions.get(pid, ())), version)
        for h, pid, event_id, version in owners
    }


class TokenBatcher:
    """Collects lookups that arrive while a query runs and serves them with the next one."""

    def __init__(self) -> None:
        self._pending: dict[str, list[asyncio.Future[TokenOwner | None]]] = {}
        self._running = False

    async def owner(self, token: str) -> TokenOwner | None:
        digest = hash_token(token)
        future: asyncio.Future[TokenOwner | None] = asyncio.get_running_loop().create_future()
        self._pending.setdefault(digest, []).append(future)
        if not self._running:
            self._running = True
            asyncio.get_running_loop().create_task(self._drain())
        owner = await future
        # Constant-time confirmation, as for every other token check.
        return owner if owner is not None and token_matches(token, digest) else None

    async def _drain(self) -> None:
        try:
            while self._pending:
                await asyncio.sleep(0)  # let concurrent handshakes join this batch
                batch = dict(list(self._pending.items())[:MAX_BATCH])
                for digest in batch:
                    del self._pending[digest]
                try:
                    found = await asyncio.to_thread(_lookup, list(batch))
                except Exception as exc:
                    for futures in batch.values():
                        for f in futures:
                            if not f.done():
                                f.set_exception(exc)
                    continue
                for digest, futures in batch.items():
                    for f in futures:
                        if not f.done():
                            f.set_result(found.get(digest))
        finally:
            self._running = False
