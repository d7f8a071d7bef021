"""Erasure next to other people's data: only the erased person's own words are scrubbed."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import AuditLog, Organiser
from tests.contacts.conftest import add_person, make_world
from tests.fixtures.database import BOTH_DATABASES

pytestmark = BOTH_DATABASES


def test_erasing_a_short_name_leaves_words_that_merely_contain_it(
    client: TestClient, db: Session, organiser: Organiser, org_auth: dict[str, str]
) -> None:
    w = make_world(db, organiser, ["A"])
    add_person(db, w, "J", name="Jo")
    add_person(db, w, "K", name="Joana")
    for text in ("Join your room now, Jo!", "Joana, please turn on your camera"):
        db.add(
            AuditLog(
                event_id=w.event.id,
                actor=f"organiser:{organiser.id}",
                action="broadcast",
                detail={"text": text, "room": None},
            )
        )
    db.commit()
    assert client.delete("/api/v1/me/data", params=w.q("J")).status_code == 204
    log = client.get(f"/api/v1/events/{w.event.id}/audit", headers=org_auth).json()
    texts = [e["detail"]["text"] for e in log if e["action"] == "broadcast"]
    assert sorted(texts) == ["Joana, please turn on your camera", "Join your room now, (erased)!"]
