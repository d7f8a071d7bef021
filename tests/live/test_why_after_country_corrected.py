"""A country corrected while the event is live: the room cards of later views count it in
"first meeting with <country>" (the countries each met in the rounds played), as the planner
would. Who met whom before a round was kept per event and round, with the countries as first read,
so a page opened after the correction still said "first meeting with Portugal" to someone who
had, in fact, just met a Portuguese colleague."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, col, delete, select

from app.db import make_engine
from app.models import Participant, Room, RoomMember, Round
from tests.live.helpers import LiveEvent, create_live_event
from tests.web.test_participant_live_state import live_config

# Letter: country. Y meets X in round 1 and Z in round 2.
COUNTRIES = {"Y": "NL", "X": "DE", "Z": "PT", "W": "FR"}
ROUNDS = ((("Y", "X"), ("Z", "W")), (("Y", "Z"), ("X", "W")))


def seated(database_url: str) -> tuple[LiveEvent, dict[str, str]]:
    """Four people in the rooms of ROUNDS; returns the event and each letter's participant id."""
    live = create_live_event(database_url, len(COUNTRIES), rounds=len(ROUNDS))
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            people = session.exec(
                select(Participant)
                .where(Participant.event_id == live.event_id)
                .order_by(col(Participant.name))
            ).all()
            ids = {letter: p.id for letter, p in zip(COUNTRIES, people, strict=True)}
            for letter, person in zip(COUNTRIES, people, strict=True):
                person.country, person.sector = COUNTRIES[letter], "secondary"
                person.school = f"School {letter}"
                person.languages, person.interests, person.programmes = ["en"], [], []
                person.requests, person.avoid = [], []
                session.add(person)
            for row in session.exec(select(Round).where(Round.event_id == live.event_id)).all():
                old = session.exec(select(Room.id).where(Room.round_id == row.id)).all()
                session.exec(delete(RoomMember).where(col(RoomMember.room_id).in_(old)))
                session.exec(delete(Room).where(col(Room.round_id) == row.id))
                for number, letters in enumerate(ROUNDS[row.number - 1], start=1):
                    room = Room(round_id=row.id, number=number)
                    session.add(room)
                    session.flush()
                    for letter in letters:
                        session.add(
                            RoomMember(room_id=room.id, participant_id=ids[letter], why="-")
                        )
            session.commit()
    finally:
        engine.dispose()
    return live, ids


def new_countries(client: TestClient, token: str) -> list[str]:
    """The countries the participant page's room card counts as met for the first time."""
    page = client.get(f"/p/{token}")
    assert page.status_code == 200
    state = live_config(page.text)["state"]
    assert isinstance(state, dict)
    countries: list[str] = state["why_facts"]["new_countries"]
    return countries


def test_a_country_corrected_after_round_one_counts_in_the_next_views_facts(
    configured: str, client: TestClient
) -> None:
    live, ids = seated(configured)
    api = f"/api/v1/events/{live.event_id}"
    for action in ("start-round", "end-round", "start-round"):
        assert client.post(f"{api}/live/{action}", headers=live.headers()).status_code == 200
    # Round 2: Y (Netherlands) met X (Germany) in round 1 and now meets Z from Portugal.
    assert new_countries(client, live.tokens[ids["Y"]]) == ["PT"]

    # X's country was typed wrong: X is from Portugal too. Y has met Portugal already.
    corrected = client.patch(
        f"{api}/participants/{ids['X']}", headers=live.headers(), json={"country": "PT"}
    )
    assert corrected.status_code == 200
    assert new_countries(client, live.tokens[ids["Y"]]) == []
    # Z, who met W (France) in round 1, still meets the Netherlands for the first time.
    assert new_countries(client, live.tokens[ids["Z"]]) == ["NL"]
