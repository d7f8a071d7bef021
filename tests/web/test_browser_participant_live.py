"""The participant's live page in headless Chromium against a real uvicorn: what they see when
the socket is refused for good, blocked by the network, or when they are moved mid-round."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, WebSocketRoute, expect
from sqlmodel import Session

from app.db import make_engine
from tests.factories import make_api_token
from tests.fixtures.live_server import LiveServer
from tests.web.browser import serious_violations
from tests.web.conftest import Seated, seat_event

pytestmark = pytest.mark.browser

LIVE_TIMEOUT_MS = 10_000  # generous for a busy 2-core machine; not a timing assertion


@dataclass
class LiveEvent:
    server: LiveServer
    seated: Seated
    api_token: str

    def act(self, action: str, body: dict[str, Any] | None = None) -> None:
        """An organiser's live action through the API, as the live page sends it."""
        response = httpx.post(
            f"{self.server.base_url}/api/v1/events/{self.seated.event.id}/live/{action}",
            json=body or {},
            headers={"Authorization": f"Bearer {self.api_token}"},
            timeout=60,
        )
        response.raise_for_status()

    def link(self, index: int) -> str:
        return f"/p/{self.seated.tokens[self.seated.people[index].id]}"

    def name(self, index: int) -> str:
        return self.seated.people[index].name


def live_event(server: LiveServer) -> LiveEvent:
    """Six people in rooms of two (0+1, 2+3, 4+5 in round 1), everyone present, not started."""
    engine = make_engine(server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        seated = seat_event(db, n=6, present=True)
        token = make_api_token(db, seated.organiser)
    engine.dispose()
    return LiveEvent(server, seated, token)


def open_page(browser: Browser, server: LiveServer, locale: str = "en-GB") -> Page:
    # bypass_csp: the page's CSP allows only same-origin scripts; axe-core is injected inline.
    context = browser.new_context(base_url=server.base_url, locale=locale, bypass_csp=True)
    return context.new_page()


def connected_page(browser: Browser, event: LiveEvent, index: int, locale: str = "en-GB") -> Page:
    """Participant `index`'s page, once its socket is connected."""
    page = open_page(browser, event.server, locale)
    page.goto(event.link(index))
    expect(page.locator("#conn")).to_have_attribute("data-state", "connected")
    return page


def test_a_socket_refused_for_good_stops_reconnecting_and_says_why(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    page = open_page(browser, live_server)
    tries: list[WebSocketRoute] = []

    def refuse(ws: WebSocketRoute) -> None:
        tries.append(ws)
        ws.close(code=4404, reason="no such event")

    page.route_web_socket("**/ws/participant*", refuse)
    page.clock.install()
    page.goto(event.link(0))
    conn = page.locator("#conn")
    expect(conn).to_have_text("This event no longer exists. Ask the organiser for a new link.")

    # Coming back online, showing the tab again or a minute passing must not knock again.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    page.clock.run_for(60_000)
    expect(conn).to_have_attribute("data-state", "gone")
    expect(conn).to_have_text("This event no longer exists. Ask the organiser for a new link.")
    assert len(tries) == 1
    page.context.close()


def test_page_shows_the_live_round_when_the_network_blocks_websockets(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    page = open_page(browser, live_server)
    # A school proxy that accepts the upgrade and drops it at once, every time.
    page.route_web_socket("**/ws/participant*", lambda ws: ws.close())
    page.goto(event.link(0))

    expect(page.locator("#round-title")).to_have_text("Round 1 of 2")
    expect(page.locator("#room-card")).to_contain_text(f"You meet {event.name(1)}")
    expect(page.locator(".timer-line")).to_contain_text("Time left:")
    expect(page.locator("#conn")).to_have_text(
        "This page cannot get live updates on this network. Reload it at the start of each"
        " round to see your room.",
        timeout=LIVE_TIMEOUT_MS,
    )
    assert serious_violations(page) == []
    page.context.close()


def test_someone_moved_while_the_round_is_paused_still_sees_it_paused(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    page = connected_page(browser, event, 0)
    event.act("pause")
    expect(page.locator(".timer-line")).to_contain_text("Paused", timeout=LIVE_TIMEOUT_MS)

    event.act("move", {"participant_id": event.seated.people[0].id, "room": 2})
    expect(page.locator("#room-card")).to_contain_text(event.name(2), timeout=LIVE_TIMEOUT_MS)
    expect(page.locator(".timer-line")).to_contain_text("Paused. Time left:")
    page.context.close()


def test_someone_moved_is_told_their_room_changed_in_their_language(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    page = connected_page(browser, event, 0, locale="nl-NL")
    expect(page.locator("#room-notice")).to_have_count(0)

    event.act("move", {"participant_id": event.seated.people[0].id, "room": 2})
    expect(page.locator("#room-card")).to_contain_text(event.name(2), timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("#room-notice")).to_have_text("De organisator heeft je kamer veranderd.")
    assert serious_violations(page) == []
    page.context.close()


def test_a_message_sent_while_reconnecting_is_shown_once_back(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    page = connected_page(browser, event, 0)
    # Someone else in room 1 keeps the event followed on this server while our page is away.
    other = connected_page(browser, event, 1)

    page.context.set_offline(True)
    expect(page.locator("#conn")).to_have_attribute("data-state", "offline")
    event.act("broadcast", {"text": "Back in the main room at 10:30"})
    event.act("broadcast", {"text": "Room 3: your link changed", "room": 3})
    expect(other.locator("#broadcast")).to_contain_text("Back in the main room at 10:30")
    page.context.set_offline(False)

    expect(page.locator("#broadcast")).to_contain_text(
        "Back in the main room at 10:30", timeout=LIVE_TIMEOUT_MS
    )
    expect(page.locator("#conn")).to_have_attribute("data-state", "connected")
    expect(page.locator("#broadcast")).not_to_contain_text("Room 3")
    other.context.close()
    page.context.close()
