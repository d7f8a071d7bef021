"""In a real browser with JavaScript off: a participant erases their own data from their page
after a confirmation page, and sees a final page saying the link no longer works."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session

from app.db import make_engine
from tests.fixtures.live_server import LiveServer
from tests.web.conftest import seat_event

pytestmark = pytest.mark.browser


def test_a_participant_erases_their_data_without_javascript(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        seated = seat_event(db)
    engine.dispose()
    me = seated.people[0]
    token = seated.tokens[me.id]
    context = browser.new_context(
        base_url=live_server.base_url, java_script_enabled=False, bypass_csp=True
    )
    page = context.new_page()
    page.goto(f"/p/{token}")
    section = page.get_by_role("region", name="My data")
    expect(section.get_by_role("link", name="Download my data (JSON)")).to_be_visible()
    section.get_by_role("link", name="Erase my data…").click()
    expect(page.get_by_role("heading", name="Erase my data")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", name="Dag van de partners")).to_be_visible()  # kept

    page.get_by_role("region", name="My data").get_by_role("link", name="Erase my data…").click()
    page.get_by_role("button", name="Erase my data").click()
    expect(page.get_by_role("heading", name="Your data is erased")).to_be_visible()
    page.goto(f"/p/{token}")
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    context.close()
