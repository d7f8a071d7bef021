"""The participant's live page in headless Chromium against a real uvicorn: a Save without a
choice, the plan after an extension, keyboard focus across a refresh of the decision forms, a
repeated message in a later round, and why the room changed after a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session, select

from app.db import make_engine
from app.models import ContactDecision
from tests.fixtures.live_server import LiveServer
from tests.web.browser import serious_violations
from tests.web.test_browser_participant_live import LIVE_TIMEOUT_MS, connected_page, live_event
from tests.web.test_browser_participant_plan_live_times import round_one_extended

pytestmark = pytest.mark.browser


def decisions_stored(server: LiveServer) -> list[ContactDecision]:
    engine = make_engine(server.database_url)
    with Session(engine) as db:
        rows = list(db.exec(select(ContactDecision)).all())
    engine.dispose()
    return rows


def test_save_without_a_choice_says_to_choose_and_records_nothing(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    mate = event.seated.people[1].id
    page = connected_page(browser, event, 0)
    page.locator(f"#note-{mate}").fill("Ask about KA2")
    page.locator(f"#save-{mate}").click()

    form = page.locator(f"#met-{mate}")
    expect(form.get_by_role("alert")).to_have_text(
        "Nothing was saved: choose Yes or No for sharing your contact details first."
    )
    expect(page.locator(f"#share-yes-{mate}")).to_be_focused()
    expect(page.locator(f"#note-{mate}")).to_have_value("Ask about KA2")
    expect(form).not_to_contain_text("Saved.")
    assert decisions_stored(live_server) == []
    assert serious_violations(page) == []

    page.locator(f"#share-no-{mate}").check()
    page.locator(f"#save-{mate}").click()
    expect(form).to_contain_text("Saved.")
    assert [d.share for d in decisions_stored(live_server)] == [False]
    page.context.close()


def test_the_plan_shows_the_round_longer_once_it_is_extended(
    browser: Browser, live_server: LiveServer
) -> None:
    length = round_one_extended(browser, live_server, 120)
    expect(length).to_have_text("10 minutes", timeout=LIVE_TIMEOUT_MS)
    length.page.context.close()


def test_keyboard_focus_on_a_did_you_meet_choice_survives_the_forms_refresh(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    mate = event.seated.people[1].id
    page = connected_page(browser, event, 0)
    they_did_not_come = page.locator(f"#met-{mate} input[name=met][value=no]")
    they_did_not_come.focus()
    # Marks the forms shown now: the refresh when the next round starts replaces them (the list
    # follows the rounds started, as a reload does).
    page.evaluate(f"document.getElementById('met-{mate}').dataset.old = '1'")

    event.act("end-round")
    event.act("start-round")
    expect(page.locator(f"#met-{mate}")).not_to_have_attribute(
        "data-old", "1", timeout=LIVE_TIMEOUT_MS
    )
    expect(they_did_not_come).to_be_focused()
    expect(page.locator(f"label[for='met-no-{mate}']")).to_have_text("They did not show up")
    page.context.close()


def test_the_same_message_in_a_later_round_is_announced_after_a_reconnect(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    page = connected_page(browser, event, 0)
    other = connected_page(browser, event, 1)  # keeps the event followed on this server
    region = page.locator("#live-announce")
    event.act("broadcast", {"text": "Tea is ready"})
    expect(region).to_contain_text("Message from the organiser: Tea is ready")

    page.context.set_offline(True)
    expect(page.locator("#conn")).to_have_attribute("data-state", "offline")
    event.act("end-round")
    event.act("start-round")
    event.act("broadcast", {"text": "Tea is ready"})  # a new message, the same words
    expect(other.locator("#round-title")).to_have_text("Round 2 of 2")
    page.context.set_offline(False)

    expect(region).to_contain_text("Round 2 of 2 has started.", timeout=LIVE_TIMEOUT_MS)
    expect(region).to_contain_text("Message from the organiser: Tea is ready")
    other.context.close()
    page.context.close()


def test_a_reload_still_says_the_organiser_changed_the_room(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    page = connected_page(browser, event, 0)
    event.act("move", {"participant_id": event.seated.people[0].id, "room": 2})
    notice = page.locator("#room-notice")
    expect(notice).to_have_text("The organiser changed your room.", timeout=LIVE_TIMEOUT_MS)

    page.reload()
    expect(page.locator("#conn")).to_have_attribute("data-state", "connected")
    expect(page.locator("#room-card")).to_contain_text(event.name(2))
    expect(notice).to_have_text("The organiser changed your room.")
    page.context.close()
