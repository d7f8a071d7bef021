"""Holding the break between rounds (auto-advance on), in headless Chromium against a real
uvicorn: the organiser's Pause and Resume hold the break, and the participant's page says the
break is on hold instead of counting down to a round that does not start."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.fixtures.live_server import LiveServer
from tests.web.conftest import seat_live_event
from tests.web.test_browser_live_controls import signed_in_live_page

pytestmark = pytest.mark.browser

LIVE_TIMEOUT_MS = 10_000  # generous for a busy 2-core machine; not a timing assertion


def test_the_organiser_holds_the_break_and_the_participant_page_says_so(
    browser: Browser, live_server: LiveServer
) -> None:
    # A 10-minute break: nothing starts by itself during the test.
    seated = seat_live_event(live_server, 4, present=True, auto_advance=True, break_seconds=600)
    organiser = signed_in_live_page(browser, live_server, seated.organiser.email, seated.event.id)
    participant = browser.new_context(base_url=live_server.base_url).new_page()
    participant.goto(f"/p/{seated.tokens[seated.people[0].id]}")
    expect(participant.locator("#conn")).to_have_attribute("data-state", "connected")
    title = organiser.locator("#org-round-title")

    organiser.get_by_role("button", name="Start next round").click()
    expect(title).to_contain_text("running", timeout=LIVE_TIMEOUT_MS)
    expect(organiser.get_by_role("button", name="Pause", exact=True)).to_be_enabled()
    organiser.get_by_role("button", name="End round").click()
    expect(title).to_contain_text("ended", timeout=LIVE_TIMEOUT_MS)
    expect(participant.get_by_text("Next round starts in", exact=True)).to_be_visible(
        timeout=LIVE_TIMEOUT_MS
    )

    hold = organiser.get_by_role("button", name="Hold the break")
    expect(hold).to_be_enabled()
    expect(organiser.get_by_role("button", name="Resume the break")).to_be_disabled()
    hold.click()
    expect(title).to_contain_text("break on hold", timeout=LIVE_TIMEOUT_MS)
    expect(organiser.get_by_role("button", name="Resume the break")).to_be_enabled()
    expect(organiser.get_by_role("button", name="Hold the break")).to_be_disabled()

    held = participant.locator("#break-held")
    expect(held).to_contain_text("Break on hold. Time left:", timeout=LIVE_TIMEOUT_MS)
    expect(held.locator("#countdown")).to_have_text(re.compile(r"^\d{1,2}:\d\d$"))
    expect(participant.get_by_text("Next round starts in", exact=True)).to_have_count(0)
    expect(participant.get_by_text("once the organiser resumes the break")).to_be_visible()

    organiser.get_by_role("button", name="Resume the break").click()
    expect(participant.get_by_text("Next round starts in", exact=True)).to_be_visible(
        timeout=LIVE_TIMEOUT_MS
    )
    expect(participant.locator("#break-held")).to_have_count(0)
    expect(title).not_to_contain_text("on hold")
    # The next round still starts from the organiser's own button.
    organiser.get_by_role("button", name="Start next round").click()
    expect(title).to_contain_text("Round 2 of 2", timeout=LIVE_TIMEOUT_MS)
