"""After a re-plan at a round start (someone did not come), the open page's room card says why
in the reader's language at once, as a reload does: the state carries the facts the planner's
English text tells, and the page words them (it used to show the new English text until a
reload, having words only for the texts stored when it loaded)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session

from app.db import make_engine
from app.models import AttendanceStatus
from tests.factories import make_api_token
from tests.fixtures.live_server import LiveServer
from tests.web.test_browser_participant_live import LIVE_TIMEOUT_MS, LiveEvent, connected_page
from tests.web.test_room_card_why_in_reader_language import explained_event

pytestmark = pytest.mark.browser


def test_a_room_replanned_at_the_start_says_why_in_dutch_without_a_reload(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        seated = explained_event(db)
        me, planned_mate = seated.people[:2]
        for person in seated.people:
            person.attendance = AttendanceStatus.PRESENT
            db.add(person)
        # My planned room-mate never opened their page: the start re-plans my room.
        planned_mate.attendance = AttendanceStatus.EXPECTED
        db.add(planned_mate)
        db.commit()
        event = LiveEvent(live_server, seated, make_api_token(db, seated.organiser))
    engine.dispose()
    page = connected_page(browser, event, 0, locale="nl-NL")

    event.act("start-round")
    card = page.locator("#room-card")
    expect(card).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(card).not_to_contain_text(planned_mate.name)
    live = page.locator("#room-card .why span").inner_text()

    page.reload()
    expect(page.locator("#room-card .why span")).to_have_text(live)
    config = json.loads(page.locator("#sm-live").inner_text())
    english = config["state"]["why"]
    assert english
    assert live != english  # in Dutch, not the planner's English
    page.context.close()
