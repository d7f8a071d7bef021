"""One real uvicorn shared by the live tests (each test builds its own event in its database)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.live_server import LiveServer, LiveServerFactory


@pytest.fixture(scope="session")
def live_factory(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[LiveServerFactory]:
    factory = LiveServerFactory(tmp_path_factory.mktemp("live"), sqlite_template)
    try:
        yield factory
    finally:
        factory.close()


@pytest.fixture(scope="session")
def server(live_factory: LiveServerFactory) -> LiveServer:
    return live_factory()


@pytest.fixture
def running(server: LiveServer) -> LiveServer:
    """The module's server, started again if a previous test stopped it."""
    server.start()
    return server
