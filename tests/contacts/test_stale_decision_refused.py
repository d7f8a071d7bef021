"""A decision saved from a stale view (another device saved meanwhile) is refused with 409, so it
never silently turns a withdrawn "share" back on; a client that sends no base saves as before."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organiser
from tests.contacts.conftest import World, make_world, seat
from tests.fixtures.database import BOTH_DATABASES

pytestmark = BOTH_DATABASES


@pytest.fixture
def pair(db: Session, organiser: Organiser) -> World:
    world = make_world(db, organiser, ["A", "B"])
    seat(db, world, [[["A", "B"]]])
    return world


def put(client: TestClient, world: World, body: dict[str, Any]) -> Any:
    return client.put(f"/api/v1/me/decisions/{world.id('B')}", params=world.q("A"), json=body)


def my_decision(client: TestClient, world: World) -> dict[str, Any]:
    meetings = client.get("/api/v1/me/meetings", params=world.q("A")).json()
    decision: dict[str, Any] = meetings[0]["decision"]
    return decision


def test_a_save_based_on_an_older_version_is_refused(client: TestClient, pair: World) -> None:
    first = put(client, pair, {"share": True, "seen_updated_at": None})
    assert first.status_code == 200, first.text
    phone_saw = first.json()["updated_at"]
    laptop = put(client, pair, {"share": False, "seen_updated_at": phone_saw})  # withdrawn
    assert laptop.status_code == 200, laptop.text

    phone = put(client, pair, {"share": True, "note": "KA2", "seen_updated_at": phone_saw})

    assert phone.status_code == 409
    assert phone.json()["type"] == "stale_decision"
    assert "changed on another device" in phone.json()["detail"]
    assert my_decision(client, pair) == laptop.json()  # the laptop's "no" stands
    # Read again, then saved: the newer choice was seen, so the save counts.
    again = put(
        client,
        pair,
        {"share": True, "note": "KA2", "seen_updated_at": my_decision(client, pair)["updated_at"]},
    )
    assert again.status_code == 200, again.text
    assert my_decision(client, pair)["share"] is True


def test_a_first_save_refused_when_another_device_decided_first(
    client: TestClient, pair: World
) -> None:
    assert put(client, pair, {"share": False}).status_code == 200
    # null: "I saw no decision yet", but there is one now.
    stale = put(client, pair, {"share": True, "seen_updated_at": None})
    assert stale.status_code == 409
    assert my_decision(client, pair)["share"] is False


def test_a_client_that_sends_no_base_saves_as_before(client: TestClient, pair: World) -> None:
    assert put(client, pair, {"share": False}).status_code == 200
    assert put(client, pair, {"share": True}).status_code == 200
    assert my_decision(client, pair)["share"] is True
