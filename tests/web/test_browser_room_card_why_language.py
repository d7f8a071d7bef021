"""participant.js words the room card's why in the page's language, as the server-rendered card
does: the socket sends the planner's English text, the page looks its own words up."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session

from app.db import make_engine
from app.models import AttendanceStatus
from app.web import i18n
from app.web.why import MOVED
from tests.factories import make_api_token
from tests.fixtures.live_server import LiveServer
from tests.web.test_browser_participant_live import LIVE_TIMEOUT_MS, LiveEvent, connected_page
from tests.web.test_room_card_why_in_reader_language import explained_event

pytestmark = pytest.mark.browser


def test_the_live_card_says_why_in_dutch_as_the_reloaded_page_does(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        seated = explained_event(db)
        for person in seated.people:
            person.attendance = AttendanceStatus.PRESENT  # the round starts from the stored plan
            db.add(person)
        db.commit()
        event = LiveEvent(live_server, seated, make_api_token(db, seated.organiser))
    engine.dispose()
    page = connected_page(browser, event, 0, locale="nl-NL")

    event.act("start-round")  # the card now comes from the socket's assignment
    why = page.locator("#room-card .why span")
    expect(why).to_contain_text("Duitsland", timeout=LIVE_TIMEOUT_MS)
    live = why.inner_text()
    page.reload()
    expect(page.locator("#room-card .why span")).to_have_text(live)
    with httpx.Client(base_url=live_server.base_url) as client:  # the page without JavaScript
        html = client.get(event.link(0) + "?lang=nl").text
    assert f"<span>{live}</span>" in html

    event.act("move", {"participant_id": seated.people[0].id, "room": 2})
    # Moved: the why of the room joined, in Dutch, as a reload words it.
    expect(page.locator("#room-card")).to_contain_text(
        seated.people[2].name, timeout=LIVE_TIMEOUT_MS
    )
    moved = why.inner_text()
    assert moved not in (live, i18n.translations("nl").gettext(MOVED))
    page.reload()
    expect(page.locator("#room-card .why span")).to_have_text(moved)
    page.context.close()
