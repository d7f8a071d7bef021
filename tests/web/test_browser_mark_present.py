"""The organiser's live page undoes "Mark absent" with "Mark present", also for someone a round
start already took out of the rooms on screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session

from app.db import make_engine
from tests.fixtures.live_server import LiveServer
from tests.live.helpers import attendance_of
from tests.web.conftest import seat_event
from tests.web.test_browser_live_controls import signed_in_live_page

pytestmark = pytest.mark.browser

LIVE_TIMEOUT_MS = 10_000  # generous for a busy machine; not a timing assertion


def test_someone_marked_absent_is_marked_present_again_from_the_absent_list(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        seated = seat_event(db, n=4, present=True)
    engine.dispose()
    leaving = seated.people[0]
    page = signed_in_live_page(browser, live_server, seated.organiser.email, seated.event.id)
    absent_list = page.locator("#absent-area")
    expect(absent_list).to_be_hidden()

    page.get_by_role("button", name="Start next round").click()
    expect(page.locator("#org-round-title")).to_contain_text("running", timeout=LIVE_TIMEOUT_MS)
    rooms = page.locator("#org-rooms")
    rooms.get_by_role("button", name=f"Mark absent: {leaving.name}").click()
    expect(page.locator("#org-action-status")).to_have_text(
        "Marked absent. The remaining rounds are planned without them."
    )
    # Next to where "Mark absent" was, and in the list of absent people.
    expect(rooms.get_by_role("button", name=f"Mark present: {leaving.name}")).to_be_visible()
    expect(absent_list).to_be_visible()

    page.get_by_role("button", name="End round").click()
    expect(page.locator("#org-round-title")).to_contain_text("ended", timeout=LIVE_TIMEOUT_MS)
    page.get_by_role("button", name="Start next round").click()
    expect(page.locator("#org-round-title")).to_contain_text(
        "Round 2 of 2 — running", timeout=LIVE_TIMEOUT_MS
    )
    expect(rooms).not_to_contain_text(leaving.name)  # re-planned without them

    absent_list.get_by_role("button", name=f"Mark present: {leaving.name}").click()
    expect(page.locator("#org-action-status")).to_have_text(
        "Marked present. They take part again from the next round."
    )
    expect(absent_list).to_be_hidden(timeout=LIVE_TIMEOUT_MS)
    assert (
        attendance_of(live_server.database_url, leaving.id) == "late"
    )  # seated at the next round start
