"""In a real browser: the Colleagues list on "My account", removing a colleague's account after
a confirmation page, and the removed colleague's open page sent to the sign-in page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session

from app.db import make_engine
from app.organisers import service as organiser_service
from tests.factories import make_event, make_organiser
from tests.fixtures.live_server import LiveServer
from tests.web.browser import serious_violations, submit_sign_in

pytestmark = pytest.mark.browser


def signed_in(browser: Browser, server: LiveServer, email: str) -> Page:
    # bypass_csp: axe-core is injected inline, which the page's CSP forbids.
    page = browser.new_context(base_url=server.base_url, bypass_csp=True).new_page()
    page.goto("/organiser/sign-in")
    submit_sign_in(page, email)
    page.wait_for_url("**/organiser")
    return page


def test_an_organiser_removes_a_colleague_after_confirming(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        me = make_organiser(db, email="ines@agency.example", name="Inês")
        leaver = make_organiser(db, email="leaver@agency.example", name="Leaver")
        owner = make_organiser(db, email="jo@agency.example", name="Jo")
        make_event(db, owner)
        invited = organiser_service.create_organiser(db, email="mia@agency.example", name="Mia")
        organiser_service.issue_invite(db, organiser=invited)
    engine.dispose()
    theirs = signed_in(browser, live_server, leaver.email)
    page = signed_in(browser, live_server, me.email)

    page.get_by_role("link", name="My account").click()
    table = page.get_by_role("region", name="Colleagues")
    expect(page.get_by_role("heading", name="Colleagues")).to_be_visible()
    expect(table.get_by_role("row", name="Mia")).to_contain_text("Invited: link not used yet")
    expect(table.get_by_role("row", name="Jo")).to_contain_text("Active")
    expect(table.get_by_role("row", name="Inês (you)")).not_to_contain_text("Remove")
    assert serious_violations(page) == []

    table.get_by_role("link", name="Remove… Leaver").click()  # a confirmation first
    expect(page.get_by_role("heading", name="Remove an organiser account")).to_be_visible()
    expect(page.get_by_text("leaver@agency.example")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Cancel").click()
    expect(table.get_by_role("row", name="Leaver")).to_be_visible()  # nothing happened

    table.get_by_role("link", name="Remove… Leaver").click()
    page.get_by_role("button", name="Remove the account").click()
    expect(page.get_by_role("status")).to_have_text(
        "The account of Leaver (leaver@agency.example) was removed."
    )
    expect(table.get_by_role("row", name="Leaver")).to_have_count(0)
    assert serious_violations(page) == []

    theirs.reload()  # the colleague's open page: signed out at once
    expect(theirs.get_by_role("heading", name="Sign in as organiser")).to_be_visible()

    table.get_by_role("link", name="Remove… Jo").click()  # owns an event: refused, and why
    expect(page.get_by_role("alert")).to_contain_text("jo@agency.example still owns events (1)")
    expect(page.get_by_role("button", name="Remove the account")).to_have_count(0)
    theirs.context.close()
    page.context.close()
