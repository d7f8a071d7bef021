"""Answering "share my contact details?" for several people met: saving one answer keeps the
others being filled in, so a later save never records "no" for a "yes" that was clicked."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.fixtures.live_server import LiveServer
from tests.web.test_browser_participant_live import LIVE_TIMEOUT_MS, connected_page, live_event

pytestmark = pytest.mark.browser


def test_saving_one_answer_keeps_the_others_being_filled_in(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    for _ in range(2):  # round 1 with person 1, round 2 with person 2
        event.act("start-round")
        event.act("end-round")
    first, second = event.seated.people[1], event.seated.people[2]
    page = connected_page(browser, event, 0)
    page.locator(f"#share-yes-{first.id}").check()
    page.locator(f"#note-{first.id}").fill("KA2 on inclusion")
    page.locator(f"#share-yes-{second.id}").check()

    page.locator(f"#save-{second.id}").click()
    expect(page.locator(f"#met-{second.id}")).to_contain_text("Saved.", timeout=LIVE_TIMEOUT_MS)
    # The answer about the first person, not saved yet, is still as it was filled in.
    expect(page.locator(f"#share-yes-{first.id}")).to_be_checked()
    expect(page.locator(f"#note-{first.id}")).to_have_value("KA2 on inclusion")

    page.locator(f"#save-{first.id}").click()
    expect(page.locator(f"#met-{first.id}")).to_contain_text("Saved.", timeout=LIVE_TIMEOUT_MS)
    # The keyboard stays on the button just pressed, not back at the top of a reloaded page.
    expect(page.locator(f"#save-{first.id}")).to_be_focused()
    meetings = httpx.get(
        f"{live_server.base_url}/api/v1/me/meetings",
        params={"token": event.seated.tokens[event.seated.people[0].id]},
        timeout=30,
    ).json()
    shared = {m["participant_id"]: m["decision"]["share"] for m in meetings}
    assert shared == {first.id: True, second.id: True}
    page.context.close()


def test_people_of_a_round_that_ended_while_answering_appear_once_saved(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    event.act("end-round")
    first, second = event.seated.people[1], event.seated.people[2]
    page = connected_page(browser, event, 0)
    page.locator(f"#note-{first.id}").fill("Job-shadowing in May")

    event.act("start-round")
    event.act("end-round")
    expect(page.locator("#round-title")).to_have_text(
        "The event has finished. Thank you!", timeout=LIVE_TIMEOUT_MS
    )
    # What is being typed is not replaced under the typist's hands...
    expect(page.locator(f"#note-{first.id}")).to_have_value("Job-shadowing in May")
    page.locator(f"#share-yes-{first.id}").check()  # a Save without a choice records nothing
    page.locator(f"#save-{first.id}").click()
    # ...and once it is saved, the people met in round 2 are there to answer about too.
    expect(page.locator(f"#met-{second.id}")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(page.locator(f"#note-{first.id}")).to_have_value("Job-shadowing in May")
    page.context.close()
