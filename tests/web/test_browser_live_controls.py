"""The organiser's live controls offer only what the server would accept right now."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session

from app.db import make_engine
from tests.factories import PASSWORD, make_event, make_organiser
from tests.fixtures.live_server import LiveServer
from tests.web.conftest import seat_event

pytestmark = pytest.mark.browser

LIVE_TIMEOUT_MS = 10_000  # generous for a busy 2-core machine; not a timing assertion


def signed_in_live_page(browser: Browser, server: LiveServer, email: str, event_id: str) -> Page:
    page = browser.new_context(base_url=server.base_url).new_page()
    page.goto("/organiser/sign-in")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My events")).to_be_visible()
    page.goto(f"/organiser/events/{event_id}/live")
    expect(page.locator("#conn")).to_have_attribute("data-state", "connected")
    return page


def broadcast_targets(page: Page) -> list[str]:
    return page.locator("#broadcast-room option").all_inner_texts()


def test_start_is_not_offered_before_a_schedule_exists(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        organiser = make_organiser(db)
        event = make_event(db, organiser, name="Registration still open")  # phase: open
    engine.dispose()
    page = signed_in_live_page(browser, live_server, organiser.email, event.id)
    # The server refuses a start until a schedule is stored, so the button must say no first.
    expect(page.get_by_role("button", name="Start next round")).to_be_disabled()
    expect(page.get_by_role("button", name="End round")).to_be_disabled()


def test_a_room_is_offered_for_a_message_only_while_its_round_runs(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        seated = seat_event(db, n=4, present=True)
    engine.dispose()
    page = signed_in_live_page(browser, live_server, seated.organiser.email, seated.event.id)
    start = page.get_by_role("button", name="Start next round")
    expect(start).to_be_enabled()
    assert broadcast_targets(page) == ["Everyone"]  # no round runs: a room would be refused

    start.click()
    expect(page.locator("#org-round-title")).to_contain_text("running", timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("#broadcast-room option")).to_have_count(3)
    assert broadcast_targets(page) == ["Everyone", "Room 1", "Room 2"]
    page.locator("#broadcast-room").select_option(label="Room 2")

    page.get_by_role("button", name="End round").click()
    expect(page.locator("#org-round-title")).to_contain_text("ended", timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("#broadcast-room option")).to_have_count(1)
    page.get_by_role("textbox", name="Message").fill("Back in the main room, please")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#org-action-status")).to_have_text("Message sent.")
