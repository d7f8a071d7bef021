"""Starting a round takes out everyone who never opened their page: the organiser is told how
many first, and can wait instead."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Dialog, expect
from sqlmodel import Session, select

from app.db import make_engine
from app.models import AttendanceStatus, Participant, Round, RoundStatus
from tests.fixtures.live_server import LiveServer
from tests.web.conftest import seat_event
from tests.web.test_browser_live_controls import signed_in_live_page

pytestmark = pytest.mark.browser


def round_1_status(database_url: str, event_id: str) -> RoundStatus:
    engine = make_engine(database_url)
    try:
        with Session(engine) as db:
            row = db.exec(select(Round).where(Round.event_id == event_id, Round.number == 1)).one()
            return row.status
    finally:
        engine.dispose()


def test_the_organiser_is_asked_before_a_start_leaves_no_shows_out(
    browser: Browser, live_server: LiveServer
) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        seated = seat_event(db, n=4)  # nobody has opened their page
        one = db.exec(select(Participant).where(Participant.event_id == seated.event.id)).first()
        assert one is not None
        one.attendance = AttendanceStatus.PRESENT  # opened it earlier
        db.add(one)
        db.commit()
    engine.dispose()
    page = signed_in_live_page(browser, live_server, seated.organiser.email, seated.event.id)
    asked: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="Start next round").click()
    expect(page.get_by_role("button", name="Start next round")).to_be_enabled()
    assert len(asked) == 1
    assert asked[0].startswith("3 people have never opened their page.")
    assert round_1_status(live_server.database_url, seated.event.id) == RoundStatus.PLANNED

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Start next round").click()
    expect(page.get_by_role("button", name="End round")).to_be_enabled()
    assert round_1_status(live_server.database_url, seated.event.id) == RoundStatus.RUNNING
