"""The organiser's live page finds a person: "Maria can't find her room" without scrolling
through every room. Typing narrows the rooms to those holding a match, accents and case aside,
and the search stays applied when a push rebuilds the rooms."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlmodel import Session

from app.db import make_engine
from tests.factories import make_api_token
from tests.fixtures.live_server import LiveServer
from tests.web.browser import serious_violations, submit_sign_in
from tests.web.conftest import Seated, seat_event

pytestmark = pytest.mark.browser

LIVE_TIMEOUT_MS = 10_000  # generous for a busy machine; not a timing assertion


def seat_with_maria(server: LiveServer) -> tuple[Seated, str]:
    """Six people in three rooms of two (round 1: 0+1, 2+3, 4+5), the first one Maria Müller,
    the fourth at a school no one else shares; and an API token of the organiser."""
    engine = make_engine(server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        seated = seat_event(db, n=6, present=True)
        seated.people[0].name = "Maria Müller"
        seated.people[3].school = "Escola Açores"
        db.add_all([seated.people[0], seated.people[3]])
        db.commit()
        token = make_api_token(db, seated.organiser)
    engine.dispose()
    return seated, token


def live_page(browser: Browser, server: LiveServer, seated: Seated) -> Page:
    """The organiser's live page, signed in (bypass_csp: axe-core is injected inline)."""
    page = browser.new_context(base_url=server.base_url, bypass_csp=True).new_page()
    page.goto("/organiser/sign-in")
    submit_sign_in(page, seated.organiser.email)
    expect(page.get_by_role("heading", name="My events")).to_be_visible()
    page.goto(f"/organiser/events/{seated.event.id}/live")
    expect(page.locator("#conn")).to_have_attribute("data-state", "connected")
    return page


def tab_to(page: Page, target: Locator, limit: int = 40) -> None:
    """Press Tab until `target` has keyboard focus (the organiser uses no mouse)."""
    for _ in range(limit):
        if target.evaluate("node => node === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError("never reached with Tab")


def test_typing_a_name_shows_only_their_room_and_stays_after_a_push(
    browser: Browser, live_server: LiveServer
) -> None:
    seated, token = seat_with_maria(live_server)
    maria, mate = seated.people[0], seated.people[1]
    page = live_page(browser, live_server, seated)
    page.get_by_role("button", name="Start next round").click()
    expect(page.locator("#org-round-title")).to_contain_text("running", timeout=LIVE_TIMEOUT_MS)
    rooms = page.locator("#org-rooms tr[data-room]")
    expect(rooms).to_have_count(3)
    status = page.locator("#person-search-status")

    search = page.get_by_role("searchbox", name="Find a person")
    tab_to(page, search)
    page.keyboard.type("muller")  # "Müller", typed without the accent
    expect(rooms.locator("visible=true")).to_have_count(1)
    expect(page.locator("#org-rooms tr[data-room='1']")).to_be_visible()
    expect(page.locator("li.search-hit")).to_have_count(2)  # this round's room and the next's
    hit = page.locator("#org-rooms li.search-hit")
    expect(hit).to_contain_text("Maria Müller")
    # Her room-mate is shown too (not highlighted), with the controls for both of them.
    expect(page.locator("#org-rooms li:not(.search-hit)").locator("visible=true")).to_contain_text(
        mate.name
    )
    expect(hit.get_by_role("button", name="Mark absent: Maria Müller")).to_be_visible()
    expect(page.locator("#next-area .card").locator("visible=true")).to_have_count(1)
    expect(status).to_have_text("1 person matches “muller”.")
    expect(status).to_have_attribute("aria-live", "polite")

    # A move from somewhere else (a co-host's script) rebuilds the rooms: still only hers.
    moved = httpx.post(
        f"{live_server.base_url}/api/v1/events/{seated.event.id}/live/move",
        headers={"Authorization": f"Bearer {token}"},
        json={"participant_id": maria.id, "room": 3},
    )
    assert moved.status_code == 200, moved.text
    expect(page.locator("#org-rooms tr[data-room='3']")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(rooms.locator("visible=true")).to_have_count(1)
    expect(page.locator("#org-rooms tr[data-room='3'] li.search-hit")).to_contain_text(
        "Maria Müller"
    )
    expect(search).to_have_value("muller")

    # Keyboard on: from the search to her "Mark absent", past no hidden room.
    absent_button = hit.get_by_role("button", name="Mark absent: Maria Müller")
    tab_to(page, absent_button, limit=6)
    page.keyboard.press("Enter")
    expect(page.locator("#org-action-status")).to_have_text(
        "Marked absent. The remaining rounds are planned without them."
    )
    expect(page.locator("#absent-area")).to_be_visible()
    expect(page.locator("#org-absent li.search-hit")).to_contain_text("Maria Müller")
    expect(rooms.locator("visible=true")).to_have_count(1)
    assert serious_violations(page) == []
    page.context.close()


def test_no_match_says_so_and_escape_shows_everyone_again(
    browser: Browser, live_server: LiveServer
) -> None:
    seated, _token = seat_with_maria(live_server)
    page = live_page(browser, live_server, seated)
    page.get_by_role("button", name="Start next round").click()
    expect(page.locator("#org-round-title")).to_contain_text("running", timeout=LIVE_TIMEOUT_MS)
    rooms = page.locator("#org-rooms tr[data-room]")
    status = page.locator("#person-search-status")
    search = page.get_by_role("searchbox", name="Find a person")
    search.focus()

    # The school, and the id from the participants file (which the socket does not carry).
    page.keyboard.type("ACORES")
    expect(page.locator("#org-rooms li.search-hit")).to_contain_text(seated.people[3].name)
    expect(rooms.locator("visible=true")).to_have_count(1)
    page.keyboard.press("Escape")
    page.keyboard.type(seated.people[4].external_id)
    expect(page.locator("#org-rooms li.search-hit")).to_contain_text(seated.people[4].name)
    expect(page.locator("#org-rooms tr[data-room='3']")).to_be_visible()

    page.keyboard.press("Escape")
    page.keyboard.type("Zoë Nobody")
    expect(status).to_have_text("No one matches “Zoë Nobody”.")
    expect(rooms.locator("visible=true")).to_have_count(0)
    expect(page.locator("li.search-hit")).to_have_count(0)

    page.keyboard.press("Escape")
    expect(search).to_have_value("")
    expect(search).to_be_focused()
    expect(rooms.locator("visible=true")).to_have_count(3)
    expect(page.locator("#next-area .card").locator("visible=true")).to_have_count(3)
    expect(status).to_have_text("")
    expect(page.locator("li.search-hit")).to_have_count(0)
    page.context.close()
