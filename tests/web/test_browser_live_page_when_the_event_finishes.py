"""A live page left open when the event finishes switches to the finished state, as if reloaded:
the note that attendance, rooms and messages can no longer change (with the link to the
exports), the attendance buttons disabled, Move and Send hidden, and keyboard focus on the
note when it was on a control that went away. Before, "Mark absent", Move and Send stayed
enabled until the page was reloaded, and the server answered 409 to each."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, WebSocketRoute, expect

from tests.factories import PASSWORD
from tests.fixtures.live_server import LiveServer
from tests.web.browser import serious_violations
from tests.web.conftest import Seated, seat_live_event
from tests.web.test_browser_live_controls import LIVE_TIMEOUT_MS

pytestmark = pytest.mark.browser

FINISHED_NOTE = "The event has finished: attendance, rooms and messages can no longer change."


def last_round_running(
    browser: Browser,
    server: LiveServer,
    socket_route: Callable[[WebSocketRoute], None] | None = None,
) -> tuple[Seated, Page]:
    """An event of two rounds, round 2 (the last) started from its open live page."""
    seated = seat_live_event(server, 4, started_rounds=1, present=True)
    # bypass_csp: axe-core is injected inline; the page allows only same-origin scripts.
    context = browser.new_context(base_url=server.base_url, bypass_csp=True)
    if socket_route is not None:
        context.route_web_socket("**/ws/organiser/*", socket_route)
    page = context.new_page()
    page.goto("/organiser/sign-in")
    page.get_by_label("E-mail address").fill(seated.organiser.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My events")).to_be_visible()
    page.goto(f"/organiser/events/{seated.event.id}/live")
    expect(page.locator("#conn")).to_have_attribute("data-state", "connected")
    page.get_by_role("button", name="Start next round").click()
    expect(page.locator("#org-round-title")).to_have_text(
        "Round 2 of 2 — running", timeout=LIVE_TIMEOUT_MS
    )
    # While it runs, everything applies and the note is not there.
    expect(page.locator("#finished-live")).to_be_hidden()
    absent = page.get_by_role("button", name="Mark absent", exact=False)
    expect(absent).to_have_count(4, timeout=LIVE_TIMEOUT_MS)
    for button in absent.all():
        expect(button).to_be_enabled()
    expect(page.get_by_role("button", name="Move", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Send", exact=True)).to_be_visible()
    return seated, page


def finish_in_another_tab(page: Page, event_id: str) -> None:
    """The organiser finishes the event on its confirmation page, in a second tab."""
    other = page.context.new_page()
    other.goto(f"/organiser/events/{event_id}/finish")
    other.get_by_role("button", name="Yes, finish the event").click()
    expect(other).to_have_url(re.compile(rf"/organiser/events/{event_id}\?phase=finished$"))
    other.close()


def assert_finished_state(page: Page, event_id: str) -> None:
    note = page.locator("#finished-live")
    expect(note).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(note).to_contain_text(FINISHED_NOTE)
    expect(note.get_by_role("link", name="Exports")).to_have_attribute(
        "href", f"/organiser/events/{event_id}#exports"
    )
    expect(page.locator("#org-round-title")).to_have_text("The event has finished")
    absent = page.get_by_role("button", name="Mark absent", exact=False)
    expect(absent).to_have_count(4, timeout=LIVE_TIMEOUT_MS)  # round 2's people, as they were
    for button in absent.all():
        expect(button).to_be_disabled()
    expect(page.get_by_role("heading", name="Move someone to another room")).to_be_hidden()
    expect(page.get_by_role("button", name="Move", exact=True)).to_be_hidden()
    expect(page.get_by_role("heading", name="Send a message")).to_be_hidden()
    expect(page.get_by_role("button", name="Send", exact=True)).to_be_hidden()
    expect(page.get_by_role("button", name="Start next round")).to_be_disabled()


def test_an_open_live_page_switches_to_finished_when_the_event_finishes(
    browser: Browser, live_server: LiveServer
) -> None:
    seated, page = last_round_running(browser, live_server)
    # A keyboard user is on someone's "Mark absent" when the event finishes elsewhere.
    first_absent = page.get_by_role("button", name="Mark absent", exact=False).first
    first_absent.focus()
    expect(first_absent).to_be_focused()

    finish_in_another_tab(page, seated.event.id)

    assert_finished_state(page, seated.event.id)
    # The button it was on is disabled: focus lands on the note, not the top of the page.
    expect(page.locator("#finished-live")).to_be_focused()
    assert serious_violations(page) == []
    page.context.close()


def test_a_finished_snapshot_alone_switches_the_open_page_too(
    browser: Browser, live_server: LiveServer
) -> None:
    """A page that missed `event_finished` (reconnecting meanwhile) learns it from the `state`
    snapshot that follows: here the message is kept from the page, so only the snapshot says so."""
    dropped: list[str] = []

    def without_event_finished(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()

        def to_page(message: str | bytes) -> None:
            text = message.decode() if isinstance(message, bytes) else message
            if json.loads(text).get("type") == "event_finished":
                dropped.append(text)
                return
            ws.send(message)

        server.on_message(to_page)

    seated, page = last_round_running(browser, live_server, without_event_finished)
    text = page.locator("#broadcast-text")
    text.fill("Last round: five minutes left")
    text.focus()
    expect(text).to_be_focused()

    finish_in_another_tab(page, seated.event.id)

    assert_finished_state(page, seated.event.id)
    assert dropped, "the server sent event_finished; the page must have switched without it"
    # The message box it was in is hidden: focus lands on the note.
    expect(page.locator("#finished-live")).to_be_focused()
    page.context.close()
