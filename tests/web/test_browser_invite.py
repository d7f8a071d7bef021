"""A colleague opens an invite link in a real browser: a page with one button, which signs in."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session

from app.db import make_engine
from app.organisers import service as organiser_service
from tests.fixtures.live_server import LiveServer
from tests.web.browser import serious_violations

pytestmark = pytest.mark.browser


def test_the_invite_page_signs_in_with_its_button_and_passes_axe(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        colleague = organiser_service.create_organiser(db, email="mia@agency.example", name="Mia")
        token = organiser_service.issue_invite(db, organiser=colleague)
    engine.dispose()
    # bypass_csp: axe-core is injected inline, which the page's CSP forbids.
    page = browser.new_context(base_url=live_server.base_url, bypass_csp=True).new_page()
    page.goto(f"/organiser/invite/{token}")
    expect(page.get_by_role("heading", name="Sign in as organiser")).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_role("button", name="Sign in").click()  # the browser's own same-origin post
    expect(page.get_by_role("heading", name="My events")).to_be_visible()
    page.goto(f"/organiser/invite/{token}")  # opened again: used up, and it says so
    expect(page.get_by_text("not valid or was already used")).to_be_visible()
    assert serious_violations(page) == []
    page.context.close()
