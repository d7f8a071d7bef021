"""Moves that make a room bigger than planned, on the organiser's live page: the status says which
room and how many it holds now against what rooms are planned for (never the planner's "1 room
of 3, but 6 seated needs exactly 0"); the room's row lists everyone in it, and the people moved
and their new room-mates just see their room with each other."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.fixtures.live_server import LiveServer
from tests.web.conftest import seat_live_event
from tests.web.test_browser_organiser_refusals import signed_in
from tests.web.test_browser_participant_live import LIVE_TIMEOUT_MS, open_page

pytestmark = pytest.mark.browser


def _move(page: Page, person: str, room: int) -> None:
    who = page.get_by_label("Who", exact=True)
    expect(who.locator(f'option[value="{person}"]')).to_have_count(1)
    who.select_option(value=person)
    page.get_by_label("To room", exact=True).select_option(value=str(room))
    page.get_by_role("button", name="Move", exact=True).click()


def test_moves_into_a_room_say_its_size_now_against_the_plan(
    browser: Browser, live_server: LiveServer
) -> None:
    # Six people in rooms of two: rooms 1, 2 and 3 of round 1 hold two each.
    seated = seat_live_event(live_server, 6, present=True)
    people = seated.people
    first, second, host = people[0], people[1], people[2]
    org = signed_in(browser, live_server, seated.organiser.email)
    org.goto(f"/organiser/events/{seated.event.id}/live")
    org.locator('[data-action="start-round"]').click()
    mover, mate = open_page(browser, live_server), open_page(browser, live_server)
    mover.goto(f"/p/{seated.tokens[first.id]}")
    mate.goto(f"/p/{seated.tokens[host.id]}")
    expect(mover.locator("#room-card")).to_contain_text(second.name, timeout=LIVE_TIMEOUT_MS)
    expect(mate.locator("#room-card")).to_contain_text(people[3].name, timeout=LIVE_TIMEOUT_MS)
    status = org.locator("#org-action-status")
    room_two = org.locator('#org-rooms tr[data-room="2"] li')

    # A room of 3 where six people seated call for none.
    _move(org, first.id, 2)
    expect(status).to_contain_text(
        "round 1, room 2: 3 people now, but with 6 seated every room is planned for 2"
    )
    expect(status).not_to_contain_text("needs exactly")
    expect(room_two).to_have_count(3)
    for person in (host, people[3]):
        expect(mover.locator("#room-card")).to_contain_text(person.name)
    expect(mover.locator("#room-card")).not_to_contain_text(second.name)

    # One more in it: a room of 4, one more than rooms of two hold at most.
    _move(org, second.id, 2)
    expect(status).to_contain_text(
        "round 1, room 2: 4 people now, but rooms are planned for 2 (3 at most)"
    )
    expect(status).not_to_contain_text("rooms of 3")
    expect(room_two).to_have_count(4)
    expect(mover.locator("#room-card")).to_contain_text(second.name)
    for name in (first.name, second.name, people[3].name):
        expect(mate.locator("#room-card")).to_contain_text(name)
    # The participants' pages tell them their room, never the organiser's rule breaks.
    for page in (mover, mate):
        expect(page.locator("body")).not_to_contain_text("planned for")
        page.context.close()
    org.context.close()
