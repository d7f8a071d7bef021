"""Schedule review: generate, rounds x rooms table, heatmap with numbers, re-validated swaps."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.contacts import service as contacts_service
from app.models import Event, Organiser, Participant
from tests.factories import make_event
from tests.web.test_organiser_pages import sign_in

ROWS = [
    ("n1", "Lieke de Vries", "NL", "primary", "nl;en"),
    ("n2", "Pieter Jansen", "NL", "secondary", "nl;en"),
    ("d1", "Søren Holm", "DK", "primary", "da;en"),
    ("d2", "Mette Ørsted", "DK", "specialised", "da;en"),
    ("p1", "Inês Marques", "PT", "specialised", "pt;en"),
    ("p2", "João Silva", "PT", "secondary", "pt;en"),
]


def csv_text() -> str:
    lines = ["id,name,email,school,country,sector,languages,interests,programmes,requests,avoid"]
    for pid, name, country, sector, langs in ROWS:
        lines.append(
            f"{pid},{name},{pid}@school.example,School {pid},{country},{sector},{langs},"
            "inclusion;stem,etwinning,,"
        )
    return "\n".join(lines) + "\n"


def scheduled_event(web: TestClient, db: Session) -> str:
    organiser = db.get(Organiser, sign_in(web, db))
    assert organiser is not None
    event_id = make_event(db, organiser, rounds=2, name="Heatmap day").id
    web.post(
        f"/organiser/events/{event_id}/participants/import",
        files={"file": ("p.csv", csv_text().encode(), "text/csv")},
    )
    return event_id


def test_generate_then_review_table_heatmap_and_score(web: TestClient, db: Session) -> None:
    event_id = scheduled_event(web, db)
    empty = web.get(f"/organiser/events/{event_id}/schedule")
    assert "No schedule yet." in empty.text
    page = web.post(f"/organiser/events/{event_id}/schedule/generate")
    assert page.status_code == 200
    assert "The schedule is ready." in page.text
    assert 'id="score-bound"' in page.text
    assert "Round 2" in page.text
    # Two rounds of three rooms of two, all from different countries: 6 meetings.
    assert "6 meetings in total" in page.text
    svg = page.text[page.text.index("<svg") : page.text.index("</svg>")]
    assert svg.count("<rect") == 9  # 3 countries x 3 countries
    numbers = [int(n) for n in re.findall(r'fill="#[0-9a-f]{6}">(\d+)</text>', svg)]
    assert sum(numbers) == 12  # each meeting appears in two symmetric cells
    assert "Mette Ørsted" in page.text


def test_swap_that_breaks_a_rule_is_refused_with_the_reason(web: TestClient, db: Session) -> None:
    event_id = scheduled_event(web, db)
    web.post(f"/organiser/events/{event_id}/schedule/generate")
    people = {p.external_id: p for p in db.exec(select(Participant)).all()}
    page = web.get(f"/organiser/events/{event_id}/schedule").text
    # Find Lieke's room-mate in round 1 and swap that person with Pieter (also Dutch):
    # Lieke would then share a room with a compatriot.
    lieke, pieter = people["n1"], people["n2"]
    event = db.get(Event, event_id)
    assert event is not None
    room = next(
        p for p in contacts_service.placements(db, event) if p.round == 1 and lieke.id in p.members
    )
    mate = next(m for m in room.members if m != lieke.id)
    refused = web.post(
        f"/organiser/events/{event_id}/schedule/change",
        data={"round": "1", "a": mate, "b": pieter.id},
    )
    assert refused.status_code == 422
    assert "nothing was changed" in refused.text
    assert 'id="schedule-error"' in refused.text
    assert "Heatmap day" in page
    # The page names its own tick box, not the API's parameter.
    said = html.unescape(refused.text)
    assert "send force=true" not in said
    assert 'To keep it anyway, tick "Keep the change even if it breaks a rule"' in said


def test_pin_keeps_two_people_apart_and_can_be_removed(web: TestClient, db: Session) -> None:
    event_id = scheduled_event(web, db)
    web.post(f"/organiser/events/{event_id}/schedule/generate")
    people = {p.external_id: p for p in db.exec(select(Participant)).all()}
    lieke, mette = people["n1"], people["d2"]
    page = web.post(
        f"/organiser/events/{event_id}/schedule/pins",
        data={"a": lieke.id, "b": mette.id, "together": "no"},
    )
    assert page.status_code == 200
    assert "Lieke de Vries never shares a room with Mette Ørsted" in page.text
    event = db.get(Event, event_id)
    assert event is not None
    db.expire_all()
    placed = contacts_service.placements(db, event)
    assert placed
    assert not any({lieke.id, mette.id} <= set(p.members) for p in placed)
    removed = web.post(f"/organiser/events/{event_id}/schedule/pins", data={"remove": "0"})
    assert "never shares a room with Mette" not in removed.text
    same = web.post(
        f"/organiser/events/{event_id}/schedule/pins", data={"a": lieke.id, "b": lieke.id}
    )
    assert same.status_code == 422
    assert "two different people" in same.text


def test_a_pin_the_planner_cannot_honour_never_shows_a_bare_500(
    web: TestClient, db: Session
) -> None:
    event_id = scheduled_event(web, db)
    web.post(f"/organiser/events/{event_id}/schedule/generate")
    people = {p.external_id: p for p in db.exec(select(Participant)).all()}
    page = web.post(
        f"/organiser/events/{event_id}/schedule/pins",
        data={"a": people["n1"].id, "b": people["d2"].id, "together": "yes"},
    )
    # Either the planner honours the pin, or the organiser reads why nothing changed.
    assert page.headers["content-type"].startswith("text/html")
    if page.status_code == 200:
        assert "Lieke de Vries meets Mette Ørsted" in page.text
    else:
        assert 'id="schedule-error"' in page.text
        assert "nothing was changed" in page.text


def test_a_room_number_too_long_is_told_on_the_page(web: TestClient, db: Session) -> None:
    event_id = scheduled_event(web, db)
    web.post(f"/organiser/events/{event_id}/schedule/generate")
    lieke = next(p for p in db.exec(select(Participant)).all() if p.external_id == "n1")
    page = web.post(
        f"/organiser/events/{event_id}/schedule/change",
        data={"round": "1", "a": lieke.id, "room": "12345"},
    )
    assert page.headers["content-type"].startswith("text/html")  # not FastAPI's JSON
    assert page.status_code == 422
    assert 'id="schedule-error"' in page.text
    assert "Round 1 has no room 12345." in page.text
    assert 'value="12345"' in page.text  # what was typed is kept


def test_a_swap_with_a_room_typed_too_asks_for_one_of_them(web: TestClient, db: Session) -> None:
    event_id = scheduled_event(web, db)
    web.post(f"/organiser/events/{event_id}/schedule/generate")
    people = {p.external_id: p for p in db.exec(select(Participant)).all()}
    before = web.get(f"/organiser/events/{event_id}/schedule").text
    page = web.post(
        f"/organiser/events/{event_id}/schedule/change",
        data={"round": "1", "a": people["n1"].id, "b": people["d1"].id, "room": "0"},
    )
    assert page.status_code == 422
    assert "Choose a person to swap with or a room to move to, not both." in page.text
    rooms = re.compile(r'<table class="schedule-table">.*?</table>', re.S)
    assert rooms.findall(page.text) == rooms.findall(before)  # nobody moved


def test_a_valid_change_is_not_called_a_rule_break_when_an_earlier_one_was(
    web: TestClient, db: Session
) -> None:
    event_id = scheduled_event(web, db)
    web.post(f"/organiser/events/{event_id}/schedule/generate")
    event = db.get(Event, event_id)
    assert event is not None
    people = {p.external_id: p for p in db.exec(select(Participant)).all()}
    lieke, pieter = people["n1"], people["n2"]
    room = next(
        p for p in contacts_service.placements(db, event) if p.round == 1 and lieke.id in p.members
    )
    mate = next(m for m in room.members if m != lieke.id)
    url = f"/organiser/events/{event_id}/schedule/change"
    # Round 1: Lieke with Pieter, both Dutch, kept anyway: the plan now carries a warning.
    kept = web.post(url, data={"round": "1", "a": mate, "b": pieter.id, "force": "yes"})
    assert "Changed, although it breaks a rule" in kept.text
    # Round 2: the two Dutch swap rooms; they met in round 1 and nobody else meets again.
    valid = web.post(url, data={"round": "2", "a": lieke.id, "b": pieter.id})
    assert valid.status_code == 200
    assert "Changed. This change breaks no rule" in valid.text
    assert "although it breaks a rule" not in valid.text
    # The same with "keep anyway" ticked: ticking it does not make a valid change a break.
    back = web.post(url, data={"round": "2", "a": lieke.id, "b": pieter.id, "force": "yes"})
    assert "Changed. This change breaks no rule" in back.text
    assert "although it breaks a rule" not in back.text
