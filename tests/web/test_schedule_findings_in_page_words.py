"""The schedule page words the planner's feasibility findings (who cannot be placed and why, who
must sit out every round) itself, from the structured findings: countries and languages by their
name in the page's language, each finding once. The API keeps the planner's English text. A
sit-out no finding explains gets its own sentence, from the round's rooms."""

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
from app.models import Event, Organiser, Participant
from app.web import finding_words
from app.web.strings import country_name, language_name
from tests.factories import make_event
from tests.web.test_organiser_pages import sign_in

# Five from the Netherlands among nine who can be placed: rooms of 2 with one per country seat
# eight, so one sits out every round. Ana speaks only Swahili: nobody can share a room with her.
ROWS = [
    ("n1", "Lieke de Vries", "NL", "nl;en"),
    ("n2", "Pieter Jansen", "NL", "nl;en"),
    ("n3", "Sanne Bakker", "NL", "nl;en"),
    ("n4", "Daan Visser", "NL", "nl;en"),
    ("n5", "Emma Smit", "NL", "nl;en"),
    ("d1", "Søren Holm", "DK", "da;en"),
    ("d2", "Mette Ørsted", "DK", "da;en"),
    ("p1", "Inês Marques", "PT", "pt;en"),
    ("p2", "João Silva", "PT", "pt;en"),
    ("k1", "Ana Wanjiru", "KE", "sw"),
]


def _planned(web: TestClient, db: Session, rows: list[tuple[str, str, str, str]]) -> Event:
    organiser = db.get(Organiser, sign_in(web, db))
    assert organiser is not None
    event = make_event(db, organiser, rounds=2, room_size=2, name="Findings day")
    lines = ["id,name,email,school,country,sector,languages,interests,programmes,requests,avoid"]
    lines += [
        f"{pid},{name},{pid}@school.example,School {pid},{country},primary,{langs},stem,,,"
        for pid, name, country, langs in rows
    ]
    imported = web.post(
        f"/organiser/events/{event.id}/participants/import",
        files={"file": ("p.csv", ("\n".join(lines) + "\n").encode(), "text/csv")},
    )
    assert imported.status_code in (200, 303)
    assert web.post(f"/organiser/events/{event.id}/schedule/generate").status_code == 200
    db.expire_all()
    return event


def _page(web: TestClient, event: Event, lang: str = "en") -> str:
    return html.unescape(web.get(f"/organiser/events/{event.id}/schedule?lang={lang}").text)


def test_findings_are_worded_in_the_page_language_once(web: TestClient, db: Session) -> None:
    event = _planned(web, db, ROWS)
    api = web.get(f"/api/v1/events/{event.id}/schedule").json()
    share = (
        "1 participant must sit out in every round (not always the same: sit-outs rotate): "
        "the Netherlands has 5 of 9 people and rooms of 2 allow at most 1 per country"
    )
    assert share in api["warnings"]  # stored and sent as the planner says it
    ana = next(p for p in db.exec(select(Participant)).all() if p.external_id == "k1")
    assert {"participant_id": ana.id, "reason": "nobody else speaks sw"} in api["unplaceable"]
    german = _page(web, event, "de")
    assert share not in german
    assert "nobody else speaks sw" not in german
    assert "the Netherlands has" not in german
    assert f"{country_name('NL', 'de')} hat 5 von 9 Personen" in german
    assert german.count(f"{country_name('NL', 'de')} hat 5 von 9 Personen") == 1
    assert f"Ana Wanjiru: niemand sonst spricht {language_name('sw', 'de')}" in german
    assert "max_per_country" not in german
    english = _page(web, event)
    assert "Netherlands has 5 of 9 people" in english
    # Each round's sit-out from the Netherlands is the one the finding announces: no sentence.
    assert 'id="sit-out-reasons"' not in english


def test_a_sit_out_no_finding_explains_is_said_per_person_and_round(
    web: TestClient, db: Session
) -> None:
    # Seven from four countries: rooms of 2 and one of 3 seat everyone, so nobody sits out.
    rows = [r for r in ROWS if r[0] in {"n1", "n2", "d1", "d2", "p1", "p2"}]
    event = _planned(web, db, [*rows, ("e1", "Lucía García", "ES", "es;en")])
    assert 'id="sit-out-reasons"' not in _page(web, event)
    trio = next(
        p for p in contacts_service.placements(db, event) if p.round == 1 and len(p.members) == 3
    )
    leaving = trio.members[0]
    moved = web.post(
        f"/organiser/events/{event.id}/schedule/change",
        data={"round": "1", "a": leaving, "room": "0"},
    )
    assert moved.status_code == 200
    name = db.get(Participant, leaving)
    assert name is not None
    page = _page(web, event)
    assert 'id="sit-out-reasons"' in page
    assert f"{name.name} sits out in round 1, although room" in page
    assert "could take them without breaking a rule" in page


def test_the_words_come_from_the_catalog() -> None:
    catalog = Catalog(locale="nl")
    catalog.add("nobody else speaks %(languages)s", "niemand anders spreekt %(languages)s")
    catalog.add(
        "%(name)s sits out in round %(round)s: no room that round could take them without "
        "breaking a rule (country, school, language, avoid or meeting twice)",
        "%(name)s zit ronde %(round)s over: geen kamer kon hen die ronde nemen zonder een regel "
        "te breken (land, school, taal, vermijden of elkaar twee keer ontmoeten)",
    )
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    dutch = Translations(compiled)
    names = {"k1": "Ana Wanjiru"}.__getitem__
    lonely = matching.Finding(
        matching.FindingKind.NOBODY_SPEAKS, ("k1",), 2, languages=("de", "sw")
    )
    said = finding_words.words(lonely, "nl", names, translations=dutch)
    assert said == "niemand anders spreekt Duits of Swahili"
    out = matching.SitOut("k1", 2, matching.SitOutReason.NO_ROOM)
    said = finding_words.sit_out_words(out, "nl", names, translations=dutch)
    assert said.startswith("Ana Wanjiru zit ronde 2 over: geen kamer")
