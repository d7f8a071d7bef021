"""Background loops end when cancelled, also where a library swallows or converts the cancel
(redis-py does both at times; the server's shutdown then used to hang)."""

import asyncio

import pytest

from app.live.loops import every


async def _swallows() -> None:
    try:
        await asyncio.sleep(30)
    except asyncio.CancelledError:
        return  # the cancellation is lost, as redis-py sometimes loses it


async def _converts() -> None:
    try:
        await asyncio.sleep(30)
    except asyncio.CancelledError:
        raise ConnectionError("Connection closed by server.") from None


async def _stops_when_cancelled(step: object) -> bool:
    calls = 0

    async def counted() -> None:
        nonlocal calls
        calls += 1
        await step()  # type: ignore[operator]

    task = asyncio.create_task(every(0, counted))
    while calls == 0:
        await asyncio.sleep(0.01)
    task.cancel()
    done, _ = await asyncio.wait([task], timeout=5)
    return task in done and task.cancelled()


@pytest.mark.parametrize("step", [_swallows, _converts])
def test_a_background_loop_stops_even_when_its_step_loses_the_cancel(step: object) -> None:
    assert asyncio.run(_stops_when_cancelled(step))
