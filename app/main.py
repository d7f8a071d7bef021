"""The FastAPI application: `create_app()` wires settings, database, routers and error handlers.

Run with `speedmatch serve`, or `uvicorn app.main:create_app --factory`.
"""

import logging
import resource
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from starlette.types import ASGIApp

from app.contacts.router import api as contacts_api
from app.db import check_schema, dispose_engines, get_engine
from app.errors import install_error_handlers
from app.events.router import router as events_router
from app.gc_policy import scheduled_collection
from app.live import make_router as live_router
from app.middleware import BodySizeLimit, CrossOriginApiGuard, SecurityHeaders, SessionRenewal
from app.organisers.router import router as organisers_router
from app.participants.router import me_router
from app.participants.router import router as participants_router
from app.schedule.router import router as schedule_router
from app.settings import Settings, get_settings
from app.system import router as system_router
from app.web import error_pages
from app.web.router import router as web_router
from app.web.rule_words import edit_messages, move_messages

log = logging.getLogger("speedmatch")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    settings.check_production_safety()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # Each websocket costs a file descriptor; a low limit fails silently (see CI-NOTES).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    log.info("speedmatch starting: open-file limit %s (hard %s)", soft, hard)
    try:
        # Before the live loops start: on a database that is not migrated they would only fail.
        check_schema(get_engine())
        async with scheduled_collection():
            yield
    finally:
        dispose_engines()


class _App(FastAPI):
    """FastAPI with the security headers outside everything, Starlette's outermost
    ServerErrorMiddleware included: its 500 (and any answer of middleware inside it) carries
    them like every other answer."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def create_app(settings: Settings | None = None) -> FastAPI:
    """A fully wired application; `settings` defaults to the environment's."""
    settings = settings or get_settings()
    app = _App(
        title="speedmatch",
        version="1",
        summary="Speed-date rounds for online partner-finding events.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    # A live move's breaks in the page's words: app/live answers the move, app/web words them.
    app.state.move_messages = move_messages
    app.state.edit_messages = edit_messages  # and an edit's, while live (app.live.edit_news)
    install_error_handlers(app, browser_page=error_pages.for_browser)

    # Live first: FastAPI matches routes in order, and a reconnect storm of thousands of
    # websockets paid ~1 ms each to walk every other route first (see docs/benchmarks.md).
    app.include_router(live_router())  # websockets + /api/v1/events/{id}/live/* (app/live)

    api = APIRouter(prefix="/api/v1")
    api.include_router(system_router)
    api.include_router(organisers_router)
    api.include_router(events_router)
    api.include_router(participants_router)
    api.include_router(me_router)
    api.include_router(schedule_router)
    app.include_router(api)

    # --- routers of other packages (live/, contacts/, web/): one include_router line each ---
    app.include_router(web_router)  # server-rendered pages and /static (app/web)
    app.include_router(contacts_api, prefix="/api/v1")  # contact exchange, exports (app/contacts)
    # --- end of routers of other packages --------------------------------------------------

    app.add_middleware(SessionRenewal, settings=settings)
    # Outside the renewal: a forged request must not keep an idle session alive.
    app.add_middleware(CrossOriginApiGuard, settings=settings)
    app.add_middleware(
        BodySizeLimit, max_bytes=settings.max_body_bytes, browser_page=error_pages.for_browser
    )
    # SecurityHeaders wraps all of these, and the 413 above: see _App.
    return app
