"""A whole event in headless Chromium against a real uvicorn: organiser, two participants.

The organiser imports a CSV, generates the plan and starts round 1; two participant pages in
separate browser contexts show their room card with each other's names; one page loses its
network while the next round starts and shows the current round once it is back; both say "yes"
to sharing and each sees the other under "my contacts". axe-core checks every page on the way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.contacts import service as contacts_service
from app.db import make_engine
from app.models import Event, Participant
from tests.factories import PASSWORD, make_organiser
from tests.fixtures.live_server import LiveServer
from tests.web.browser import serious_violations

pytestmark = pytest.mark.browser

LIVE_TIMEOUT_MS = 10_000  # generous for a busy 2-core CI machine; not a timing assertion
CSV = (
    "id,name,email,school,country,sector,languages,interests,programmes,requests,avoid\n"
    "nl1,Lieke de Vries,lieke@school.nl,Basisschool De Linde,NL,primary,nl;en,inclusion;stem,"
    "etwinning,,\n"
    "dk1,Søren Holm,soren@skole.dk,Nørre Skole,DK,primary,da;en,inclusion,etwinning,,\n"
    "pt1,Inês Marques,ines@escola.pt,Escola Básica do Sol,PT,specialised,pt;en,inclusion;arts,"
    "ka2,,\n"
    "de1,Jürgen Bäcker,juergen@schule.de,Grundschule Am See,DE,primary,de;en,stem,etwinning,,\n"
)


def new_context(browser: Browser, server: LiveServer, locale: str = "en-GB") -> BrowserContext:
    # bypass_csp: the page's CSP allows only same-origin scripts; axe-core is injected inline.
    return browser.new_context(base_url=server.base_url, locale=locale, bypass_csp=True)


def assert_accessible(page: Page) -> None:
    found = serious_violations(page)
    assert found == [], f"{page.url}: {found}"


def organiser_sets_up_event(page: Page, server: LiveServer, tmp_path: Path) -> str:
    page.goto("/organiser")
    expect(page.get_by_role("heading", name="Sign in as organiser")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("E-mail address").fill("org@agency.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My events")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="New event").click()
    page.get_by_label("Name", exact=True).fill("Partner day 2026")
    page.get_by_label("Starts at").fill("2026-06-12T10:00")
    page.get_by_label("Number of rounds").fill("2")
    assert_accessible(page)
    page.get_by_role("button", name="Create event").click()
    expect(page.get_by_role("heading", name="Partner day 2026")).to_be_visible()
    event_id = page.url.split("/organiser/events/")[1].split("?")[0]
    assert_accessible(page)

    page.get_by_role("navigation", name="Event steps").get_by_role(
        "link", name="Participants"
    ).click()
    csv_path = tmp_path / "participants.csv"
    csv_path.write_text(CSV, encoding="utf-8")
    page.get_by_label("CSV file (UTF-8)").set_input_files(str(csv_path))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("4 participants imported.")).to_be_visible()
    expect(page.get_by_role("cell", name="Nørre Skole")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Event steps").get_by_role("link", name="Schedule").click()
    page.get_by_role("button", name="Generate the schedule").click()
    expect(page.get_by_text("The schedule is ready.")).to_be_visible(timeout=60_000)
    expect(page.locator("figure.heatmap svg")).to_be_visible()
    assert_accessible(page)
    return event_id


def issue_links(org: Page) -> dict[str | None, str]:
    """The organiser issues every personal link; returns them by participant id."""
    org.get_by_role("link", name="Personal links").click()
    org.get_by_role("button", name="Issue missing links", exact=True).click()
    expect(org.get_by_text("These links are shown only now.")).to_be_visible()
    assert_accessible(org)
    links = {
        card.get_attribute("data-person"): card.locator("code.link").inner_text()
        for card in org.locator("li[data-person]").all()
    }
    assert len(links) == 4
    return links


@dataclass
class Prepared:
    """An event set up through the pages: schedule generated, every personal link issued."""

    engine: Engine
    org_ctx: BrowserContext
    org: Page
    event_id: str
    links: dict[str | None, str]
    people: dict[str, Participant]
    round_one: list[contacts_service.Placement]


def prepare_event(browser: Browser, live_server: LiveServer, tmp_path: Path) -> Prepared:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        make_organiser(db, email="org@agency.example")
    org_ctx = new_context(browser, live_server)
    org = org_ctx.new_page()
    event_id = organiser_sets_up_event(org, live_server, tmp_path)
    links = issue_links(org)
    with Session(engine, expire_on_commit=False) as db:
        event = db.get(Event, event_id)
        assert event is not None
        rows = db.exec(select(Participant).where(Participant.event_id == event_id)).all()
        placements = contacts_service.placements(db, event)
    round_one = [p for p in placements if p.round == 1]
    return Prepared(engine, org_ctx, org, event_id, links, {p.id: p for p in rows}, round_one)


def test_whole_event_in_the_browser(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    ready = prepare_event(browser, live_server, tmp_path)
    engine, org_ctx, org, event_id = ready.engine, ready.org_ctx, ready.org, ready.event_id
    links, people, first = ready.links, ready.people, ready.round_one[0]
    a_id, b_id = first.members
    a, b = people[a_id], people[b_id]

    # Everyone opens their page once, so nobody counts as a no-show at the start. The other
    # two use a 320 px wide window (a phone, or 640 px at 200 % zoom).
    others_ctx = browser.new_context(
        base_url=live_server.base_url, bypass_csp=True, viewport={"width": 320, "height": 640}
    )
    small = None
    for pid in people:
        if pid not in (a_id, b_id):
            small = others_ctx.new_page()
            small.goto(links[pid])
            expect(small.locator("#conn")).to_have_attribute("data-state", "connected")
    assert small is not None
    # A reads English; B's browser asks for Dutch and gets it without choosing anything.
    ctx_a = new_context(browser, live_server, locale="en-GB")
    ctx_b = new_context(browser, live_server, locale="nl-NL")
    page_a, page_b = ctx_a.new_page(), ctx_b.new_page()
    page_a.goto(links[a_id])
    page_b.goto(links[b_id])
    for page in (page_a, page_b):
        expect(page.locator("#conn")).to_have_attribute(
            "data-state", "connected", timeout=LIVE_TIMEOUT_MS
        )
    expect(page_a.locator("#round-title")).to_have_text("The first round has not started yet")
    expect(page_b.locator("#round-title")).to_have_text("De eerste ronde is nog niet begonnen")
    assert_accessible(page_a)
    assert_accessible(page_b)

    org.get_by_role("link", name="Live").click()
    expect(org.locator("#conn")).to_have_attribute("data-state", "connected")
    assert_accessible(org)
    org.get_by_role("button", name="Start next round").click()

    expect(page_a.locator("#round-title")).to_have_text("Round 1 of 2", timeout=LIVE_TIMEOUT_MS)
    expect(page_b.locator("#round-title")).to_have_text("Ronde 1 van 2", timeout=LIVE_TIMEOUT_MS)
    expect(page_a.locator("#room-card")).to_contain_text(b.name)
    expect(page_b.locator("#room-card")).to_contain_text(a.name)
    expect(page_a.get_by_role("link", name="Join video room")).to_be_visible()
    expect(page_b.get_by_role("link", name="Naar de videokamer")).to_be_visible()
    # One polite announcement per round change, and never the ticking countdown.
    expect(page_a.locator("#live-announce")).to_contain_text("Round 1 of 2 has started")
    expect(page_a.locator("#countdown")).to_have_attribute("aria-live", "off")
    # While the countdown ticks, the live region stays silent.
    page_a.evaluate(
        """() => { window.__announcements = 0;
          new MutationObserver(() => { window.__announcements += 1; })
            .observe(document.getElementById('live-announce'),
                     {childList: true, characterData: true, subtree: true}); }"""
    )
    before = page_a.locator("#countdown").inner_text()
    expect(page_a.locator("#countdown")).not_to_have_text(before)
    expect(page_a.locator("#countdown")).not_to_have_text(page_a.locator("#countdown").inner_text())
    assert page_a.evaluate("() => window.__announcements") == 0
    assert_accessible(page_a)
    expect(org.locator("#org-round-title")).to_contain_text("Round 1 of 2")
    expect(org.locator("#org-rooms")).to_contain_text(a.name)
    assert_accessible(org)

    # On the narrow screen the room card fits: nothing scrolls sideways.
    expect(small.locator("#round-title")).to_have_text("Round 1 of 2", timeout=LIVE_TIMEOUT_MS)
    assert small.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert_accessible(small)

    # The organiser broadcasts to everyone.
    org.get_by_role("textbox", name="Message").fill("Back in the main room at 11:00, please.")
    org.get_by_role("button", name="Send", exact=True).click()
    expect(page_b.locator("#broadcast")).to_contain_text("Back in the main room at 11:00")
    expect(page_a.locator("#live-announce")).to_contain_text("Back in the main room at 11:00")

    # Presence per room, as text; marking someone absent is confirmed and shown.
    entry_a = org.locator("#org-rooms li", has_text=a.name)
    expect(entry_a).to_contain_text(f"{a.name} ({a.country}) — connected")
    absent_one = people[next(pid for pid in people if pid not in (a_id, b_id))]
    org.get_by_role("button", name=f"Mark absent: {absent_one.name}").click()
    expect(org.locator("#org-action-status")).to_contain_text("Marked absent")
    expect(org.locator("#org-rooms li", has_text=absent_one.name)).to_contain_text("marked absent")

    # A loses the network; meanwhile round 1 ends and round 2 starts.
    ctx_a.set_offline(True)
    expect(page_a.locator("#conn")).to_have_attribute("data-state", "offline")
    org.get_by_role("button", name="End round").click()
    expect(page_b.locator("#round-title")).to_have_text(
        "Ronde 1 is afgelopen", timeout=LIVE_TIMEOUT_MS
    )
    expect(org.get_by_role("button", name="Start next round")).to_be_enabled()
    org.get_by_role("button", name="Start next round").click()
    expect(page_b.locator("#round-title")).to_have_text("Ronde 2 van 2", timeout=LIVE_TIMEOUT_MS)
    ctx_a.set_offline(False)
    expect(page_a.locator("#round-title")).to_have_text("Round 2 of 2", timeout=LIVE_TIMEOUT_MS)
    # Round 2 was re-planned without the absent person: A's card shows what is stored now.
    with Session(engine, expire_on_commit=False) as db:
        event = db.get(Event, event_id)
        assert event is not None
        now_round2 = [p for p in contacts_service.placements(db, event) if p.round == 2]
    assert all(absent_one.id not in p.members for p in now_round2)
    mates = [m for p in now_round2 if a_id in p.members for m in p.members if m != a_id]
    if mates:
        expect(page_a.locator("#room-card")).to_contain_text(people[mates[0]].name)
    else:
        expect(page_a.locator("#round-area")).to_contain_text("You sit out this round")

    # +1 minute and pause reach the participants (an 8-minute round shows 8:xx after +1).
    org.get_by_role("button", name="+1 minute").click()
    expect(page_a.locator("#countdown")).to_have_text(re.compile(r"^(8|9):\d\d$"))
    expect(org.get_by_role("button", name="Pause")).to_be_enabled()
    org.get_by_role("button", name="Pause").click()
    expect(page_b.locator("#round-area")).to_contain_text("Gepauzeerd", timeout=LIVE_TIMEOUT_MS)
    expect(org.get_by_role("button", name="Resume")).to_be_enabled()
    org.get_by_role("button", name="Resume").click()
    expect(page_b.locator("#round-area")).to_contain_text(
        "Resterende tijd", timeout=LIVE_TIMEOUT_MS
    )

    # After meeting in round 1 both agree to share: each sees the other under "my contacts".
    # The question appeared by itself when the round ended (no reload).
    for page, other, yes, save in (
        (page_a, b, "Yes", "Save my answer about"),
        (page_b, a, "Ja", "Mijn antwoord over"),
    ):
        form = page.locator(f"#met-{other.id}")
        form.get_by_label(yes, exact=True).check()
        form.get_by_role("button", name=save).click()
        expect(page.locator(f"#met-{other.id} [role=status]")).to_be_visible()
    page_a.get_by_role("button", name="Refresh my contacts").click()
    expect(page_a.locator(f'[data-contact="{b.id}"]')).to_contain_text(b.email)
    expect(page_b.locator(f'[data-contact="{a.id}"]')).to_contain_text(a.email)
    assert_accessible(page_a)
    assert_accessible(page_b)

    for ctx in (org_ctx, others_ctx, ctx_a, ctx_b):
        ctx.close()
    engine.dispose()


def test_organiser_moves_someone_to_another_room_during_a_round(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    ready = prepare_event(browser, live_server, tmp_path)
    ready.engine.dispose()
    org, org_ctx, links, people, rooms = (
        ready.org,
        ready.org_ctx,
        ready.links,
        ready.people,
        ready.round_one,
    )
    assert len(rooms) == 2
    mover, stayer = rooms[0].members
    others = rooms[1].members

    contexts = [org_ctx]
    pages = {}
    for pid, link in links.items():
        assert pid is not None
        contexts.append(new_context(browser, live_server))  # one browser per person
        pages[pid] = contexts[-1].new_page()
        pages[pid].goto(link)
        expect(pages[pid].locator("#conn")).to_have_attribute(
            "data-state", "connected", timeout=LIVE_TIMEOUT_MS
        )
    org.get_by_role("link", name="Live").click()
    expect(org.get_by_role("button", name="Move", exact=True)).to_be_disabled()
    org.get_by_role("button", name="Start next round").click()
    expect(pages[mover].locator("#room-card")).to_contain_text(
        people[stayer].name, timeout=LIVE_TIMEOUT_MS
    )

    # The organiser picks who and where; both rooms see the change without reloading.
    org.get_by_label("Who", exact=True).select_option(value=mover)
    org.get_by_label("To room", exact=True).select_option(value=str(rooms[1].room))
    org.get_by_role("button", name="Move", exact=True).click()
    # Four people in rooms of two: the move leaves someone alone, and the organiser is told so.
    expect(org.locator("#org-action-status")).to_contain_text(
        f"Moved, but a rule is now broken: round 1, room {rooms[0].room}: 1 person"
    )
    for pid in others:
        expect(pages[mover].locator("#room-card")).to_contain_text(people[pid].name)
        expect(pages[pid].locator("#room-card")).to_contain_text(people[mover].name)
    expect(pages[mover].locator("#room-card")).not_to_contain_text(people[stayer].name)
    expect(org.locator(f'#org-rooms tr[data-room="{rooms[1].room}"]')).to_contain_text(
        people[mover].name
    )
    assert_accessible(org)
    for ctx in contexts:
        ctx.close()
