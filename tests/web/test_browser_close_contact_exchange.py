"""Closing and reopening the contact exchange in the browser, from the event page through its
confirmation, with axe-core on each page (until then only the API could close it)."""

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

pytestmark = pytest.mark.browser


def test_an_organiser_closes_and_reopens_the_contact_exchange(
    browser: Browser, live_server: LiveServer
) -> None:
    seated = seat_live_event(live_server, 4, started_rounds=1)
    engine = make_engine(live_server.database_url)
    with Session(engine) as db:
        event = db.get(Event, seated.event.id)
        assert event is not None
        event.phase = EventPhase.FINISHED
        event.finished_at = utcnow()
        db.add(event)
        db.commit()
    engine.dispose()
    # bypass_csp: axe-core is injected inline; the page allows only same-origin scripts.
    page = browser.new_context(base_url=live_server.base_url, bypass_csp=True).new_page()
    page.goto("/organiser/sign-in")
    page.get_by_label("E-mail address").fill(seated.organiser.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My events")).to_be_visible()

    page.goto(f"/organiser/events/{seated.event.id}")
    section = page.locator("#contact-exchange")
    expect(section.get_by_role("heading", name="Contact exchange")).to_be_visible()
    assert serious_violations(page) == []
    section.get_by_role("button", name="Close the contact exchange").click()

    expect(page.get_by_role("heading", name="Close the contact exchange?")).to_be_visible()
    expect(page.locator("#close-effects")).to_contain_text("can still see and download them")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Yes, close the contact exchange").click()

    expect(page.locator("#exchange-notice")).to_have_text(
        "The contact exchange is closed: participants can no longer change their answers."
    )
    reopen = section.get_by_role("button", name="Reopen the contact exchange")
    expect(reopen).to_be_visible()
    assert serious_violations(page) == []
    reopen.click()

    expect(page.locator("#exchange-notice")).to_have_text(
        "The contact exchange is open again: participants can change their answers."
    )
    expect(section.get_by_role("button", name="Close the contact exchange")).to_be_visible()
    page.context.close()
