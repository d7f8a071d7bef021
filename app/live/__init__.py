"""Live rounds in the web app: websocket endpoints, organiser actions and the per-process runtime.

`router` carries its own lifespan (FastAPI merges it into the app's): it opens the broker chosen
by `SPEEDMATCH_REDIS_URL` (Redis pub/sub) or the in-process one, and starts the background loops.
"""

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any

import fastapi.routing
from fastapi import APIRouter, FastAPI

from rooms import make_broker


@asynccontextmanager
async def live_lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Imported here: these modules import app.live's submodules, which import this package.
    from app.live.runtime import LiveRuntime

    settings = app.state.settings
    runtime = LiveRuntime(make_broker(settings.redis_url))
    await runtime.start()
    app.state.live = runtime
    try:
        yield
    finally:
        await runtime.stop()


def make_router() -> APIRouter:
    """The live endpoints plus their lifespan, for `app.include_router`."""
    from app.live import control, ws

    router = APIRouter(lifespan=live_lifespan)
    router.include_router(ws.router)
    router.include_router(control.router)
    read_sources_ahead([control.start_round, ws.participant_socket, ws.organiser_socket])
    return router


def read_sources_ahead(endpoints: Iterable[Callable[..., Any]]) -> None:
    """FastAPI reads an endpoint's source file (for its error messages) on the endpoint's
    first request, and caches it. Inside the first round start of a fresh process that cost
    0.4-0.9 ms, before any participant heard of the round; so read it now. A FastAPI that no
    longer does this has nothing to read ahead."""
    extract = getattr(fastapi.routing, "_extract_endpoint_context", None)
    if extract is None:
        return
    for endpoint in endpoints:
        extract(endpoint)
