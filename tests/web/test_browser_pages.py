"""Every other page in headless Chromium: axe-core finds nothing serious, keyboard use works."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session

from app.db import make_engine
from tests.factories import PASSWORD, make_event, make_organiser
from tests.fixtures.live_server import LiveServer
from tests.web.browser import serious_violations

pytestmark = pytest.mark.browser

BAD_CSV = (
    "id,name,email,school,country,sector,languages,interests,programmes,requests,avoid\n"
    "a1,Inês Marques,ines@escola.pt,Escola X,PT,specialised,pt;en,inclusion,ka2,,\n"
    "a2,Søren,soren@skole.dk,Nørre Skole,XX,primary,da;en,stem,etwinning,,\n"
)


def check(page: Page) -> None:
    found = serious_violations(page)
    assert found == [], f"{page.url}: {found}"


def test_forms_errors_and_public_pages_pass_axe(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        organiser = make_organiser(db, email="org@agency.example")
        # 08:00 UTC is 10:00 in Brussels and 17:00 in Tokyo.
        event = make_event(db, organiser, name="Open day", starts_at=datetime(2026, 6, 12, 8, 0))
        event_id, slug = event.id, event.registration_slug
    engine.dispose()
    ctx = browser.new_context(base_url=live_server.base_url, bypass_csp=True)
    page = ctx.new_page()

    page.goto("/")
    check(page)
    page.goto("/p/no-such-token")
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    check(page)

    page.goto("/organiser/sign-in")
    page.get_by_label("E-mail address").fill("org@agency.example")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("not right")
    check(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto("/organiser/account")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("lantern quietly oboe")
    page.get_by_label("New password again").fill("lantern quietly")
    page.get_by_role("button", name="Save the password").click()
    expect(page.get_by_role("alert")).to_contain_text("not the same")
    check(page)
    page.get_by_role("button", name="Set up two-step sign-in").click()
    expect(page.get_by_label("Code from your app")).to_be_visible()
    check(page)  # the QR code is named, the key readable

    page.goto("/organiser/events/new")
    page.get_by_label("Number of rounds").fill("99")
    page.get_by_role("button", name="Create event").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_label("Number of rounds")).to_have_attribute("aria-invalid", "true")
    check(page)

    page.goto(f"/organiser/events/{event_id}/participants")
    csv_path = tmp_path / "bad.csv"
    csv_path.write_text(BAD_CSV, encoding="utf-8")
    page.get_by_label("CSV file (UTF-8)").set_input_files(str(csv_path))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator('tr[data-line="3"]')).to_contain_text("XX")
    expect(page.locator('tr[data-line="3"]')).to_contain_text("Problem:")
    check(page)
    # 320 px wide (a phone, or 640 px at 200 % zoom): wide tables scroll in their own box.
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/participants", "", "/schedule", "/links", "/live"):
        if path != "/participants":
            page.goto(f"/organiser/events/{event_id}{path}")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320, path
    page.set_viewport_size({"width": 1200, "height": 800})

    public = browser.new_context(
        base_url=live_server.base_url, bypass_csp=True, timezone_id="Asia/Tokyo", locale="en-GB"
    )
    visitor = public.new_page()
    visitor.goto(f"/register/{slug}")
    # Stored in UTC, shown in the viewer's own zone.
    expect(visitor.locator("main time").first).to_contain_text("17:00")
    expect(visitor.locator("[data-viewer-zone]")).to_have_text("(Asia/Tokyo)")
    check(visitor)
    visitor.get_by_label("Name", exact=True).fill("Maëlle Dupont")
    visitor.get_by_role("button", name="Register").click()
    expect(visitor.locator("#error-summary")).to_be_visible()
    check(visitor)
    for label, value in (
        ("E-mail address", "maelle@ecole.be"),
        ("School or organisation", "École X"),
        ("Country", "BE"),
        ("Languages you can hold a conversation in", "fr, nl, en"),
    ):
        visitor.get_by_role("textbox", name=label, exact=True).fill(value)
    visitor.get_by_label("Kind of school").select_option("specialised")
    visitor.get_by_role("button", name="Register").click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("you are registered")
    check(visitor)
    visitor.get_by_role("link", name="/p/").click()
    expect(visitor.locator("h1")).to_have_text("Open day")
    check(visitor)
    ctx.close()
    public.close()


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(
    browser: Browser, live_server: LiveServer
) -> None:
    ctx = browser.new_context(base_url=live_server.base_url)
    page = ctx.new_page()
    page.goto("/organiser/sign-in")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "email"
    ctx.close()
