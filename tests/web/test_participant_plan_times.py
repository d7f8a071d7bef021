"""The participant's "Plan for today" when the organiser runs late: the rounds still to come are
never listed as starting before the round that is running now."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, expect
from sqlmodel import Session, select

from app.db import make_engine
from app.models import Event, Round, RoundStatus
from tests.fixtures.live_server import LiveServer
from tests.web.conftest import seat_event
from tests.web.test_browser_participant_live import LIVE_TIMEOUT_MS, connected_page, live_event


def plan_starts(html: str) -> list[datetime]:
    plan = html.split('class="plan-list"', 1)[1].split("</ol>", 1)[0]
    return [
        datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")
        for iso in re.findall(r'<time datetime="([^"]+)"', plan)
    ]


def test_rounds_to_come_move_later_when_the_first_started_late(
    web: TestClient, db: Session
) -> None:
    seated = seat_event(db)
    event = seated.event
    late = event.starts_at + timedelta(minutes=25)  # the welcome talk ran over
    first = db.exec(select(Round).where(Round.event_id == event.id, Round.number == 1)).one()
    first.status = RoundStatus.RUNNING
    first.starts_at = late
    first.ends_at = late + timedelta(seconds=event.round_seconds)
    event.current_round = 1
    db.add_all([first, event])
    db.commit()

    page = web.get(f"/p/{seated.tokens[seated.people[0].id]}")
    starts = plan_starts(page.text)
    assert starts[0] == late.replace(microsecond=0)
    # Round 2 follows round 1 and its break, not the time it had before round 1 was late.
    assert starts[1] == (first.ends_at + timedelta(seconds=event.break_seconds)).replace(
        microsecond=0
    )


@pytest.mark.browser
def test_a_page_open_before_a_late_start_moves_the_rounds_to_come(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    engine = make_engine(live_server.database_url)
    with Session(engine) as db:  # the welcome talk ran half an hour over
        row = db.get(Event, event.seated.event.id)
        assert row is not None
        row.starts_at = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=30)
        db.add(row)
        db.commit()
        round_s = row.round_seconds
    engine.dispose()
    page = connected_page(browser, event, 0)

    event.act("start-round")
    expect(page.locator("#round-title")).to_have_text("Round 1 of 2", timeout=LIVE_TIMEOUT_MS)
    times = page.locator(".plan-list time")
    first, second = (
        datetime.fromisoformat(times.nth(i).get_attribute("datetime") or "") for i in (0, 1)
    )
    assert second >= first + timedelta(seconds=round_s)
    page.context.close()
