"""A participant page that was live when the server went down says it is reconnecting (not that
the network blocks live updates), and is live again once the server is back, without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, WebSocket, expect

from tests.fixtures.live_server import LiveServer
from tests.web.test_browser_participant_live import LIVE_TIMEOUT_MS, connected_page, live_event

pytestmark = pytest.mark.browser

RECONNECTING = "Connection lost. Reconnecting… This page updates by itself once it is back."
BLOCKED = "This page cannot get live updates on this network."
# Reconnect backoff after 4 failed tries (½–1 × 0.5 s · 2ⁿ): up to 8 s before the next one.
BACK_TIMEOUT_MS = 30_000


def test_a_page_that_was_live_says_it_is_reconnecting_while_the_server_is_down(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    page = connected_page(browser, event, 0)
    conn = page.locator("#conn")
    tries: list[WebSocket] = []

    def opened(ws: WebSocket) -> None:
        tries.append(ws)

    page.on("websocket", opened)

    live_server.kill()
    expect(conn).to_have_text(RECONNECTING, timeout=LIVE_TIMEOUT_MS)
    # More failed tries than a page that never connected needs to blame the network: each new
    # socket is opened after the previous one failed.
    while len(tries) < 4:
        page.wait_for_event("websocket", timeout=LIVE_TIMEOUT_MS)
    expect(conn).to_have_attribute("data-state", "reconnecting")
    expect(conn).not_to_contain_text(BLOCKED)

    live_server.start()
    expect(conn).to_have_attribute("data-state", "connected", timeout=BACK_TIMEOUT_MS)
    event.act("start-round")
    expect(page.locator("#round-title")).to_have_text("Round 1 of 2", timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("#room-card")).to_contain_text(f"You meet {event.name(1)}")
    page.context.close()
