"""The organiser's participant list refreshes itself while registration is open. Once the
organiser is signed out (here or in another tab) it must say so, not pour the sign-in page
into the list."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session

from app.db import make_engine
from tests.factories import make_event, make_organiser, make_participants
from tests.fixtures.live_server import LiveServer
from tests.web.browser import submit_sign_in

pytestmark = pytest.mark.browser

POLL_MS = 15_000  # registrations.js asks for the list this often


def test_signed_out_organiser_is_told_and_the_list_stays(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        organiser = make_organiser(db)
        event = make_event(db, organiser, name="Inclusion contact seminar")
        people = make_participants(db, event, 3)
    engine.dispose()
    context = browser.new_context(base_url=live_server.base_url, locale="en-GB")
    page = context.new_page()
    page.clock.install()
    page.goto(f"/organiser/events/{event.id}/participants")  # sent to sign in, then back
    submit_sign_in(page, organiser.email)
    expect(page.locator("#people-list")).to_contain_text(people[0].name)

    # Signed out elsewhere (another tab): the session cookie is gone.
    signed_out = context.request.post(
        "/organiser/sign-out", headers={"Origin": live_server.base_url}, max_redirects=0
    )
    assert signed_out.status == 303
    page.clock.run_for(POLL_MS + 500)

    expect(page.get_by_role("alert")).to_contain_text("You were signed out")
    expect(page.get_by_role("alert").get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.locator("#people-list")).to_contain_text(people[0].name)
    expect(page.locator("#people-list #email")).to_have_count(0)
    expect(page.get_by_role("heading", name="Sign in as organiser")).to_have_count(0)
    context.close()
