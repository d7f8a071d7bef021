"""A decision's note the database cannot hold is refused with a readable error."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organiser
from tests.contacts.conftest import make_world, seat
from tests.fixtures.database import BOTH_DATABASES

pytestmark = BOTH_DATABASES


def test_a_nul_character_in_a_note_is_a_422_and_nothing_is_recorded(
    client: TestClient, db: Session, organiser: Organiser
) -> None:
    world = make_world(db, organiser, ["A", "B"])
    seat(db, world, [[["A", "B"]]])
    url = f"/api/v1/me/decisions/{world.id('B')}"
    body = {"share": True, "met": True, "note": "KA2\x00"}
    response = client.put(url, params=world.q("A"), json=body)
    assert response.status_code == 422, response.text
    assert "note" in response.json()["detail"]
    meetings = client.get("/api/v1/me/meetings", params=world.q("A")).json()
    assert [m["decision"] for m in meetings] == [None]
