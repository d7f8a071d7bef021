"""A participant on a phone (320 px, or 640 px at 200 % zoom) reads "my contacts" and the
"people you met" forms without scrolling sideways, however long an e-mail address or name is."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import Session

from app.db import make_engine
from app.models import ContactDecision
from tests.fixtures.live_server import LiveServer
from tests.web.conftest import seat_event

pytestmark = pytest.mark.browser

LONG_EMAIL = "maria.vandenberghe-vanderstraeten@basisschooldeklimopsintniklaasvanwaas.be"
LONG_NAME = "Maria Vandenberghe-Vanderstraeten-Koninklijkebasisschooldeklimop"


def test_long_contact_details_fit_a_phone_screen(browser: Browser, live_server: LiveServer) -> None:
    engine = make_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as db:
        seated = seat_event(db, n=4, started_rounds=1)  # people 0 and 1 met in round 1
        me, other = seated.people[0], seated.people[1]
        other.name, other.email, other.share_fields = LONG_NAME, LONG_EMAIL, ["email", "school"]
        db.add(other)
        for a, b in ((me, other), (other, me)):
            db.add(
                ContactDecision(
                    event_id=seated.event.id,
                    from_participant_id=a.id,
                    to_participant_id=b.id,
                    round_number=1,
                    share=True,
                    met=True,
                )
            )
        db.commit()
    engine.dispose()
    context = browser.new_context(
        base_url=live_server.base_url, viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    page.goto(f"/p/{seated.tokens[me.id]}")
    expect(page.get_by_role("link", name=LONG_EMAIL)).to_be_visible()
    expect(page.get_by_role("button", name=f"Save my answer about {LONG_NAME}")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    context.close()
