"""An organiser who fears a leak changes their password on "My account": the API tokens they
made stop working too (a leaked token is as good as the password), the page says so, this
browser stays signed in and another browser's session ends."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session

from app.db import make_engine
from tests.factories import PASSWORD, make_api_token, make_organiser
from tests.fixtures.live_server import LiveServer
from tests.web.browser import submit_sign_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "lantern orchard pebble quartz"


def signed_in_page(browser: Browser, server: LiveServer, email: str) -> Page:
    page = browser.new_context(base_url=server.base_url, locale="en-GB").new_page()
    page.goto("/organiser/account")
    submit_sign_in(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    return page


def me_with(server: LiveServer, token: str) -> int:
    answer = httpx.get(
        f"{server.base_url}/api/v1/organisers/me", headers={"Authorization": f"Bearer {token}"}
    )
    return answer.status_code


def test_a_new_password_revokes_the_api_tokens_and_ends_other_browsers_sessions(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        organiser = make_organiser(db, email="ines@agency.example", name="Inês")
        tokens = [make_api_token(db, organiser) for _ in range(2)]
        colleague = make_organiser(db, email="jens@agency.example", name="Jens")
        colleagues_token = make_api_token(db, colleague)
    engine.dispose()
    here = signed_in_page(browser, live_server, organiser.email)
    elsewhere = signed_in_page(browser, live_server, organiser.email)
    assert [me_with(live_server, t) for t in tokens] == [200, 200]

    here.get_by_label("Current password").fill(PASSWORD)
    here.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    here.get_by_label("New password again").fill(NEW_PASSWORD)
    here.get_by_role("button", name="Save the password").click()

    notice = here.get_by_role("status").filter(has_text="Your new password is saved")
    expect(notice).to_contain_text(
        "2 API tokens were revoked too: scripts that used them need new ones."
    )
    listed = here.locator("section", has=here.get_by_role("heading", name="API tokens"))
    expect(listed.get_by_role("cell", name="Revoked", exact=True)).to_have_count(2)
    expect(listed.get_by_role("cell", name="Active", exact=True)).to_have_count(0)
    assert [me_with(live_server, t) for t in tokens] == [401, 401]
    assert me_with(live_server, colleagues_token) == 200  # a colleague's are theirs

    here.goto("/organiser")
    expect(here).to_have_url(f"{live_server.base_url}/organiser")
    elsewhere.goto("/organiser")
    expect(elsewhere.locator("#password")).to_be_visible()  # the sign-in form again
    assert "/organiser/sign-in" in elsewhere.url
    for page in (here, elsewhere):
        page.context.close()
