"""Someone the organiser moves mid-round: "People you met" follows the room they are now in, so
they never answer about someone the server no longer counts as a room-mate."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.fixtures.live_server import LiveServer
from tests.web.test_browser_participant_live import LIVE_TIMEOUT_MS, connected_page, live_event

pytestmark = pytest.mark.browser


def test_moved_mid_round_the_decision_forms_follow_the_new_room(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    people = event.seated.people
    page = connected_page(browser, event, 0)  # room 1 with person 1
    expect(page.locator(f"#met-{people[1].id}")).to_be_visible()

    event.act("move", {"participant_id": people[0].id, "room": 2})  # now with 2 and 3
    expect(page.locator("#room-card")).to_contain_text(event.name(2), timeout=LIVE_TIMEOUT_MS)
    expect(page.locator(f"#met-{people[2].id}")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(page.locator(f"#met-{people[3].id}")).to_be_visible()
    expect(page.locator(f"#met-{people[1].id}")).to_have_count(0)

    # Saving about a new room-mate works and comes back to the page, not an error.
    page.locator(f"#share-yes-{people[2].id}").check()
    page.locator(f"#save-{people[2].id}").click()
    expect(page.locator(f"#met-{people[2].id}")).to_contain_text("Saved.")
    page.context.close()
