"""New personal links are shown only once: switching language on that page opens the page in
the new language in a new tab, and the tab with the links keeps them (before, the switch
replaced the page and the links were gone for good)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session

from app.db import make_engine
from tests.factories import make_event, make_organiser, make_participants
from tests.fixtures.live_server import LiveServer
from tests.web.browser import submit_sign_in
from tests.web.test_browser_language_picker import pick_language

pytestmark = pytest.mark.browser


def test_switching_language_after_issuing_links_keeps_the_links(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        organiser = make_organiser(db)
        event = make_event(db, organiser, name="Inclusion contact seminar")
        make_participants(db, event, 2)
    engine.dispose()
    context = browser.new_context(base_url=live_server.base_url, locale="en-GB")
    page = context.new_page()
    page.goto(f"/organiser/sign-in?next=/organiser/events/{event.id}/links")
    submit_sign_in(page, organiser.email)
    page.get_by_role("button", name="Issue missing links", exact=True).click()
    links = page.locator("code.link")
    expect(links).to_have_count(2)
    shown = links.all_inner_texts()

    with context.expect_page() as opened:
        pick_language(page, "Deutsch")
    switched = opened.value
    switched.wait_for_load_state()

    expect(switched.locator("html")).to_have_attribute("lang", "de")
    expect(switched.locator("h1")).to_have_text("Persönliche Links")
    assert switched.url.endswith(f"/organiser/events/{event.id}/links?lang=de")
    # The first tab still shows the same links, ready to copy.
    expect(page.locator("code.link")).to_have_text(shown)
    context.close()
