"""`GET /me/meetings` lists the people a participant has met: rounds not yet (or never) played
are not meetings, and each listed meeting accepts a contact decision."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import EventPhase, Organiser, Round, RoundStatus
from tests.contacts.conftest import World, make_world, seat

# Round by round, A meets B, C, D and B again.
ROUNDS = [
    [["A", "B"], ["C", "D"]],
    [["A", "C"], ["B", "D"]],
    [["A", "D"], ["B", "C"]],
    [["A", "B"], ["C", "D"]],
]


def play(db: Session, world: World, phase: EventPhase, statuses: list[RoundStatus]) -> None:
    """Set the event's phase and each round's status; the current round is the last one started."""
    rounds = db.exec(select(Round).where(Round.event_id == world.event.id)).all()
    for rnd in rounds:
        rnd.status = statuses[rnd.number - 1]
    world.event.phase = phase
    world.event.current_round = sum(s != RoundStatus.PLANNED for s in statuses)
    db.add_all([*rounds, world.event])
    db.commit()


def met(client: TestClient, world: World, key: str) -> list[tuple[int, str]]:
    response = client.get("/api/v1/me/meetings", params=world.q(key))
    assert response.status_code == 200, response.text
    by_id = {person.id: k for k, person in world.people.items()}
    return [(m["round"], by_id[m["participant_id"]]) for m in response.json()]


def decide(client: TestClient, world: World, frm: str, to: str) -> Any:
    return client.put(
        f"/api/v1/me/decisions/{world.id(to)}",
        params=world.q(frm),
        json={"share": True, "met": True, "note": ""},
    )


@pytest.fixture
def live(db: Session, organiser: Organiser) -> World:
    world = make_world(db, organiser, ["A", "B", "C", "D"])
    seat(db, world, ROUNDS)
    return world


def test_a_live_event_lists_only_rounds_played_or_running(
    client: TestClient, db: Session, live: World
) -> None:
    ended, running, planned = RoundStatus.ENDED, RoundStatus.RUNNING, RoundStatus.PLANNED
    play(db, live, EventPhase.LIVE, [ended, running, planned, planned])
    assert met(client, live, "A") == [(1, "B"), (2, "C")]
    assert met(client, live, "D") == [(1, "C"), (2, "B")]
    for _, other in met(client, live, "A"):
        assert decide(client, live, "A", other).status_code == 200
    assert decide(client, live, "A", "D").status_code == 409  # round 3 has not started

    play(db, live, EventPhase.LIVE, [ended, ended, running, planned])
    assert met(client, live, "A") == [(1, "B"), (2, "C"), (3, "D")]


def test_an_event_ended_early_lists_only_the_rounds_played(
    client: TestClient, db: Session, live: World
) -> None:
    ended, planned = RoundStatus.ENDED, RoundStatus.PLANNED
    play(db, live, EventPhase.FINISHED, [ended, ended, planned, planned])
    assert met(client, live, "A") == [(1, "B"), (2, "C")]


def test_a_scheduled_event_lists_no_meetings_yet(
    client: TestClient, db: Session, live: World
) -> None:
    play(db, live, EventPhase.SCHEDULED, [RoundStatus.PLANNED] * 4)
    assert met(client, live, "A") == []


def test_an_event_run_by_hand_lists_every_round_once_finished(
    client: TestClient, db: Session, live: World
) -> None:
    # Finished without any round on the live clock (rounds run in the video platform): all count.
    play(db, live, EventPhase.FINISHED, [RoundStatus.PLANNED] * 4)
    assert met(client, live, "A") == [(1, "B"), (2, "C"), (3, "D"), (4, "B")]
