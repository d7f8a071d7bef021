"""In a real browser: reloading "My account" after "Create a token" shows the plain page; it
neither sends the form again (a second token) nor shows the token's value again."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session, select

from app.db import make_engine
from app.models import ApiToken
from tests.factories import make_organiser
from tests.fixtures.live_server import LiveServer
from tests.web.browser import submit_sign_in

pytestmark = pytest.mark.browser


def test_reloading_after_create_a_token_creates_no_second_token(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        make_organiser(db, email="ines@agency.example", name="Inês")
    ctx = browser.new_context(base_url=live_server.base_url)
    page = ctx.new_page()
    page.goto("/organiser/sign-in")
    submit_sign_in(page, "ines@agency.example")
    page.goto("/organiser/account")

    page.get_by_label("Token name").fill("Registration sync")
    page.get_by_role("button", name="Create a token").click()
    expect(page.locator("#new-token")).to_be_visible()
    page.reload()

    listed = page.locator("table tbody tr", has_text="Registration sync")
    expect(listed).to_have_count(1)
    expect(page.locator("#new-token")).to_have_count(0)
    with Session(engine) as db:
        assert len(db.exec(select(ApiToken)).all()) == 1
    ctx.close()
    engine.dispose()
