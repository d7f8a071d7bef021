"""Shared by the fault tests: which contact decisions are stored, and waiting for processes to
subscribe to Redis. (Whether the stored plan is valid: `bench.soak.plan_problems`, which the soak
test uses too.)"""

from __future__ import annotations

import asyncio

import redis.asyncio as redis
from sqlmodel import Session, select

from app.db import make_engine
from app.live.changes import CHANNEL
from app.models import ContactDecision


def decisions(database_url: str, event_id: str) -> set[tuple[str, str, bool]]:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            rows = session.exec(select(ContactDecision).where(ContactDecision.event_id == event_id))
            return {(d.from_participant_id, d.to_participant_id, d.share) for d in rows.all()}
    finally:
        engine.dispose()


async def subscribed(url: str, count: int, timeout: float = 30) -> None:
    """Wait until `count` processes listen on the live channel of the Redis at `url`."""
    client = redis.Redis.from_url(url)
    try:
        async with asyncio.timeout(timeout):
            while True:
                numsub = await client.pubsub_numsub(CHANNEL)
                if numsub and int(numsub[0][1]) >= count:
                    return
                await asyncio.sleep(0.1)
    finally:
        await client.aclose()
