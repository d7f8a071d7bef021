"""In Chromium, "Generate again" over a swap made by hand: the page names the seats it would
replace, the button does nothing until the tick box is ticked (by keyboard here), and the notice
then says the seats set by hand were replaced."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session

from app.db import make_engine
from app.schedule import edit as schedule_edit
from app.schedule import service as schedule_service
from app.schedule import store
from app.settings import get_settings
from tests.factories import make_event, make_organiser, make_participants
from tests.fixtures.live_server import LiveServer
from tests.web.browser import serious_violations, submit_sign_in

pytestmark = pytest.mark.browser


def test_generate_again_waits_for_the_tick_and_then_says_what_it_replaced(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        organiser = make_organiser(db, email="org@agency.example")
        event = make_event(db, organiser, rounds=2, name="Partner day")
        make_participants(db, event, 6)
        settings = get_settings()
        schedule_service.generate_schedule(db, event=event, settings=settings, actor="test")
        plan = store.current_plan(db, event_id=event.id)
        assert plan is not None
        rooms = plan.rounds[1].rooms
        a, b = rooms[0].participants[0], rooms[1].participants[0]
        schedule_edit.swap(
            db, event=event, number=2, a=a, b=b, force=True, settings=settings, actor="test"
        )
    engine.dispose()

    context = browser.new_context(base_url=live_server.base_url, locale="en-GB", bypass_csp=True)
    page = context.new_page()
    page.goto(f"/organiser/events/{event.id}/schedule")
    submit_sign_in(page, "org@agency.example")
    note = page.locator("#hand-set-note")
    expect(note).to_contain_text("replaces these 2 seats set by hand with a new plan:")
    assert serious_violations(page) == []

    page.get_by_role("button", name="Generate again").click()  # not ticked: nothing is sent
    tick = page.get_by_role("checkbox", name="Replace the seats set by hand")
    assert tick.evaluate("box => box.validity.valueMissing")
    expect(note).to_be_visible()

    tick.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Generate again")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_have_text(
        "The schedule is ready. The new plan replaced 2 seats set by hand."
    )
    expect(note).to_have_count(0)
