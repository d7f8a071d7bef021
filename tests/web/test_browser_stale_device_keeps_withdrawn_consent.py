"""Anna's page is open on a laptop and on a phone. She withdraws her "share" for Eva on the
laptop; the phone, which heard nothing of it, still shows "yes". Saving a note there used to
turn sharing back on silently: now nothing is saved, the phone says why and shows the stored
answers, and the note she typed stays in the box for the next Save."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.fixtures.live_server import LiveServer
from tests.web.test_browser_participant_live import (
    LIVE_TIMEOUT_MS,
    LiveEvent,
    connected_page,
    live_event,
    open_page,
)

pytestmark = pytest.mark.browser

NOTE = "KA2 on inclusion, 2027"


def api(event: LiveEvent, method: str, path: str, **kwargs: Any) -> httpx.Response:
    response = httpx.request(method, f"{event.server.base_url}/api/v1{path}", timeout=30, **kwargs)
    assert response.status_code == 200, response.text
    return response


def offline_page(browser: Browser, event: LiveEvent, index: int) -> Page:
    """Participant `index`'s page on a device whose live updates do not get through."""
    page = open_page(browser, event.server)
    page.route_web_socket("**/ws/participant*", lambda ws: ws.close())
    page.goto(event.link(index))
    return page


def test_a_stale_phone_cannot_turn_withdrawn_consent_back_on(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    event.act("end-round")
    anna, eva = event.seated.people[0], event.seated.people[1]
    tokens = event.seated.tokens
    for who, about in ((eva, anna), (anna, eva)):  # both said yes: a mutual contact
        mine = {"token": tokens[who.id]}
        api(event, "PUT", f"/me/decisions/{about.id}", params=mine, json={"share": True})
    laptop = connected_page(browser, event, 0)
    phone = offline_page(browser, event, 0)
    expect(phone.locator(f"#share-yes-{eva.id}")).to_be_checked()

    laptop.locator(f"#share-no-{eva.id}").check()
    laptop.locator(f"#save-{eva.id}").click()
    expect(laptop.locator(f"#met-{eva.id}")).to_contain_text("Saved.", timeout=LIVE_TIMEOUT_MS)

    expect(phone.locator(f"#share-yes-{eva.id}")).to_be_checked()  # it heard nothing
    phone.locator(f"#note-{eva.id}").fill(NOTE)
    phone.locator(f"#save-{eva.id}").click()

    form = phone.locator(f"#met-{eva.id}")
    expect(form.get_by_role("alert")).to_contain_text(
        "you changed this answer on another device", timeout=LIVE_TIMEOUT_MS
    )
    expect(form).not_to_contain_text("Saved.")
    expect(phone.locator(f"#share-no-{eva.id}")).to_be_checked()  # what is stored now
    expect(phone.locator(f"#note-{eva.id}")).to_have_value(NOTE)  # nothing typed is lost
    meetings = api(event, "GET", "/me/meetings", params={"token": tokens[anna.id]}).json()
    assert [(m["decision"]["share"], m["decision"]["note"]) for m in meetings] == [(False, "")]
    pairs = api(
        event,
        "GET",
        f"/events/{event.seated.event.id}/exports/contact-pairs.json",
        headers={"Authorization": f"Bearer {event.api_token}"},
    ).json()
    assert pairs == []

    # Now that the phone shows the stored answers, saving it again counts: the note is kept.
    phone.locator(f"#save-{eva.id}").click()
    expect(form).to_contain_text("Saved.", timeout=LIVE_TIMEOUT_MS)
    meetings = api(event, "GET", "/me/meetings", params={"token": tokens[anna.id]}).json()
    assert [(m["decision"]["share"], m["decision"]["note"]) for m in meetings] == [(False, NOTE)]
    laptop.context.close()
    phone.context.close()


def test_a_first_answer_on_a_stale_phone_does_not_replace_the_laptops(
    browser: Browser, live_server: LiveServer
) -> None:
    event = live_event(live_server)
    event.act("start-round")
    event.act("end-round")
    anna, eva = event.seated.people[0], event.seated.people[1]
    laptop = connected_page(browser, event, 0)
    phone = offline_page(browser, event, 0)  # both open before any answer

    laptop.locator(f"#share-no-{eva.id}").check()
    laptop.locator(f"#save-{eva.id}").click()
    expect(laptop.locator(f"#met-{eva.id}")).to_contain_text("Saved.", timeout=LIVE_TIMEOUT_MS)
    phone.locator(f"#share-yes-{eva.id}").check()
    phone.locator(f"#save-{eva.id}").click()

    expect(phone.locator(f"#met-{eva.id}").get_by_role("alert")).to_contain_text(
        "you changed this answer on another device", timeout=LIVE_TIMEOUT_MS
    )
    expect(phone.locator(f"#share-no-{eva.id}")).to_be_checked()
    token = {"token": event.seated.tokens[anna.id]}
    meetings = api(event, "GET", "/me/meetings", params=token).json()
    assert [m["decision"]["share"] for m in meetings] == [False]
    laptop.context.close()
    phone.context.close()
