"""The organiser's live page says why its socket was refused for good, in their language: the
next step differs (sign in again, check the account, go back to the event list)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, WebSocketRoute, expect
from sqlmodel import Session

from app.db import make_engine
from tests.fixtures.live_server import LiveServer
from tests.web.browser import submit_sign_in
from tests.web.conftest import Seated, seat_event

pytestmark = pytest.mark.browser

LIVE_TIMEOUT_MS = 20_000  # the server re-checks open sockets every few seconds; not a timing test
SIGNED_OUT = "You were signed out (here or on another device). Sign in again to run the event."


def seated_event(server: LiveServer) -> Seated:
    engine = make_engine(server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        seated = seat_event(db, n=4)
    engine.dispose()
    return seated


def signed_in(browser: Browser, server: LiveServer, email: str, locale: str = "en-GB") -> Page:
    page = browser.new_context(base_url=server.base_url, locale=locale).new_page()
    page.goto("/organiser/sign-in")
    submit_sign_in(page, email)
    page.wait_for_url("**/organiser")
    return page


@pytest.mark.parametrize(
    ("code", "locale", "text"),
    [
        (4401, "en-GB", SIGNED_OUT),
        (
            4403,
            "en-GB",
            "Not allowed: this is not your event, or your account needs two-step sign-in. "
            "Check My account.",
        ),
        (4404, "en-GB", "This event was deleted. Go back to My events."),
        (4404, "nl-NL", "Dit evenement is verwijderd. Ga terug naar Mijn evenementen."),
    ],
)
def test_each_refusal_of_the_live_socket_is_explained(
    browser: Browser, live_server: LiveServer, code: int, locale: str, text: str
) -> None:
    seated = seated_event(live_server)
    page = signed_in(browser, live_server, seated.organiser.email, locale)

    def refuse(ws: WebSocketRoute) -> None:
        ws.close(code=code, reason="refused")

    page.route_web_socket("**/ws/organiser/*", refuse)
    page.goto(f"/organiser/events/{seated.event.id}/live")
    expect(page.locator("#conn")).to_have_text(text)
    page.context.close()


def test_signing_out_in_another_tab_tells_the_live_page_to_sign_in_again(
    browser: Browser, live_server: LiveServer
) -> None:
    seated = seated_event(live_server)
    page = signed_in(browser, live_server, seated.organiser.email)
    page.goto(f"/organiser/events/{seated.event.id}/live")
    conn = page.locator("#conn")
    expect(conn).to_have_attribute("data-state", "connected")

    other_tab = page.context.new_page()
    other_tab.goto("/organiser")
    other_tab.get_by_role("button", name="Sign out").click()
    other_tab.wait_for_url("**/organiser/sign-in**")
    # The server closes the socket with 4401; the page must not call it "not allowed".
    expect(conn).to_have_text(SIGNED_OUT, timeout=LIVE_TIMEOUT_MS)
    page.context.close()
