"""The participant's "Plan for today" kept current by participant-plan.js while the page stays
open: rounds to come follow a round that started early, rounds an early finish left out say
"not played", and an extension that is not whole minutes shows its seconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import Browser, Locator, expect
from sqlmodel import Session

from app.db import make_engine
from app.models import Event
from tests.fixtures.live_server import LiveServer
from tests.web.test_browser_participant_live import (
    LIVE_TIMEOUT_MS,
    LiveEvent,
    connected_page,
    live_event,
)

pytestmark = pytest.mark.browser


def planned_for_tomorrow(event: LiveEvent) -> datetime:
    """The event's planned start, moved to tomorrow: starting now is starting early."""
    engine = make_engine(event.server.database_url)
    with Session(engine) as db:
        row = db.get(Event, event.seated.event.id)
        assert row is not None
        row.starts_at = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=1)
        db.add(row)
        db.commit()
        planned = row.starts_at.replace(tzinfo=UTC)
    engine.dispose()
    return planned


def round_one_extended(browser: Browser, server: LiveServer, seconds: int) -> Locator:
    """Round 1's length in a participant's plan (8 minutes once started), then extended by
    `seconds`."""
    event = live_event(server)
    event.act("start-round")
    page = connected_page(browser, event, 0)
    length = page.locator('.plan-list li[data-round="1"] [data-minutes]')
    expect(length).to_have_text("8 minutes")
    event.act("extend", {"seconds": seconds})
    return length


def test_rounds_to_come_follow_a_round_started_early(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    planned = planned_for_tomorrow(event)
    page = connected_page(browser, event, 0)  # open before the round starts
    event.act("start-round")
    expect(page.locator("#round-title")).to_have_text("Round 1 of 2", timeout=LIVE_TIMEOUT_MS)
    # The plan is updated with the round card (participant.js render): no waiting needed.
    second = page.locator('.plan-list li[data-round="2"] time')
    at = datetime.fromisoformat((second.get_attribute("datetime") or "").replace("Z", "+00:00"))
    assert at < planned  # today, after round 1, not tomorrow's planned clock
    page.context.close()


def test_rounds_an_early_finish_left_out_say_not_played(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    page = connected_page(browser, event, 0)
    second = page.locator('.plan-list li[data-round="2"]')
    expect(second.locator("[data-not-played]")).to_be_hidden()
    response = httpx.post(
        f"{live_server.base_url}/api/v1/events/{event.seated.event.id}/phase",
        json={"phase": "finished"},
        headers={"Authorization": f"Bearer {event.api_token}"},
        timeout=60,
    )
    response.raise_for_status()
    expect(second.locator("[data-not-played]")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(second.locator("[data-when]")).to_be_hidden()
    expect(second).to_contain_text("not played")
    page.context.close()


def test_an_extension_of_half_a_minute_shows_its_seconds(
    browser: Browser, live_server: LiveServer
) -> None:
    length = round_one_extended(browser, live_server, 30)
    expect(length).to_have_text("8 min 30 s", timeout=LIVE_TIMEOUT_MS)
    length.page.context.close()
