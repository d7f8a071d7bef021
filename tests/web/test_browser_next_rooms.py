"""The live page's "next rooms" box never shows the sign-in page inside it.

When a round changes the page fetches the next rooms again; signed out meanwhile, that fetch is
redirected to the sign-in page, which used to land inside the box (a second sign-in form in the
middle of the live page). The box now keeps what it showed and a notice says to sign in again.
"""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session

from app.db import make_engine
from tests.factories import PASSWORD, make_api_token
from tests.fixtures.live_server import LiveServer
from tests.web.browser import serious_violations
from tests.web.conftest import seat_event

pytestmark = pytest.mark.browser

LIVE_TIMEOUT_MS = 20_000  # generous for a busy 2-core machine; not a timing assertion


def test_signed_out_the_next_rooms_box_keeps_its_rooms_and_says_to_sign_in(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        seated = seat_event(db, n=4, present=True)
        api_token = make_api_token(db, seated.organiser)
    engine.dispose()

    # bypass_csp: axe-core is injected inline, which the page's CSP forbids.
    page = browser.new_context(base_url=live_server.base_url, bypass_csp=True).new_page()
    page.goto("/organiser/sign-in")
    page.get_by_label("E-mail address").fill(seated.organiser.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My events")).to_be_visible()
    page.goto(f"/organiser/events/{seated.event.id}/live")
    expect(page.locator("#conn")).to_have_attribute("data-state", "connected")
    next_area = page.locator("#next-area")
    expect(next_area.get_by_role("heading", name="Next: round 1")).to_be_visible()

    # This browser's session is gone (it ended, or was signed out); the open socket goes on,
    # and the round is started from a script with the organiser's API token.
    page.context.clear_cookies()
    started = httpx.post(
        f"{live_server.base_url}/api/v1/events/{seated.event.id}/live/start-round",
        headers={"Authorization": f"Bearer {api_token}"},
    )
    assert started.status_code == 200, started.text

    expect(page.locator("#org-round-title")).to_contain_text("running", timeout=LIVE_TIMEOUT_MS)
    notice = page.locator("#next-signed-out")
    expect(notice).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(notice.get_by_role("link", name="Sign in")).to_be_visible()
    expect(next_area.locator("input[type=password]")).to_have_count(0)
    expect(next_area.get_by_role("heading", name="Sign in as organiser")).to_have_count(0)
    expect(next_area.get_by_role("heading", name="Next: round 1")).to_be_visible()
    assert serious_violations(page) == []
    page.context.close()
