"""Once the organiser closes the contact exchange, "People you met" shows the final answers and
no longer invites a change: before, the page took a typed note and a click on Save and answered
with an error page, the note lost."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.fixtures.live_server import LiveServer
from tests.web.test_browser_participant_live import LIVE_TIMEOUT_MS, connected_page, live_event

pytestmark = pytest.mark.browser


def test_a_closed_exchange_shows_final_answers_without_a_save_button(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    event.act("end-round")
    other = event.seated.people[1]
    page = connected_page(browser, event, 0)
    page.locator(f"#share-yes-{other.id}").check()
    page.locator(f"#note-{other.id}").fill("KA2 on inclusion")
    page.locator(f"#save-{other.id}").click()
    expect(page.locator(f"#met-{other.id}")).to_contain_text("Saved.", timeout=LIVE_TIMEOUT_MS)

    closed = httpx.put(
        f"{live_server.base_url}/api/v1/events/{event.seated.event.id}/export-closed",
        json={"closed": True},
        headers={"Authorization": f"Bearer {event.api_token}"},
        timeout=60,
    )
    assert closed.status_code == 200
    page.reload()

    form = page.locator(f"#met-{other.id}")
    expect(page.locator("#met-area")).to_contain_text("closed this event's contact exchange")
    expect(page.locator(f"#share-yes-{other.id}")).to_be_checked()
    expect(page.locator(f"#share-yes-{other.id}")).to_be_disabled()
    expect(page.locator(f"#share-no-{other.id}")).to_be_disabled()
    expect(page.locator(f"#met-yes-{other.id}")).to_be_disabled()
    expect(page.locator(f"#note-{other.id}")).to_have_value("KA2 on inclusion")
    expect(page.locator(f"#note-{other.id}")).not_to_be_editable()
    expect(form.locator("button[type=submit]")).to_have_count(0)
    page.context.close()
