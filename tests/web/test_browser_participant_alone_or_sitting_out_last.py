"""What a participant's live page says when they have nobody to meet.

Left alone by an organiser's move, the card used to say "You meet" nobody, with the reason
written for the room they had; sitting out the last round, it promised a next round.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session, select

from app.db import make_engine
from app.models import Round
from tests.factories import make_api_token
from tests.fixtures.live_server import LiveServer
from tests.web.conftest import seat_event
from tests.web.test_browser_participant_live import (
    LIVE_TIMEOUT_MS,
    LiveEvent,
    connected_page,
    live_event,
)

pytestmark = pytest.mark.browser

ALONE = "Nobody else is in your room this round."


def test_someone_a_move_left_alone_is_told_so_without_the_old_reason(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)  # round 1: 0+1, 2+3, 4+5
    event.act("start-round")
    page = connected_page(browser, event, 2)
    card = page.locator("#room-card")
    expect(card).to_contain_text(event.name(3), timeout=LIVE_TIMEOUT_MS)
    event.act("move", {"participant_id": event.seated.people[3].id, "room": 1})
    expect(card).to_contain_text(ALONE, timeout=LIVE_TIMEOUT_MS)
    expect(card).not_to_contain_text("You meet")
    expect(card).not_to_contain_text("both test")  # the reason written for the room with 3
    page.reload()  # the card as the server renders it
    expect(card).to_contain_text(ALONE, timeout=LIVE_TIMEOUT_MS)
    expect(card).not_to_contain_text("You meet")
    page.context.close()


def test_sitting_out_the_last_round_promises_no_next_round(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        # Five people in rooms of two over two rounds: 4 sits out round 1, 3 round 2 (the last).
        seated = seat_event(db, n=5, present=True)
        for row in db.exec(select(Round).where(Round.event_id == seated.event.id)):
            row.sitting_out = [seated.people[4 if row.number == 1 else 3].id]
            db.add(row)
        db.commit()
        token = make_api_token(db, seated.organiser)
    engine.dispose()
    event = LiveEvent(live_server, seated, token)
    page = connected_page(browser, event, 3)
    event.act("start-round")
    expect(page.locator("#room-card")).to_contain_text(event.name(2), timeout=LIVE_TIMEOUT_MS)
    event.act("end-round")
    event.act("start-round")
    area = page.locator("#round-area")
    expect(area).to_contain_text("You sit out this round, the last one.", timeout=LIVE_TIMEOUT_MS)
    expect(area).not_to_contain_text("next round")
    page.reload()  # as the server renders it
    expect(area).to_contain_text("You sit out this round, the last one.", timeout=LIVE_TIMEOUT_MS)
    page.context.close()
