"""The organiser's live page tells the truth about the rounds to come.

Before round 1 nobody sits out yet (the move list used to say so of everyone), and in the break
before the last round that round is still next (the box used to say "No further rounds.").
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session, col, delete, select

from app.db import make_engine
from app.models import Room, RoomMember, Round
from tests.fixtures.live_server import LiveServer
from tests.web.conftest import seat_event
from tests.web.test_browser_live_controls import signed_in_live_page

pytestmark = pytest.mark.browser

LIVE_TIMEOUT_MS = 20_000  # generous for a busy machine; not a timing assertion


def test_before_round_1_the_move_list_says_nobody_sits_out(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        seated = seat_event(db, n=4, present=True)
    engine.dispose()
    page = signed_in_live_page(browser, live_server, seated.organiser.email, seated.event.id)
    options = page.locator("#move-person option")
    expect(options).to_have_count(5)  # "Choose a person" and the four participants
    assert not [text for text in options.all_inner_texts() if "sitting out" in text]
    page.context.close()


def test_in_the_break_before_the_last_round_it_is_shown_as_next(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        seated = seat_event(db, n=4, present=True)  # two rounds
        # Four people meet all three others in three rounds: a fourth round has no rooms, and
        # everyone sits it out. Here the last (second) round is such a round.
        last = db.exec(
            select(Round).where(Round.event_id == seated.event.id, Round.number == 2)
        ).one()
        for room in db.exec(select(Room).where(Room.round_id == last.id)):
            db.exec(delete(RoomMember).where(col(RoomMember.room_id) == room.id))
            db.delete(room)
        last.sitting_out = [p.id for p in seated.people]
        db.add(last)
        db.commit()
    engine.dispose()
    page = signed_in_live_page(browser, live_server, seated.organiser.email, seated.event.id)
    page.get_by_role("button", name="Start next round").click()
    expect(page.locator("#org-round-title")).to_contain_text("running", timeout=LIVE_TIMEOUT_MS)
    page.get_by_role("button", name="End round").click()
    expect(page.locator("#org-round-title")).to_contain_text("ended", timeout=LIVE_TIMEOUT_MS)
    next_area = page.locator("#next-area")
    expect(next_area.get_by_role("heading", name="Next: round 2")).to_be_visible(
        timeout=LIVE_TIMEOUT_MS
    )
    expect(next_area).to_contain_text("No rooms in this round: everyone sits it out.")
    expect(next_area).not_to_contain_text("No further rounds.")
    page.context.close()
