"""A walk-in's page left open: the round under way when they were added ends as "you were not
there", not "done", and the first round they are seated in ends as done."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.fixtures.live_server import LiveServer
from tests.web.test_browser_participant_live import LIVE_TIMEOUT_MS, live_event, open_page

pytestmark = pytest.mark.browser


def test_the_round_a_walk_in_missed_does_not_turn_done_on_their_open_page(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    api = f"{live_server.base_url}/api/v1/events/{event.seated.event.id}"
    headers = {"Authorization": f"Bearer {event.api_token}"}
    added = httpx.post(
        f"{api}/participants",
        headers=headers,
        json={
            "name": "Wanda Walk-in",
            "email": "wanda@walk-in.example",
            "school": "A school nobody else is from",
            "country": "IS",
            "sector": "secondary",
            "languages": ["en", "de", "fr", "es", "it", "nl", "pl", "pt"],
        },
        timeout=30,
    )
    assert added.status_code == 201, added.text
    link = httpx.post(f"{api}/participants/{added.json()['id']}/link", headers=headers, timeout=30)
    assert link.status_code == 200, link.text

    page = open_page(browser, live_server)
    page.goto(f"/p/{link.json()['token']}")
    expect(page.locator("#conn")).to_have_attribute("data-state", "connected")
    rounds = page.locator(".plan-list li")
    event.act("end-round")
    expect(rounds.nth(0)).to_contain_text(
        "you were not there", use_inner_text=True, timeout=LIVE_TIMEOUT_MS
    )
    expect(rounds.nth(0)).not_to_contain_text("done", use_inner_text=True)

    event.act("start-round")  # seated from this round on
    expect(page.locator("#round-title")).to_contain_text("Round 2", timeout=LIVE_TIMEOUT_MS)
    event.act("end-round")
    expect(rounds.nth(1)).to_contain_text("done", use_inner_text=True, timeout=LIVE_TIMEOUT_MS)
    expect(rounds.nth(1)).not_to_contain_text("not there", use_inner_text=True)
    expect(rounds.nth(0)).to_contain_text("you were not there", use_inner_text=True)
    page.context.close()
