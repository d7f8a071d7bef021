"""An unexpected error (a bug) answers a readable 500 with the security headers every other
answer carries, and the server still logs its traceback. Served by real uvicorn."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from app.main import create_app
from tests.fixtures.services import free_port

HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def boom() -> None:
    raise RuntimeError("a bug in a route")


@pytest.fixture
def app(configured: str) -> FastAPI:
    """The real app, with one API route and one page that fail (test-only)."""
    application = create_app()
    application.add_api_route("/api/v1/test-only/boom", boom)
    application.add_api_route("/test-only/boom", boom)
    return application


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    """`app` on real uvicorn in a thread; log_config=None leaves its loggers to pytest."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped before it started"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()


def test_an_unexpected_error_is_a_readable_500_with_the_security_headers(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    with served(app) as base, caplog.at_level(logging.ERROR):
        api = httpx.get(f"{base}/api/v1/test-only/boom")
        page = httpx.get(f"{base}/test-only/boom", headers={"accept-language": "nl"})

    for answer in (api, page):
        assert answer.status_code == 500
        assert {name: answer.headers.get(name) for name in HEADERS} == HEADERS
    assert api.json()["type"] == "internal_error"
    assert "It has been logged" in api.json()["detail"]
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="nl">' in page.text
    assert "a bug in a route" not in page.text + api.text  # no internals shown

    tracebacks = [r for r in caplog.records if r.exc_info and r.exc_info[0] is RuntimeError]
    assert len(tracebacks) == 2  # one per request, as before the handler
