"""The schedule page tells the truth after people or settings change under a stored plan."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.contacts.privacy import erase_participant
from app.models import Event, EventPhase, Participant
from app.participants import service as participant_service
from app.participants.removal import remove_participant
from app.settings import get_settings
from tests.web.test_schedule_pages import scheduled_event

NO_FIT = "This plan no longer fits the event: "


def _planned(web: TestClient, db: Session) -> tuple[Event, dict[str, Participant]]:
    event_id = scheduled_event(web, db)
    assert web.post(f"/organiser/events/{event_id}/schedule/generate").status_code == 200
    event = db.get(Event, event_id)
    assert event is not None
    assert event.phase == EventPhase.SCHEDULED
    db.expire_all()
    return event, {p.external_id: p for p in db.exec(select(Participant)).all()}


def _page(web: TestClient, event: Event) -> str:
    return html.unescape(web.get(f"/organiser/events/{event.id}/schedule").text)


def test_an_erased_person_is_named_erased_and_their_seat_explained(
    web: TestClient, db: Session
) -> None:
    event, people = _planned(web, db)
    assert NO_FIT not in _page(web, event)
    erase_participant(db, people["n1"], actor="test")
    page = _page(web, event)
    assert "(erased)" in page
    assert "()" not in page  # no nameless seat with an empty country
    assert people["n1"].id not in page.replace(f'value="{people["n1"].id}"', "")
    # Going live is not refused for it: the first round start plans around erased people.
    assert "When the first round starts, the rounds are planned again without them" in page
    assert NO_FIT not in page


def test_a_pin_with_a_removed_person_names_no_raw_id(web: TestClient, db: Session) -> None:
    event, people = _planned(web, db)
    lieke, soren = people["n1"], people["d1"]
    web.post(
        f"/organiser/events/{event.id}/schedule/pins",
        data={"a": lieke.id, "b": soren.id, "together": "yes", "round": "2"},
    )
    db.expire_all()  # the pin re-planned the event in another session
    remove_participant(db, event=event, participant=soren, actor="test", settings=get_settings())
    page = _page(web, event)
    assert "Lieke de Vries meets (removed) (round 2)" in page
    assert not re.search(r"meets [0-9a-f]{16}", page)


def test_someone_added_after_the_plan_is_named_as_not_in_it(web: TestClient, db: Session) -> None:
    event, _ = _planned(web, db)
    assert "Not in the plan" not in _page(web, event)
    participant_service.add_participant(
        db,
        event=event,
        data={
            "name": "Anna Müller",
            "email": "anna@school.example",
            "school": "Schule",
            "country": "DE",
            "sector": "primary",
            "languages": ["de", "en"],
        },
        actor="test",
    )
    page = _page(web, event)
    assert "Not in the plan: Anna Müller (added after it was made)." in page
    web.post(f"/organiser/events/{event.id}/schedule/generate")
    assert "Not in the plan" not in _page(web, event)


def test_fewer_rounds_after_reopening_says_the_plan_is_out_of_date(
    web: TestClient, db: Session
) -> None:
    event, _ = _planned(web, db)
    event.phase = EventPhase.OPEN
    event.rounds = 1
    db.add(event)
    db.commit()
    page = _page(web, event)
    assert NO_FIT in page
    assert "the plan has 2 rounds" in page


def test_a_bigger_room_size_after_reopening_says_the_plan_is_out_of_date(
    web: TestClient, db: Session
) -> None:
    event, _ = _planned(web, db)
    assert NO_FIT not in _page(web, event)
    event.phase = EventPhase.OPEN
    event.room_size = event.room_size + 1
    db.add(event)
    db.commit()
    assert NO_FIT in _page(web, event)
