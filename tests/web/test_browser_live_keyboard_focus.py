"""Keyboard focus on the organiser's live page stays where the organiser is: pressing a round
control or "Mark absent"/"Mark present" with the keyboard, or the rows being redrawn when someone
connects, never throws focus back to the top of the page; and a round start says at once that it
is on its way (it can take seconds), in the status line that screen readers announce."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect

from tests.fixtures.live_server import LiveServer
from tests.web.conftest import seat_live_event
from tests.web.test_browser_live_controls import signed_in_live_page

pytestmark = pytest.mark.browser

LIVE_TIMEOUT_MS = 10_000  # generous for a busy machine; not a timing assertion


def press_enter_on(page: Page, name: str) -> None:
    """Put keyboard focus on the named button and press Enter, as a keyboard user does."""
    button = page.get_by_role("button", name=name, exact=True)
    button.focus()
    expect(button).to_be_focused()
    page.keyboard.press("Enter")


def test_focus_stays_on_the_round_controls_or_moves_to_the_one_that_takes_over(
    browser: Browser, live_server: LiveServer
) -> None:
    seated = seat_live_event(live_server, 4, present=True)
    page = signed_in_live_page(browser, live_server, seated.organiser.email, seated.event.id)
    title = page.locator("#org-round-title")

    def control(name: str) -> Locator:
        return page.get_by_role("button", name=name, exact=True)

    press_enter_on(page, "Start next round")
    expect(title).to_have_text("Round 1 of 2 — running", timeout=LIVE_TIMEOUT_MS)
    expect(control("Pause")).to_be_focused()  # the next control that applies

    page.keyboard.press("Enter")
    expect(title).to_have_text("Round 1 of 2 — paused", timeout=LIVE_TIMEOUT_MS)
    expect(control("Resume")).to_be_focused()

    page.keyboard.press("Enter")
    expect(title).to_have_text("Round 1 of 2 — running", timeout=LIVE_TIMEOUT_MS)
    expect(control("Pause")).to_be_focused()

    press_enter_on(page, "+1 minute")
    expect(page.locator("#org-action-status")).to_have_text(
        "Round 1 has one more minute.", timeout=LIVE_TIMEOUT_MS
    )
    expect(control("+1 minute")).to_be_enabled(timeout=LIVE_TIMEOUT_MS)
    expect(control("+1 minute")).to_be_focused()

    press_enter_on(page, "End round")
    expect(title).to_have_text("Round 1 of 2 — ended", timeout=LIVE_TIMEOUT_MS)
    expect(control("Start next round")).to_be_focused()

    page.keyboard.press("Enter")
    expect(title).to_have_text("Round 2 of 2 — running", timeout=LIVE_TIMEOUT_MS)
    expect(control("Pause")).to_be_focused()

    # The last round: once it ends the event has finished, no control applies, and focus lands
    # on the title that says so.
    press_enter_on(page, "End round")
    expect(title).to_have_text("The event has finished", timeout=LIVE_TIMEOUT_MS)
    expect(title).to_be_focused()


def test_focus_stays_with_the_person_when_marking_absent_and_present(
    browser: Browser, live_server: LiveServer
) -> None:
    seated = seat_live_event(live_server, 4, present=True)
    page = signed_in_live_page(browser, live_server, seated.organiser.email, seated.event.id)
    page.get_by_role("button", name="Start next round").click()
    expect(page.locator("#org-round-title")).to_contain_text("running", timeout=LIVE_TIMEOUT_MS)
    rooms = page.locator("#org-rooms")
    status = page.locator("#org-action-status")
    first, second, third = seated.people[0], seated.people[1], seated.people[2]

    press_enter_on(page, f"Mark absent: {first.name}")
    expect(status).to_have_text("Marked absent. The remaining rounds are planned without them.")
    # "Mark absent: X" became "Mark present: X": focus is on the new button, in the rooms.
    expect(rooms.get_by_role("button", name=f"Mark present: {first.name}")).to_be_focused()

    page.keyboard.press("Enter")
    expect(status).to_have_text("Marked present. They take part again from the next round.")
    expect(rooms.get_by_role("button", name=f"Mark absent: {first.name}")).to_be_focused()

    # Someone opening their page redraws the rows: focus stays on the button it was on.
    mark_second = rooms.get_by_role("button", name=f"Mark absent: {second.name}")
    mark_second.focus()
    participant = browser.new_context(base_url=live_server.base_url).new_page()
    participant.goto(f"/p/{seated.tokens[third.id]}")
    expect(participant.locator("#conn")).to_have_attribute("data-state", "connected")
    expect(rooms).to_contain_text(f"{third.name} ({third.country}) — connected")
    expect(mark_second).to_be_focused()


def test_a_round_start_says_it_is_on_its_way_before_the_answer(
    browser: Browser, live_server: LiveServer
) -> None:
    seated = seat_live_event(live_server, 4, present=True)
    page = signed_in_live_page(browser, live_server, seated.organiser.email, seated.event.id)
    status = page.locator("#org-action-status")
    held: list[Route] = []

    def hold(route: Route) -> None:  # sent on once the page was checked
        held.append(route)

    page.route("**/live/start-round", hold)

    press_enter_on(page, "Start next round")
    expect(status).to_have_text("Starting round 1…")
    start = page.get_by_role("button", name="Start next round", exact=True)
    # Busy, but it keeps keyboard focus (a disabled button would lose it).
    expect(start).to_have_attribute("aria-disabled", "true")
    expect(start).to_be_focused()
    page.keyboard.press("Enter")  # a second press while it is on its way sends nothing more
    for _ in range(200):  # the route handler runs as Playwright processes events
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1

    held[0].continue_()
    expect(page.locator("#org-round-title")).to_have_text(
        "Round 1 of 2 — running", timeout=LIVE_TIMEOUT_MS
    )
    expect(status).to_have_text(
        re.compile(r"^(Round 1 started\.|Round 1 of 2 — running)$"), timeout=LIVE_TIMEOUT_MS
    )
    assert len(held) == 1
