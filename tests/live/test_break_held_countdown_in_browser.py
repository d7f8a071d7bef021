"""After the organiser held the break and resumed it, a participant's page (headless Chromium,
real uvicorn) counts down to when the next round really starts: the break plus the time held,
while the ended round keeps its real end."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from app.db import make_engine
from app.models import Event, EventPhase, Round, RoundStatus
from tests.fixtures.live_server import LiveServer
from tests.live.helpers import create_live_event
from tests.web.browser import chromium, require_browser

pytestmark = pytest.mark.browser

LIVE_TIMEOUT_MS = 10_000  # generous for a busy machine; not a timing assertion


def test_the_participant_counts_down_the_break_left_after_a_resume(running: LiveServer) -> None:
    require_browser()
    live = create_live_event(running.database_url, 4, rounds=2, break_seconds=600)
    now = datetime.now(UTC).replace(tzinfo=None)
    engine = make_engine(live.database_url)
    try:
        with Session(engine) as db:
            event = db.get(Event, live.event_id)
            assert event is not None
            event.auto_advance = True
            event.phase = EventPhase.LIVE
            event.current_round = 1
            db.add(event)
            first = db.exec(
                select(Round).where(Round.event_id == live.event_id, Round.number == 1)
            ).one()
            # Ended 9 minutes ago; its 10-minute break was held for 20 minutes, then resumed:
            # the next round starts in about 21 minutes, not in 1.
            first.status = RoundStatus.ENDED
            first.starts_at = now - timedelta(minutes=17)
            first.ends_at = now - timedelta(minutes=9)
            first.break_held_s = 20 * 60
            db.add(first)
            db.commit()
    finally:
        engine.dispose()

    with chromium() as browser:
        page = browser.new_context(base_url=running.base_url).new_page()
        page.goto(f"/p/{next(iter(live.tokens.values()))}")
        expect(page.locator("#conn")).to_have_attribute("data-state", "connected")
        expect(page.get_by_text("Next round starts in", exact=True)).to_be_visible(
            timeout=LIVE_TIMEOUT_MS
        )
        expect(page.locator("#countdown")).to_have_text(
            re.compile(r"^2[01]:\d\d$"), timeout=LIVE_TIMEOUT_MS
        )
