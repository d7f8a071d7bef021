"""The organiser's live page counts one person in the singular: "1 person has never opened
their page", "… of 1 participant connected"."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Dialog, expect
from sqlmodel import Session, select

from app.db import make_engine
from app.models import AttendanceStatus, Participant
from tests.fixtures.live_server import LiveServer
from tests.web.conftest import seat_event
from tests.web.test_browser_live_controls import signed_in_live_page

pytestmark = pytest.mark.browser


def test_one_person_who_never_opened_their_page_is_one_person(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        seated = seat_event(db, n=4)
        people = db.exec(select(Participant).where(Participant.event_id == seated.event.id)).all()
        for person in people[1:]:
            person.attendance = AttendanceStatus.PRESENT  # opened it earlier
            db.add(person)
        db.commit()
    engine.dispose()
    page = signed_in_live_page(browser, live_server, seated.organiser.email, seated.event.id)
    expect(page.locator("#org-presence-count")).to_have_text("0 of 4 participants connected")
    asked: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Start next round").click()
    expect(page.get_by_role("button", name="Start next round")).to_be_enabled()
    assert len(asked) == 1
    assert asked[0].startswith("1 person has never opened their page. If you start now,")


def test_an_event_of_one_counts_one_participant(browser: Browser, live_server: LiveServer) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        seated = seat_event(db, n=1)
    engine.dispose()
    page = signed_in_live_page(browser, live_server, seated.organiser.email, seated.event.id)
    expect(page.locator("#org-presence-count")).to_have_text("0 of 1 participant connected")
