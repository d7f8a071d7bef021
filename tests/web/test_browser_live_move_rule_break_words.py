"""After a live move that breaks a rule, the organiser's live page says which, in the page's
words: people by name, not the planner's English with participant ids."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session

from app.db import make_engine
from app.models import Participant
from tests.fixtures.live_server import LiveServer
from tests.web.conftest import seat_live_event
from tests.web.test_browser_organiser_refusals import signed_in

pytestmark = pytest.mark.browser


def test_a_move_that_seats_two_from_one_school_names_them(
    browser: Browser, live_server: LiveServer
) -> None:
    seated = seat_live_event(live_server, 6, present=True)
    mover, host = seated.people[0], seated.people[2]  # rooms 1 and 2 of round 1
    engine = make_engine(live_server.database_url)
    with Session(engine) as db:
        moving = db.get(Participant, mover.id)
        assert moving is not None
        moving.school = host.school  # corrected: they turn out to work at one school
        db.add(moving)
        db.commit()
    engine.dispose()
    page = signed_in(browser, live_server, seated.organiser.email)
    page.goto(f"/organiser/events/{seated.event.id}/live")
    page.locator('[data-action="start-round"]').click()
    who = page.get_by_label("Who", exact=True)
    expect(who.locator(f'option[value="{mover.id}"]')).to_have_count(1)
    who.select_option(value=mover.id)
    page.get_by_label("To room", exact=True).select_option(value="2")
    page.get_by_role("button", name="Move", exact=True).click()
    status = page.locator("#org-action-status")
    pair = f"({re.escape(mover.name)} and {re.escape(host.name)}|"
    pair += f"{re.escape(host.name)} and {re.escape(mover.name)})"
    expect(status).to_contain_text(re.compile(rf"round 1, room 2: {pair} are from the same school"))
    expect(status).not_to_contain_text(mover.id)
    page.context.close()
