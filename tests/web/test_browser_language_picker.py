"""Switching language keeps the page's own query: an organiser sent to sign in on the way to a
page, who switches to Dutch first, still lands on that page after signing in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session

from app.db import make_engine
from tests.factories import make_event, make_organiser
from tests.fixtures.live_server import LiveServer
from tests.web.browser import submit_sign_in

pytestmark = pytest.mark.browser


def pick_language(page: Page, name: str) -> None:
    page.locator("#lang-select").select_option(label=name)
    page.locator("form.lang-picker button[type=submit]").click()


def test_switching_language_on_the_sign_in_page_keeps_where_the_organiser_was_going(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        organiser = make_organiser(db)
        event = make_event(db, organiser, name="Inclusion contact seminar")
    engine.dispose()
    page = browser.new_context(base_url=live_server.base_url, locale="en-GB").new_page()
    page.goto(f"/organiser/events/{event.id}/participants")  # not signed in: sent to sign in
    expect(page).to_have_url(re.compile(r"/organiser/sign-in\?next="))

    pick_language(page, "Nederlands")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    pick_language(page, "Deutsch")  # a second switch replaces the language, keeps the rest
    expect(page.locator("html")).to_have_attribute("lang", "de")
    submit_sign_in(page, organiser.email)

    expect(page).to_have_url(re.compile(rf"/organiser/events/{event.id}/participants$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("main")).to_contain_text("Inclusion contact seminar")
    page.context.close()
