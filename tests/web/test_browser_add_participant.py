"""An organiser adds one participant by hand below a long list. When the form is refused, the
page must say so where they are looking, not only at the bottom of a reloaded page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session

from app.db import make_engine
from tests.factories import make_event, make_organiser, make_participants
from tests.fixtures.live_server import LiveServer
from tests.web.browser import submit_sign_in

pytestmark = pytest.mark.browser


def test_a_refused_participant_is_reported_in_view_with_links_to_the_fields(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        organiser = make_organiser(db)
        event = make_event(db, organiser, name="Inclusion contact seminar")
        people = make_participants(db, event, 40)
    engine.dispose()
    page = browser.new_context(
        base_url=live_server.base_url, locale="en-GB", viewport={"width": 1200, "height": 800}
    ).new_page()
    page.goto(f"/organiser/events/{event.id}/participants")
    submit_sign_in(page, organiser.email)

    add = page.locator("section", has=page.get_by_role("heading", name="Add one participant"))
    add.get_by_role("textbox", name="Name", exact=True).fill("Søren O'Neil")
    add.get_by_role("textbox", name="E-mail address", exact=True).fill(people[0].email)
    add.get_by_role("textbox", name="School or organisation", exact=True).fill("Skole Syd")
    add.get_by_role("button", name="Add participant").click()

    summary = page.get_by_role("alert").filter(has_text="Please correct these fields")
    expect(summary).to_be_in_viewport()
    summary.get_by_role("link", name="Enter a two-letter country code, e.g. NL, BE or DE.").click()
    expect(page.locator("#f-country")).to_be_focused()
    expect(add.get_by_role("textbox", name="Name", exact=True)).to_have_value("Søren O'Neil")

    # A refusal by the service (the e-mail is taken) is in view too, and links nowhere false.
    add.get_by_role("textbox", name="Country", exact=True).fill("DK")
    add.get_by_role("combobox", name="Kind of school").select_option("primary")
    add.get_by_role("textbox", name="Languages they can hold a conversation in").fill("da, en")
    add.get_by_role("button", name="Add participant").click()
    summary = page.get_by_role("alert").filter(has_text="Please correct these fields")
    expect(summary).to_contain_text(f"{people[0].email} is already registered")
    expect(summary).to_be_in_viewport()
    expect(summary.locator('a[href="#f-form"]')).to_have_count(0)
    page.context.close()
