"""The room card's "Why you were matched" is in the page's language: the same facts the planner
explained in English (matching.explain), worded again, on the server-rendered card and in
participant.js's (which looks up the English text the socket sends)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

import matching
from app.models import Participant, Room, RoomMember, Round
from app.schedule.convert import to_people
from app.web import i18n
from app.web.why import MOVED, card_words
from tests.web.conftest import Seated, seat_event
from tests.web.test_participant_live_state import live_config, start_round_one

WHY = re.compile(r'<p class="why"><strong>[^<]*</strong> <span>([^<]*)</span></p>')


def explained_event(db: Session) -> Seated:
    """Six people (me = people[0]): with people[1] in round 1, people[2] in round 2, both from
    Germany; each stored why written by matching.explain, as the planner writes it."""
    seated = seat_event(db, n=6)
    me, first, second = seated.people[:3]
    for person, country, sector, interests in (
        (me, "NL", "specialised", ["inclusion", "outdoor-learning", "stem"]),
        (first, "DE", "specialised", ["inclusion", "outdoor-learning"]),
        (second, "DE", "secondary", ["arts"]),
    ):
        person.country, person.sector, person.interests = country, sector, interests
        person.languages, person.programmes, person.requests = ["en"], ["erasmus+"], []
        db.add(person)
    first.requests = [me.external_id]  # first asked to meet me
    db.commit()
    people = db.exec(select(Participant).where(Participant.event_id == seated.event.id)).all()
    by_id = {p.id: p for p in to_people(list(people))}
    met: dict[str, set[str]] = {p: set() for p in by_id}
    for number in (1, 2):
        rows = db.exec(
            select(RoomMember, Room.id)
            .join(Room, Room.id == RoomMember.room_id)  # type: ignore[arg-type]
            .join(Round, Round.id == Room.round_id)  # type: ignore[arg-type]
            .where(Round.event_id == seated.event.id, Round.number == number)
        ).all()
        rooms: dict[str, list[str]] = {}
        for member, room_id in rows:
            rooms.setdefault(room_id, []).append(member.participant_id)
        for member, room_id in rows:
            mates = [by_id[m] for m in rooms[room_id] if m != member.participant_id]
            member.why = matching.explain(
                by_id[member.participant_id], mates, met[member.participant_id]
            )
            db.add(member)
        for member, room_id in rows:
            met[member.participant_id] |= {by_id[m].country for m in rooms[room_id]} - {
                by_id[member.participant_id].country
            }
    db.commit()
    return seated


def card_why(html: str) -> str:
    found = WHY.search(html)
    assert found is not None, "no why on the room card"
    return found.group(1).replace("&#39;", "'").replace("&amp;", "&")


def test_english_card_says_what_the_planner_explained(web: TestClient, db: Session) -> None:
    seated = explained_event(db)
    me, first, second = seated.people[:3]
    start_round_one(db, seated)
    html = web.get(f"/p/{seated.tokens[me.id]}?lang=en").text
    expected = (
        "both specialised schools; shared: inclusion, outdoor-learning; same programme: erasmus+; "
        f"{first.name} asked to meet you; first meeting with Germany"
    )
    planner = to_people([me, first, second])
    assert matching.explain(planner[0], [planner[1]], set()) == expected
    assert card_why(html) == expected
    # The state carries the facts behind it: participant.js words them as the card does.
    state = live_config(html)["state"]
    assert isinstance(state, dict)
    assert card_words(state["why"], state["why_facts"], "en") == expected


def test_dutch_card_says_it_in_dutch(web: TestClient, db: Session) -> None:
    seated = explained_event(db)
    me, first = seated.people[:2]
    start_round_one(db, seated)
    html = web.get(f"/p/{seated.tokens[me.id]}?lang=nl").text
    why = card_why(html)
    nl = i18n.translations("nl").gettext
    # Tags as typed, the name as written, the country in Dutch.
    assert why.startswith(nl("both specialised schools") + "; ")
    assert "inclusion, outdoor-learning" in why
    assert "erasmus+" in why
    assert nl("{name} asked to meet you").replace("{name}", first.name) in why
    assert why.endswith(nl("first meeting with {countries}").replace("{countries}", "Duitsland"))
    # participant.js words the facts the socket sends with the English text the same way.
    state = live_config(html)["state"]
    assert isinstance(state, dict)
    assert state["why_facts"]["new_countries"] == ["DE"]
    words = live_config(html)["why"]
    assert isinstance(words, dict)
    assert words["countries"]["DE"] == "Duitsland"
    # Once the lead has translated the new texts (tests/web/test_i18n.py lists them):
    assert "first meeting with" not in why
    assert "asked to meet you" not in why


def test_moved_by_the_organiser_is_in_dutch(web: TestClient, db: Session) -> None:
    seated = explained_event(db)
    me = seated.people[0]
    member = db.exec(select(RoomMember).where(RoomMember.participant_id == me.id)).first()
    assert member is not None
    member.why = MOVED
    db.add(member)
    db.commit()
    start_round_one(db, seated)
    html = web.get(f"/p/{seated.tokens[me.id]}?lang=nl").text
    words = live_config(html)["why"]
    assert isinstance(words, dict)
    assert words["moved"] == i18n.translations("nl").gettext(MOVED)
    assert card_why(html) == words["moved"]
    assert card_why(html) != MOVED  # once translated
