"""The participant's page left open across rounds, in headless Chromium against a real uvicorn:
keyboard focus, the organiser's messages and the plan must follow the event as it goes on."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.fixtures.live_server import LiveServer
from tests.web.test_browser_participant_live import LIVE_TIMEOUT_MS, connected_page, live_event

pytestmark = pytest.mark.browser


def test_keyboard_focus_stays_on_join_when_the_organiser_pauses(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    page = connected_page(browser, event, 0)
    join = page.locator("#join-link")
    join.focus()
    expect(join).to_be_focused()

    event.act("pause")
    expect(page.locator(".timer-line")).to_contain_text("Paused", timeout=LIVE_TIMEOUT_MS)
    # A keyboard user who was about to press Enter on "Join video room" still can.
    expect(join).to_be_focused()
    page.context.close()


def test_a_message_to_last_rounds_room_is_gone_in_the_next_round(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    page = connected_page(browser, event, 1)  # room 1 in round 1, room 2 in round 2
    event.act("broadcast", {"text": "Room 1: use meet.example/fixed instead", "room": 1})
    box = page.locator("#broadcast")
    expect(box).to_contain_text("meet.example/fixed", timeout=LIVE_TIMEOUT_MS)

    event.act("end-round")
    event.act("start-round")
    expect(page.locator("#round-title")).to_have_text("Round 2 of 2", timeout=LIVE_TIMEOUT_MS)
    # As after a reload: only this round's messages to this room or everyone are shown.
    expect(box).to_be_hidden()
    page.reload()
    expect(page.locator("#round-title")).to_have_text("Round 2 of 2")
    expect(box).to_be_hidden()
    page.context.close()


def test_plan_for_today_marks_the_rounds_done_and_the_current_one(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    page = connected_page(browser, event, 0)  # opened before the first round
    rounds = page.locator(".plan-list li")
    expect(rounds.nth(0)).not_to_have_attribute("aria-current", "step")

    event.act("start-round")
    expect(page.locator("#round-title")).to_have_text("Round 1 of 2", timeout=LIVE_TIMEOUT_MS)
    expect(rounds.nth(0)).to_have_attribute("aria-current", "step")
    event.act("end-round")
    event.act("start-round")
    expect(page.locator("#round-title")).to_have_text("Round 2 of 2", timeout=LIVE_TIMEOUT_MS)
    # What a reload would show: round 1 done, round 2 the current step.
    expect(rounds.nth(0)).to_contain_text("done", use_inner_text=True)
    expect(rounds.nth(0)).not_to_have_attribute("aria-current", "step")
    expect(rounds.nth(1)).to_have_attribute("aria-current", "step")
    expect(rounds.nth(1)).not_to_contain_text("done", use_inner_text=True)
    page.context.close()
