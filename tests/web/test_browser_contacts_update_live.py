""" "My contacts" on an open participant page shows someone as soon as the exchange completes
(the other person also said yes), without a reload or the refresh button."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.fixtures.live_server import LiveServer
from tests.web.test_browser_participant_live import LIVE_TIMEOUT_MS, connected_page, live_event

pytestmark = pytest.mark.browser


def test_my_contacts_shows_the_other_person_once_they_also_say_yes(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)  # people 0 and 1 share room 1 in round 1
    event.act("start-round")
    me, mate = event.seated.people[0], event.seated.people[1]
    page = connected_page(browser, event, 0)
    contacts = page.locator("#contacts-area")

    def decide(who: str, about: str) -> None:
        saved = httpx.put(
            f"{live_server.base_url}/api/v1/me/decisions/{about}",
            params={"token": event.seated.tokens[who]},
            json={"share": True},
            timeout=30,
        )
        assert saved.status_code == 200, saved.text

    decide(me.id, mate.id)  # from another device: mutual consent, so nobody yet
    expect(contacts.locator(f"[data-contact='{mate.id}']")).to_have_count(0)
    decide(mate.id, me.id)
    expect(contacts.locator(f"[data-contact='{mate.id}']")).to_contain_text(
        mate.name, timeout=LIVE_TIMEOUT_MS
    )
    page.context.close()
