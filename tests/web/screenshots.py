"""Screenshots of the main pages for the README: `scripts/screenshots` (writes docs/screenshots/).

Starts a real uvicorn on a temporary SQLite file, seeds a 24-person event through the services,
then drives Debian's headless Chromium through the organiser's and participants' pages.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import datetime
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from app import audit
from app.db import make_engine
from app.events import service as event_service
from app.models import AttendanceStatus, Event, EventPhase, Participant
from app.organisers import service as organiser_service
from matching import write_participants_csv
from matching.generate import generate_participants
from tests.fixtures.database import migrated_sqlite
from tests.fixtures.live_server import LiveServer
from tests.web.browser import ROOT, chromium

EMAIL, PASSWORD = "ines@agency.example", "screenshots only 2026"
BAD_CSV = (
    "id,name,email,school,country,sector,languages,interests,programmes,requests,avoid\n"
    "a1,Inês Marques,ines@escola.pt,Escola Básica do Sol,PT,specialised,pt;en,inclusion,ka2,,\n"
    "a2,Søren Holm,soren@skole,Nørre Skole,XX,primary,da;en,stem,etwinning,,\n"
    "a3,Jürgen Bäcker,juergen@schule.de,Grundschule Am See,DE,kindergarten,de;en,stem,,,\n"
)


def seed(database_url: str, workdir: Path) -> tuple[str, str]:
    """Organiser, event and 24 generated participants; returns (event id, people CSV path)."""
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as session:
        organiser = organiser_service.create_organiser(
            session, email=EMAIL, name="Inês", password=PASSWORD
        )
        event = event_service.create_event(
            session,
            organiser=organiser,
            data={
                "name": "Inclusive schools partner-finding day",
                "starts_at": datetime(2026, 6, 12, 10, 0),
                "timezone": "Europe/Brussels",
                "rounds": 4,
                "room_link_template": "https://meet.jit.si/speedmatch-{event}-r{round}-{room}",
            },
        )
        event_service.transition(
            session, event=event, to=EventPhase.OPEN, actor=audit.actor_for(organiser)
        )
        event_id = event.id
    engine.dispose()
    csv_path = workdir / "participants.csv"
    csv_path.write_text(write_participants_csv(generate_participants(24, seed=3)), encoding="utf-8")
    return event_id, str(csv_path)


def everyone_present(database_url: str, event_id: str) -> None:
    # Only two participant pages are open in the browser: count the others as present so the
    # round starts with the stored plan instead of a no-show re-plan.
    engine = make_engine(database_url)
    with Session(engine) as session:
        for person in session.exec(select(Participant).where(Participant.event_id == event_id)):
            person.attendance = AttendanceStatus.PRESENT
            session.add(person)
        session.commit()
    engine.dispose()


def shoot(page: Page, out: Path, name: str, *, full: bool = True) -> None:
    page.wait_for_timeout(300)
    page.screenshot(path=str(out / f"{name}.png"), full_page=full)
    print(f"wrote {out / name}.png")  # noqa: T201


def run(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        server = LiveServer(migrated_sqlite(workdir / "shots.sqlite3"), workdir)
        event_id, csv_path = seed(server.database_url, workdir)
        server.start()
        try:
            with chromium() as browser:
                _tour(browser, server, event_id, csv_path, out, workdir)
        finally:
            server.stop()


def _tour(browser, server, event_id, csv_path, out, workdir) -> None:  # type: ignore[no-untyped-def]
    base = f"/organiser/events/{event_id}"
    ctx = browser.new_context(base_url=server.base_url, viewport={"width": 1200, "height": 900})
    org = ctx.new_page()
    org.goto("/")
    shoot(org, out, "home")
    org.goto("/organiser/sign-in")
    org.get_by_label("E-mail address").fill(EMAIL)
    org.get_by_label("Password").fill(PASSWORD)
    org.get_by_role("button", name="Sign in").click()
    shoot(org, out, "organiser-events")

    org.goto(base)
    shoot(org, out, "event", full=False)
    # While registration is still open (generating the plan closes it).
    engine = make_engine(server.database_url)
    with Session(engine) as session:
        event = session.get(Event, event_id)
        assert event is not None
        slug = event.registration_slug
    engine.dispose()
    visitor = browser.new_context(base_url=server.base_url, viewport={"width": 900, "height": 900})
    reg = visitor.new_page()
    reg.goto(f"/register/{slug}")
    shoot(reg, out, "registration")

    bad = workdir / "bad.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    org.goto(f"{base}/participants")
    org.get_by_label("CSV file (UTF-8)").set_input_files(str(bad))
    org.get_by_role("button", name="Import", exact=True).click()
    shoot(org, out, "participants-csv-errors")
    org.get_by_label("CSV file (UTF-8)").set_input_files(csv_path)
    org.get_by_role("button", name="Import", exact=True).click()
    expect(org.get_by_text("24 participants imported.")).to_be_visible()

    org.goto(f"{base}/schedule")
    org.get_by_role("button", name="Generate the schedule").click()
    expect(org.get_by_text("The schedule is ready.")).to_be_visible(timeout=120_000)
    shoot(org, out, "schedule")

    org.goto(f"{base}/links")
    org.get_by_role("button", name="Issue missing links", exact=True).click()
    links = {
        card.get_attribute("data-person"): card.locator("code.link").inner_text()
        for card in org.locator("li[data-person]").all()
    }
    shoot(org, out, "links", full=False)

    everyone_present(server.database_url, event_id)
    first, second = list(links.items())[:2]
    desk = browser.new_context(base_url=server.base_url, viewport={"width": 1000, "height": 900})
    phone = browser.new_context(
        base_url=server.base_url,
        viewport={"width": 320, "height": 720},
        locale="nl-NL",
        device_scale_factor=2,
    )
    page_a, page_b = desk.new_page(), phone.new_page()
    page_a.goto(str(first[1]))
    page_b.goto(str(second[1]))
    org.goto(f"{base}/live")
    expect(org.locator("#conn")).to_have_attribute("data-state", "connected")
    org.once("dialog", lambda dialog: dialog.accept())  # people who never opened their page
    org.get_by_role("button", name="Start next round").click()
    expect(page_a.locator("#room-card")).to_be_visible(timeout=15_000)
    expect(page_b.locator("#room-card")).to_be_visible(timeout=15_000)
    expect(org.locator("#org-rooms tr").first).to_be_visible()
    shoot(org, out, "organiser-live")
    shoot(page_a, out, "participant-round", full=False)
    shoot(page_b, out, "participant-phone-nl", full=False)
    org.get_by_role("button", name="End round").click()
    expect(page_a.locator("#round-title")).to_have_text("Round 1 has ended", timeout=15_000)
    page_a.reload()
    expect(page_a.locator("#round-title")).to_have_text("Round 1 has ended", timeout=15_000)
    form = page_a.locator("form[id^=met-]").first
    form.get_by_label("Yes", exact=True).check()
    shoot(page_a, out, "participant-after-round")
    for context in (ctx, visitor, desk, phone):
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    run(parser.parse_args().out)


if __name__ == "__main__":
    main()
