"""The live page of a finished event offers no attendance, move or message controls, and says
why: before, "Mark absent" was enabled and answered "Marked absent.", and Move and Send stayed
on screen, the next round's rooms too."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session

from app.db import make_engine
from app.models import Event, EventPhase, utcnow
from tests.factories import PASSWORD
from tests.fixtures.live_server import LiveServer
from tests.web.browser import serious_violations
from tests.web.conftest import seat_live_event
from tests.web.test_browser_live_controls import LIVE_TIMEOUT_MS

pytestmark = pytest.mark.browser


def finish_after_round_one(server: LiveServer) -> tuple[str, str]:
    """An event of two rounds finished early, after round 1: (organiser e-mail, event id)."""
    seated = seat_live_event(server, 4, started_rounds=1, present=True)
    engine = make_engine(server.database_url)
    with Session(engine) as db:
        event = db.get(Event, seated.event.id)
        assert event is not None
        event.phase = EventPhase.FINISHED
        event.finished_at = utcnow()
        db.add(event)
        db.commit()
    engine.dispose()
    return seated.organiser.email, seated.event.id


def test_a_finished_events_live_page_offers_no_changes(
    browser: Browser, live_server: LiveServer
) -> None:
    email, event_id = finish_after_round_one(live_server)
    # bypass_csp: axe-core is injected inline; the page allows only same-origin scripts.
    page = browser.new_context(base_url=live_server.base_url, bypass_csp=True).new_page()
    page.goto("/organiser/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My events")).to_be_visible()
    page.goto(f"/organiser/events/{event_id}/live")
    expect(page.locator("#conn")).to_have_attribute("data-state", "connected")

    expect(page.locator("#finished-live")).to_contain_text(
        "The event has finished: attendance, rooms and messages can no longer change."
    )
    # What the organiser needs after the end is one click away.
    expect(page.locator("#finished-live a")).to_have_attribute(
        "href", f"/organiser/events/{event_id}#exports"
    )
    absent = page.get_by_role("button", name="Mark absent", exact=False)
    expect(absent).to_have_count(4, timeout=LIVE_TIMEOUT_MS)  # round 1's people, as they were
    for button in absent.all():
        expect(button).to_be_disabled()
    expect(page.get_by_role("heading", name="Move someone to another room")).to_be_hidden()
    expect(page.get_by_role("button", name="Move")).to_be_hidden()
    expect(page.get_by_role("button", name="Send")).to_be_hidden()
    expect(page.get_by_role("button", name="Start next round")).to_be_disabled()
    # Round 2 was never played and never will be: its rooms are not "next".
    expect(page.locator("#next-area")).to_contain_text("No further rounds.")
    expect(page.locator("[data-next-round]")).to_have_count(0)
    assert serious_violations(page) == []
    page.context.close()
