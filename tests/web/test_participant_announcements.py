"""What a screen reader hears on the participant's page (the polite `#live-announce` region):
each piece of news once, and none lost when two arrive together."""

from __future__ import annotations

from typing import cast

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.fixtures.live_server import LiveServer
from tests.web.test_browser_participant_live import LIVE_TIMEOUT_MS, connected_page, live_event

pytestmark = pytest.mark.browser

# Every text the live region ever held, from the first moment of each page load.
RECORD_ANNOUNCEMENTS = """
window.__heard = [];
new MutationObserver(() => {
  const region = document.getElementById("live-announce");
  const text = region ? region.textContent : "";
  if (text && window.__heard[window.__heard.length - 1] !== text) window.__heard.push(text);
}).observe(document, {childList: true, characterData: true, subtree: true});
"""


def heard(page: Page) -> list[str]:
    return cast(list[str], page.evaluate("window.__heard"))


def test_switching_language_does_not_announce_the_round_again(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    page = connected_page(browser, event, 0)
    page.add_init_script(RECORD_ANNOUNCEMENTS)
    region = page.locator("#live-announce")
    expect(region).to_have_text(f"Round 1 of 2 has started. You meet {event.name(1)}.")

    # Switching language reloads the page; the round that started minutes ago is not news.
    page.locator("#lang-select").select_option("nl")
    page.locator(".lang-picker button").click()
    expect(page.locator("#round-title")).to_have_text("Ronde 1 van 2")
    expect(page.locator("#conn")).to_have_attribute("data-state", "connected")
    event.act("broadcast", {"text": "Tea is ready"})
    expect(region).to_contain_text("Tea is ready", timeout=LIVE_TIMEOUT_MS)
    assert len(heard(page)) == 1, heard(page)
    page.context.close()


def test_back_online_the_new_round_and_its_message_are_both_announced(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    page = connected_page(browser, event, 0)
    # Someone else keeps the event followed on this server while our page is away.
    other = connected_page(browser, event, 1)

    page.context.set_offline(True)  # the phone is locked
    expect(page.locator("#conn")).to_have_attribute("data-state", "offline")
    event.act("end-round")
    event.act("start-round")
    event.act("broadcast", {"text": "Room links changed: use the button"})
    expect(other.locator("#broadcast")).to_contain_text("Room links changed")
    page.context.set_offline(False)

    expect(page.locator("#round-title")).to_have_text("Round 2 of 2", timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("#broadcast")).to_contain_text("Room links changed")
    region = page.locator("#live-announce")
    expect(region).to_contain_text("Round 2 of 2 has started.")
    # The region settles on one text: both pieces of news must be in what is read out.
    expect(region).to_contain_text("Message from the organiser: Room links changed")
    other.context.close()
    page.context.close()


def test_a_pause_and_its_end_are_announced_with_the_time_left(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    page = connected_page(browser, event, 0)
    region = page.locator("#live-announce")
    expect(region).to_contain_text("Round 1 of 2 has started.")
    # Sighted people see "Paused"; a screen reader user must hear it too.
    event.act("pause")
    expect(region).to_contain_text("Paused. Time left:", timeout=LIVE_TIMEOUT_MS)
    event.act("resume")
    expect(region).not_to_contain_text("Paused", timeout=LIVE_TIMEOUT_MS)
    expect(region).to_contain_text("Time left:")
    page.context.close()
