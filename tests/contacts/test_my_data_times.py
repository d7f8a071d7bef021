"""The "everything stored about me" download states its times in UTC, as the API does: a bare
"07:00" for an event at 09:00 in Brussels reads as the wrong time."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organiser
from tests.contacts.conftest import make_world, seat


def test_every_time_in_my_data_carries_its_utc_offset(
    client: TestClient, db: Session, organiser: Organiser
) -> None:
    starts = datetime(2027, 3, 15, 8, 0)  # 09:00 in Brussels, stored in UTC
    w = make_world(db, organiser, ["A", "B"], starts_at=starts)
    seat(db, w, [[["A", "B"]]])
    decided = client.put(
        f"/api/v1/me/decisions/{w.id('B')}", params=w.q("A"), json={"share": True, "met": True}
    )
    assert decided.status_code == 200

    data = client.get("/api/v1/me/data.json", params=w.q("A")).json()
    times = [
        data["event"]["starts_at"],
        data["profile"]["created_at"],
        *(d["updated_at"] for d in data["decisions"]),
    ]
    assert len(times) == 3
    for text in times:
        moment = datetime.fromisoformat(text)
        assert moment.utcoffset() is not None, text
    assert datetime.fromisoformat(data["event"]["starts_at"]) == starts.replace(tzinfo=UTC)
    # The same instant as the API's own answer about my decision.
    api = client.get("/api/v1/me/meetings", params=w.q("A")).json()[0]["decision"]["updated_at"]
    assert datetime.fromisoformat(data["decisions"][0]["updated_at"]) == datetime.fromisoformat(
        api.replace("Z", "+00:00")
    )
