"""A teacher who has just registered keeps their personal link on screen: switching the page's
language or reloading it must not throw the link away (only its hash is stored)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session

from app.db import make_engine
from tests.factories import make_event, make_organiser
from tests.fixtures.live_server import LiveServer

pytestmark = pytest.mark.browser


def register(page: Page, slug: str) -> None:
    page.goto(f"/register/{slug}")
    for label, value in (
        ("Name", "Ana O'Brien-Silva 🌍"),
        ("E-mail address", "ana@escola.pt"),
        ("School or organisation", "Escola <Básica> nº 1"),
        ("Country", "PT"),
        ("Languages you can hold a conversation in", "pt, en"),
    ):
        page.get_by_role("textbox", name=label, exact=True).fill(value)
    page.get_by_label("Kind of school").select_option("primary")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("you are registered")


def test_switching_language_after_registering_keeps_the_personal_link(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        event = make_event(db, make_organiser(db), name="Buurklassen contact day")
    engine.dispose()
    page = browser.new_context(base_url=live_server.base_url, locale="en-GB").new_page()
    register(page, event.registration_slug)
    link = page.locator("#personal-link").inner_text()
    assert re.search(r"/p/[\w-]+$", link)

    page.locator("#lang-select").select_option(label="Português")
    page.locator("form.lang-picker button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "pt")
    expect(page.locator("#personal-link")).to_have_text(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ana O'Brien-Silva 🌍")

    # Reloading shows the same link again instead of registering a second time.
    page.reload()
    expect(page.locator("#personal-link")).to_have_text(link)
    expect(page.locator(".error-text")).to_have_count(0)
    page.context.close()
