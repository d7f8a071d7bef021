"""An open participant page adds a round's room-mates to "People you met" when the round starts,
as a reload shows them then (docs/contacts.md: a meeting counts once its round has started);
before, the open page showed them only after the round ended, or after a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.fixtures.live_server import LiveServer
from tests.web.conftest import seat_live_event
from tests.web.test_browser_live_controls import signed_in_live_page

pytestmark = pytest.mark.browser

LIVE_TIMEOUT_MS = 10_000  # generous for a busy machine; not a timing assertion


def met_forms(page: Page) -> list[str]:
    ids: list[str] = page.locator("#met-area form").evaluate_all("forms => forms.map(f => f.id)")
    return ids


def test_the_open_page_lists_new_room_mates_when_the_round_starts(
    browser: Browser, live_server: LiveServer
) -> None:
    seated = seat_live_event(live_server, 4, present=True)
    me, first_mate, second_mate = seated.people[0], seated.people[1], seated.people[2]
    token = seated.tokens[me.id]
    organiser = signed_in_live_page(browser, live_server, seated.organiser.email, seated.event.id)
    context = browser.new_context(base_url=live_server.base_url, locale="en-GB")
    page = context.new_page()
    page.goto(f"/p/{token}")
    expect(page.locator("#conn")).to_have_attribute("data-state", "connected")
    assert met_forms(page) == []

    organiser.get_by_role("button", name="Start next round", exact=True).click()
    expect(page.locator(f"#met-{first_mate.id}")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    reloaded = context.new_page()
    reloaded.goto(f"/p/{token}")
    assert met_forms(page) == met_forms(reloaded) == [f"met-{first_mate.id}"]
    reloaded.close()

    organiser.get_by_role("button", name="End round", exact=True).click()
    expect(organiser.locator("#org-round-title")).to_have_text(
        "Round 1 of 2 — ended", timeout=LIVE_TIMEOUT_MS
    )
    organiser.get_by_role("button", name="Start next round", exact=True).click()
    expect(page.locator(f"#met-{second_mate.id}")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    assert met_forms(page) == [f"met-{first_mate.id}", f"met-{second_mate.id}"]
    context.close()
    organiser.context.close()
