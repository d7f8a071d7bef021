"""The schedule page words each rule break itself, from the planner's structured break: people by
name, countries by their name in the page's language, the texts through the page's catalog. The
API keeps the planner's English text with ids."""

from __future__ import annotations

import html
from io import BytesIO

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations
from fastapi.testclient import TestClient
from sqlmodel import Session, select

import matching
from app.contacts import service as contacts_service
from app.models import Event, Participant
from app.web import rule_words
from app.web.strings import country_name
from tests.web.test_schedule_pages import scheduled_event


def _planned(web: TestClient, db: Session) -> tuple[Event, dict[str, Participant]]:
    event_id = scheduled_event(web, db)
    assert web.post(f"/organiser/events/{event_id}/schedule/generate").status_code == 200
    db.expire_all()
    event = db.get(Event, event_id)
    assert event is not None
    return event, {p.external_id: p for p in db.exec(select(Participant)).all()}


def _mates(db: Session, event: Event, number: int) -> tuple[int, list[str]]:
    """A room of round `number` and who sits in it."""
    placed = next(p for p in contacts_service.placements(db, event) if p.round == number)
    return placed.room, sorted(placed.members)


def _page(web: TestClient, event: Event, lang: str = "en") -> str:
    return html.unescape(web.get(f"/organiser/events/{event.id}/schedule?lang={lang}").text)


def test_a_break_since_the_plan_names_people_and_says_the_rule(
    web: TestClient, db: Session
) -> None:
    event, _ = _planned(web, db)
    room, (a_id, b_id) = _mates(db, event, 1)
    a, b = db.get(Participant, a_id), db.get(Participant, b_id)
    assert a is not None
    assert b is not None
    b.school = a.school  # corrected after the plan: the pair now breaks H1
    db.add(b)
    db.commit()
    page = _page(web, event)
    assert "This plan no longer fits the event: " in page
    said = [f"{x.name} and {y.name} are from the same school" for x, y in ((a, b), (b, a))]
    assert any(f"round 1, room {room}: {text}" in page for text in said)
    assert ": same school" not in page  # the planner's English, with ids, is the API's


def test_a_kept_break_is_worded_in_the_page_language(web: TestClient, db: Session) -> None:
    event, people = _planned(web, db)
    lieke, pieter = people["n1"], people["n2"]
    room, members = next(
        (p.room, p.members)
        for p in contacts_service.placements(db, event)
        if p.round == 1 and lieke.id in p.members
    )
    mate = next(m for m in members if m != lieke.id)
    kept = web.post(
        f"/organiser/events/{event.id}/schedule/change",
        data={"round": "1", "a": mate, "b": pieter.id, "force": "yes"},
    )
    assert kept.status_code == 200
    stored = f"round 1, room {room}: 2 people from NL, at most 1 allowed"
    api = web.get(f"/api/v1/events/{event.id}/schedule").json()
    assert stored in api["warnings"]  # stored and sent as the planner says it
    english = _page(web, event)
    assert f"round 1, room {room}: 2 people from Netherlands, at most 1 allowed" in english
    assert stored not in english
    german = _page(web, event, "de")
    said = f"Runde 1, Raum {room}: 2 Personen aus {country_name('NL', 'de')}, höchstens 1 erlaubt"
    assert said in german


def _catalog(entries: dict[str | tuple[str, str], str | tuple[str, str]]) -> Translations:
    catalog = Catalog(locale="nl")
    for msgid, text in entries.items():
        catalog.add(msgid, text)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def test_the_words_come_from_the_catalog() -> None:
    """Every text of a break goes through the page's catalog, plurals by their number."""
    dutch = _catalog(
        {
            "round %(round)s, room %(room)s: %(problem)s": "ronde %(round)s, kamer %(room)s: "
            "%(problem)s",
            "%(a)s and %(b)s are from the same school": "%(a)s en %(b)s zitten op dezelfde school",
            (
                "%(num)s person from %(country)s, at most %(cap)s allowed",
                "%(num)s people from %(country)s, at most %(cap)s allowed",
            ): (
                "%(num)s persoon uit %(country)s, hooguit %(cap)s toegestaan",
                "%(num)s personen uit %(country)s, hooguit %(cap)s toegestaan",
            ),
        }
    )
    names = {"a1": "Lieke de Vries", "b2": "Søren Holm"}
    school = matching.Violation(
        matching.ViolationKind.SAME_SCHOOL, round=2, room=3, people=("a1", "b2")
    )
    said = rule_words.words(school, "nl", names.__getitem__, translations=dutch)
    assert said == "ronde 2, kamer 3: Lieke de Vries en Søren Holm zitten op dezelfde school"
    cap = matching.Violation(
        matching.ViolationKind.COUNTRY_CAP, round=1, room=2, count=3, limit=1, country="DE"
    )
    said = rule_words.words(cap, "nl", names.__getitem__, translations=dutch)
    assert said == "ronde 1, kamer 2: 3 personen uit Duitsland, hooguit 1 toegestaan"


def test_a_pin_the_planner_could_not_keep_is_worded_and_other_warnings_are_left() -> None:
    unmet = matching.Violation(matching.ViolationKind.PIN_MUST, people=("a1", "b2"))
    kept = {unmet.text: unmet}
    names = {"a1": "Lieke de Vries", "b2": "Søren Holm"}.__getitem__
    said = rule_words.warning_words(f"not kept: {unmet.text}", kept, "en", names)
    assert said == "not kept: pin: Lieke de Vries and Søren Holm must meet, but never do"
    assert rule_words.warning_words("some other warning", kept, "en", names) is None
