"""Two organiser messages sent within a second: the open participant page shows both, oldest
first, as a reload does (it used to show only the second, in place of the first)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.fixtures.live_server import LiveServer
from tests.web.test_browser_participant_live import LIVE_TIMEOUT_MS, live_event, open_page
from tests.web.test_participant_announcements import RECORD_ANNOUNCEMENTS, heard

pytestmark = pytest.mark.browser

FIRST = "Break at 10:30 in the main room"
SECOND = "Bring a pen"


def test_two_messages_sent_at_once_are_both_shown_oldest_first(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    page = open_page(browser, live_server)
    page.add_init_script(RECORD_ANNOUNCEMENTS)
    page.goto(event.link(0))
    expect(page.locator("#conn")).to_have_attribute("data-state", "connected")
    event.act("broadcast", {"text": FIRST})
    event.act("broadcast", {"text": SECOND})

    messages = page.locator("#broadcast [data-text]")
    expect(messages).to_have_text([FIRST, SECOND], timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("#live-announce")).to_contain_text(SECOND)
    said = " ".join(heard(page))  # each read out once, together or one after the other
    assert said.count(f"Message from the organiser: {FIRST}") == 1, said
    assert said.count(f"Message from the organiser: {SECOND}") == 1, said

    page.reload()
    expect(page.locator("#conn")).to_have_attribute("data-state", "connected")
    expect(messages).to_have_text([FIRST, SECOND])

    # A new round starts without the last one's messages.
    event.act("end-round")
    event.act("start-round")
    expect(page.locator("#round-title")).to_have_text("Round 2 of 2", timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("#broadcast")).to_be_hidden()
    page.context.close()
