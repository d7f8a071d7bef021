"""During an auto-advance break the organiser's countdown shows the time to the next round, as
the participants' pages do (it used to show "–:––" while they saw "Next round starts in 9:59")."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.fixtures.live_server import LiveServer
from tests.web.conftest import seat_live_event
from tests.web.test_browser_live_controls import signed_in_live_page

pytestmark = pytest.mark.browser

LIVE_TIMEOUT_MS = 10_000  # generous for a busy 2-core machine; not a timing assertion
# The break is 10 minutes: anything from 9:00 to 10:00 is the break's time, never "–:––".
IN_THE_BREAK = re.compile(r"^(10:00|9:[0-5]\d)$")


def test_the_organiser_sees_the_time_to_the_next_round_in_the_break(
    browser: Browser, live_server: LiveServer
) -> None:
    # A 10-minute break: nothing starts by itself during the test.
    seated = seat_live_event(live_server, 4, present=True, auto_advance=True, break_seconds=600)
    organiser = signed_in_live_page(browser, live_server, seated.organiser.email, seated.event.id)
    title = organiser.locator("#org-round-title")
    countdown = organiser.locator("#org-countdown")

    organiser.get_by_role("button", name="Start next round").click()
    expect(title).to_contain_text("running", timeout=LIVE_TIMEOUT_MS)
    organiser.get_by_role("button", name="End round").click()
    expect(title).to_contain_text("ended", timeout=LIVE_TIMEOUT_MS)
    expect(countdown).to_have_text(IN_THE_BREAK, timeout=LIVE_TIMEOUT_MS)

    organiser.reload()  # from the first `state` alone, as a page opened in the break
    expect(title).to_contain_text("ended", timeout=LIVE_TIMEOUT_MS)
    expect(countdown).to_have_text(IN_THE_BREAK, timeout=LIVE_TIMEOUT_MS)

    organiser.get_by_role("button", name="Hold the break").click()
    expect(title).to_contain_text("break on hold", timeout=LIVE_TIMEOUT_MS)
    expect(countdown).to_have_text(IN_THE_BREAK, timeout=LIVE_TIMEOUT_MS)
    organiser.get_by_role("button", name="Resume the break").click()
    expect(title).not_to_contain_text("on hold", timeout=LIVE_TIMEOUT_MS)
    expect(countdown).to_have_text(IN_THE_BREAK, timeout=LIVE_TIMEOUT_MS)
    organiser.context.close()
