"""Redis not answering when the service starts: it starts anyway and degrades as in an outage.

It used to stop with a traceback from the app's start-up (`ConnectionError` from the broker's
first PING), so a Redis container that came up a moment later than the app took the event down.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import subprocess
from pathlib import Path

import pytest
import redis.asyncio as redis

from app.live.changes import CHANNEL
from rooms.redis_broker import RedisBroker
from tests.faults.helpers import subscribed
from tests.fixtures.live_server import LiveServerFactory
from tests.fixtures.redis import wait_for_port
from tests.fixtures.services import free_port
from tests.live.helpers import Client, apost, create_live_event, member_ids

PASSWORD = "redis-password-never-logged"


@pytest.mark.redis
def test_the_service_starts_without_redis_and_fans_out_again_once_redis_answers(
    live_server_factory: LiveServerFactory, tmp_path: Path
) -> None:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server not installed")
    port = free_port()  # nothing listens here yet
    url = f"redis://:{PASSWORD}@127.0.0.1:{port}/0"
    db = live_server_factory.new_database()
    server = live_server_factory(db, redis_url=url)  # used to raise: "uvicorn exited early"
    live = create_live_event(db, 4, rounds=2)

    log = server.log_tail()
    assert PASSWORD not in log
    assert "Traceback" not in log
    said = [line for line in log.splitlines() if "does not answer" in line]
    assert len(said) == 1, log
    assert said[0].startswith(f"Redis at redis://127.0.0.1:{port}/0 does not answer (")

    redis_proc: subprocess.Popen[bytes] | None = None

    async def scenario() -> None:
        nonlocal redis_proc
        clients = {}
        for pid in sorted(live.tokens):
            clients[pid] = await Client.participant(server.ws_url, live.tokens[pid])
            assert (await clients[pid].recv())["type"] == "state"
        # Degraded as during an outage: the organiser's action works, its sockets get it.
        started = await apost(server.base_url, live, "start-round")
        assert started.status_code == 200, started.text
        for pid, client in clients.items():
            assignment = await client.recv_type("assignment")
            assert (assignment["round"], member_ids(assignment)) == (1, live.room_of(1, pid))

        redis_proc = subprocess.Popen(
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--requirepass", PASSWORD]
            + ["--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(port, redis_proc)
        await subscribed(url, 1)  # the process subscribed by itself
        watcher = redis.Redis.from_url(url)
        listener = watcher.pubsub()
        await listener.subscribe(CHANNEL)
        try:
            ended = await apost(server.base_url, live, "end-round")
            assert ended.status_code == 200, ended.text
            async with asyncio.timeout(15):
                while True:  # and publishes its changes for other processes again
                    item = await listener.get_message(ignore_subscribe_messages=True, timeout=1)
                    if item is not None:
                        break
        finally:
            await listener.aclose()  # type: ignore[no-untyped-call]
            await watcher.aclose()
        for client in clients.values():
            await client.close()

    try:
        asyncio.run(scenario())
    finally:
        if redis_proc is not None:
            redis_proc.kill()
            redis_proc.wait()
    assert server.running
    log = server.log_tail()
    assert f"Redis at redis://127.0.0.1:{port}/0 answers again" in log
    assert PASSWORD not in log


def test_a_redis_host_that_does_not_exist_is_one_line_without_the_password(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def scenario() -> None:
        broker = RedisBroker(f"redis://speedmatch:{PASSWORD}@no-such-host.invalid:6379/0")
        await broker.open()  # used to raise ConnectionError
        async with broker.subscribe(CHANNEL):  # opens; its messages wait for Redis
            pass
        await broker.close()

    with caplog.at_level(logging.WARNING, logger="rooms.redis"):
        asyncio.run(scenario())
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == [
        "Redis at redis://speedmatch@no-such-host.invalid:6379/0 does not answer"
    ]
    assert PASSWORD not in caplog.text
