"""The organiser's live page says what each round control did, as a result in plain words
("Round 2 started."), not "Done: Start next round" (the label of the button pressed)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.fixtures.live_server import LiveServer
from tests.web.conftest import seat_live_event
from tests.web.test_browser_live_controls import signed_in_live_page

pytestmark = pytest.mark.browser

LIVE_TIMEOUT_MS = 10_000  # generous for a busy machine; not a timing assertion


def press(page: Page, name: str, says: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    expect(page.locator("#org-action-status")).to_have_text(says, timeout=LIVE_TIMEOUT_MS)
    expect(page.get_by_role("button", name=name, exact=True)).not_to_have_attribute(
        "aria-disabled", "true", timeout=LIVE_TIMEOUT_MS
    )


def test_each_round_control_says_what_happened(browser: Browser, live_server: LiveServer) -> None:
    seated = seat_live_event(live_server, 4, present=True)
    page = signed_in_live_page(browser, live_server, seated.organiser.email, seated.event.id)
    title = page.locator("#org-round-title")

    press(page, "Start next round", "Round 1 started.")
    press(page, "Pause", "Round 1 paused.")
    press(page, "Resume", "Round 1 resumed.")
    press(page, "+1 minute", "Round 1 has one more minute.")
    press(page, "End round", "Round 1 ended.")
    expect(title).to_have_text("Round 1 of 2 — ended", timeout=LIVE_TIMEOUT_MS)
    press(page, "Start next round", "Round 2 started.")
    page.get_by_role("button", name="End round", exact=True).click()
    expect(page.locator("#org-action-status")).to_have_text(
        "Round 2 ended. The event has finished.", timeout=LIVE_TIMEOUT_MS
    )
    page.context.close()


def test_holding_the_break_says_so(browser: Browser, live_server: LiveServer) -> None:
    # Auto-advance with a 10-minute break: Pause and Resume hold and resume the break.
    seated = seat_live_event(live_server, 4, present=True, auto_advance=True, break_seconds=600)
    page = signed_in_live_page(browser, live_server, seated.organiser.email, seated.event.id)

    press(page, "Start next round", "Round 1 started.")
    press(page, "End round", "Round 1 ended.")
    press(page, "Hold the break", "Break on hold: the next round waits until you resume it.")
    press(page, "Resume the break", "Break resumed: the next round starts when it ends.")
    page.context.close()
