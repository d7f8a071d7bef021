"""A move mid-round on the participant pages of the two rooms concerned: each hears one polite
announcement of what changed for them (never that the round started), and the room card's why is
the one a reload shows."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.fixtures.live_server import LiveServer
from tests.live.helpers import post
from tests.live.test_move_tells_each_room_what_changed import (
    MOVED_TO,
    ROUNDS,
    Rooms,
    planned_rooms,
)
from tests.web.test_browser_participant_live import LIVE_TIMEOUT_MS, open_page

pytestmark = pytest.mark.browser

# Every text the status region is given from now on (it is cleared before each).
LISTEN = """() => { window.__said = [];
  const region = document.getElementById('live-announce');
  new MutationObserver(() => { if (region.textContent) window.__said.push(region.textContent); })
    .observe(region, {childList: true, characterData: true, subtree: true}); }"""


def _ok(server: LiveServer, rooms: Rooms, action: str, body: object = None) -> None:
    response = post(server.base_url, rooms.live, action, body)
    assert response.status_code == 200, response.text


def _meets(rooms: Rooms, letters: list[str]) -> str:
    """Whom they meet, as the room card lists them."""
    return ", ".join(rooms.name(m) for m in sorted(letters, key=rooms.ids.__getitem__))


def _page(browser: Browser, server: LiveServer, rooms: Rooms, letter: str) -> Page:
    page = open_page(browser, server)
    page.goto(f"/p/{rooms.token(letter)}")
    expect(page.locator("#conn")).to_have_attribute("data-state", "connected")
    expect(page.locator("#live-announce")).to_contain_text("Round 2 of 2 has started")
    page.evaluate(LISTEN)
    return page


def test_each_reader_hears_what_the_move_changed_for_them_and_the_why_agrees_with_a_reload(
    browser: Browser, live_server: LiveServer
) -> None:
    rooms = planned_rooms(live_server.database_url)
    _ok(live_server, rooms, "start-round")
    _ok(live_server, rooms, "end-round")
    _ok(live_server, rooms, "start-round")
    left, joined = [m for m in ROUNDS[1][0] if m != "P"], [*ROUNDS[1][1], "P"]
    pages = {letter: _page(browser, live_server, rooms, letter) for letter in ("P", "A", "C")}

    _ok(live_server, rooms, "move", {"participant_id": rooms.ids["P"], "room": MOVED_TO})

    said = {
        "P": "The organiser changed your room. You meet "
        + _meets(rooms, [m for m in joined if m != "P"])
        + ".",
        "A": f"You meet {_meets(rooms, [m for m in left if m != 'A'])}.",
        "C": f"You meet {_meets(rooms, [m for m in joined if m != 'C'])}.",
    }
    for letter, page in pages.items():
        expect(page.locator("#live-announce")).to_have_text(said[letter], timeout=LIVE_TIMEOUT_MS)
        assert page.evaluate("() => window.__said") == [said[letter]]  # once, no "started"
    expect(pages["P"].locator("#room-notice")).to_have_text("The organiser changed your room.")
    for letter in ("A", "C"):
        expect(pages[letter].locator("#room-notice")).to_have_count(0)

    for page in pages.values():
        why = page.locator("#room-card .why span")
        live = why.inner_text()
        page.reload()
        expect(why).to_have_text(live)
    assert "Portugal" not in pages["A"].locator("#room-card .why span").inner_text()
    assert "Portugal" in pages["C"].locator("#room-card .why span").inner_text()
    for page in pages.values():
        page.context.close()
