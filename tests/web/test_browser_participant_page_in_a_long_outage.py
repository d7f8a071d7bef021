"""A participant page that was live and then goes without a connection for longer than a server
restart takes (a phone that moved to a network that blocks websockets) stops promising that it
updates by itself: it gives the "no live updates on this network" advice and keeps trying; a
connection again resets that. Until 2026-11-29 it said "Reconnecting…" forever.

The page config's `reconnectingForMs` (a minute as the server sends it) is made short here as
participant.js reads it, so the test need not wait a minute."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.fixtures.live_server import LiveServer
from tests.web.test_browser_participant_live import LIVE_TIMEOUT_MS, live_event, open_page

pytestmark = pytest.mark.browser

BLOCKED = (
    "This page cannot get live updates on this network. Reload it at the start of each round"
    " to see your room."
)
SHORT_BOUND_MS = 2_000
# Reconnect backoff is capped at 15 s: the next try, and the "unavailable" after the bound, come
# within that.
BACK_TIMEOUT_MS = 30_000

# Every value `#conn`'s data-state takes, in order (a mutation's new value is the next one's old).
WATCH_STATES = """() => {
  window.connStates = [];
  const conn = document.getElementById("conn");
  new MutationObserver((records) => {
    records.forEach((record, i) => {
      const next = records[i + 1];
      window.connStates.push(next ? next.oldValue : conn.getAttribute("data-state"));
    });
  }).observe(conn, { attributes: true, attributeFilter: ["data-state"], attributeOldValue: true });
}"""


# Before the page's scripts run: the page config as read by participant.js, with a short
# `reconnectingForMs`. (Rewriting the served page instead makes Chromium treat it as a public
# page, whose sockets to 127.0.0.1 its local-network checks then block.)
SHORT_BOUND = """(() => {
  let live;
  Object.defineProperty(window, "speedmatchLive", {
    configurable: true,
    get: () => live,
    set: (value) => {
      const read = value.readConfig;
      value.readConfig = (id) => {
        const config = read(id);
        if (id === "sm-live" && config) config.reconnectingForMs = SHORT_BOUND_MS;
        return config;
      };
      live = value;
    },
  });
})();""".replace("SHORT_BOUND_MS", str(SHORT_BOUND_MS))


def states_seen(page: Page) -> list[str]:
    """The states `#conn` went through since the last `WATCH_STATES`, repeats dropped."""
    seen: list[str] = page.evaluate("window.connStates")
    return [state for i, state in enumerate(seen) if i == 0 or seen[i - 1] != state]


def test_a_page_lost_for_longer_than_a_restart_says_it_cannot_get_live_updates(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    page = open_page(browser, live_server)
    link = event.link(0)
    page.add_init_script(SHORT_BOUND)
    page.goto(link)
    conn = page.locator("#conn")
    expect(conn).to_have_attribute("data-state", "connected", timeout=LIVE_TIMEOUT_MS)
    # The server's own bound: well past a restart (a few seconds).
    served = json.loads(page.locator("#sm-live").text_content() or "{}")
    assert served["reconnectingForMs"] >= 30_000

    page.evaluate(WATCH_STATES)
    live_server.kill()
    # First an outage like a restart, then, still down past the bound, the network advice.
    expect(conn).to_have_text(BLOCKED, timeout=BACK_TIMEOUT_MS)
    expect(conn).to_have_attribute("data-state", "unavailable")
    assert states_seen(page) == ["reconnecting", "unavailable"]

    # It kept trying: live again once the server is back, and a new loss is an outage again.
    live_server.start()
    expect(conn).to_have_attribute("data-state", "connected", timeout=BACK_TIMEOUT_MS)
    page.evaluate(WATCH_STATES)
    live_server.kill()
    expect(conn).to_have_text(BLOCKED, timeout=BACK_TIMEOUT_MS)
    assert states_seen(page) == ["reconnecting", "unavailable"]
    page.context.close()
