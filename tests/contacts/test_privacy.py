"""Erasure and purge: personal data leaves every table and export; counts stay consistent."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, SQLModel, col, select

from app.contacts import export, privacy
from app.models import AuditLog, EventPhase, Organiser, Participant, RoomMember, utcnow
from tests.contacts.conftest import World, add_person, make_world, seat
from tests.fixtures.database import BOTH_DATABASES

ZOE = {
    "name": "Zoë Ærøskøbing",
    "email": "zoe.aeroe@skole.example",
    "phone": "+45 99 88 77 66",
    "school": "Ærø Friskole",
    "role": "Skoleleder",
    "interests": ["marine-biology"],
    "share_fields": ["email", "school", "role", "phone"],
    "country": "DK",
}
SECRETS = ["Zoë", "Ærøskøbing", "zoe.aeroe", "+45 99 88 77 66", "Ærø Friskole", "Skoleleder",
           "marine-biology", "call her in May"]  # fmt: skip

pytestmark = BOTH_DATABASES


def decide(client: TestClient, w: World, frm: str, to: str, note: str = "") -> None:
    response = client.put(
        f"/api/v1/me/decisions/{w.id(to)}",
        params=w.q(frm),
        json={"share": True, "met": True, "note": note},
    )
    assert response.status_code == 200, response.text


def database_text(db: Session) -> str:
    """Every value of every table, as text (what a database dump would reveal)."""
    chunks = []
    for table in SQLModel.metadata.sorted_tables:
        for row in db.connection().execute(text(f'SELECT * FROM "{table.name}"')):
            chunks.append(repr(tuple(row)))
    return "\n".join(chunks)


def summary(client: TestClient, w: World, auth: dict[str, str]) -> dict[str, dict[str, str]]:
    data = client.get(f"/api/v1/events/{w.event.id}/exports/participants.csv", headers=auth)
    rows = list(csv.DictReader(io.StringIO(data.content.decode("utf-8-sig"))))
    return {r["Id"] or r["Name"]: r for r in rows}


def all_exports(client: TestClient, w: World, auth: dict[str, str]) -> str:
    base = f"/api/v1/events/{w.event.id}/exports"
    paths = [f"{base}/{k}.{f}" for k in ("meetings", "contact-pairs", "participants")
             for f in ("csv", "json")]  # fmt: skip
    paths += [f"{base}/zoom.csv", f"{base}/bbb.json", f"{base}/report.html"]
    out = []
    for path in paths:
        response = client.get(path, headers=auth)
        assert response.status_code == 200, path
        out.append(response.content.decode("utf-8-sig"))
    for key in ("A", "C"):
        for fmt in ("json", "csv", "vcf", "html"):
            out.append(client.get(f"/api/v1/me/contacts.{fmt}", params=w.q(key)).text)
    return "\n".join(out)


def test_erasure_removes_personal_data_everywhere_and_keeps_counts(
    client: TestClient, db: Session, organiser: Organiser, org_auth: dict[str, str]
) -> None:
    w = make_world(db, organiser, ["A", "C"])
    zoe = add_person(db, w, "Z", **ZOE)
    seat(db, w, [[["A", "Z"], ["C"]], [["C", "Z"], ["A"]]])
    # The planner's explanation for A's seat next to Zoë names her.
    rooms_with_zoe = select(RoomMember.room_id).where(RoomMember.participant_id == zoe.id)
    for member in db.exec(
        select(RoomMember).where(
            RoomMember.participant_id == w.id("A"), col(RoomMember.room_id).in_(rooms_with_zoe)
        )
    ):
        member.why = "Shares inclusion with Zoë Ærøskøbing"
        db.add(member)
    db.add(AuditLog(event_id=w.event.id, actor="organiser:x", action="participant.updated",
                    detail={"name": ZOE["name"], "email": ZOE["email"]}))  # fmt: skip
    db.commit()
    decide(client, w, "A", "Z", note="Zoë: call her in May")
    decide(client, w, "Z", "A", note="KA2 with A")
    decide(client, w, "C", "Z")
    decide(client, w, "Z", "C")
    before = summary(client, w, org_auth)
    assert before["A"]["Meetings"] == "1"
    assert before["A"]["Mutual contacts"] == "1"
    assert any(s in all_exports(client, w, org_auth) for s in SECRETS)
    assert "Shares inclusion with Zoë" in database_text(db)
    assert "zoe.aeroe@skole.example" in database_text(db)

    erased = client.post(
        f"/api/v1/events/{w.event.id}/participants/{zoe.id}/erase", headers=org_auth
    )
    assert erased.status_code == 204

    db.expire_all()
    dump = database_text(db)
    assert [s for s in SECRETS if s in dump] == []
    assert [s for s in SECRETS if s in all_exports(client, w, org_auth)] == []
    after = summary(client, w, org_auth)
    # The other side's meetings still count; the erased row stays, marked as erased.
    assert after["A"]["Meetings"] == before["A"]["Meetings"]
    assert after["C"]["Meetings"] == before["C"]["Meetings"]
    assert after["A"]["Held"] == "1"
    assert after["(erased)"]["Erased"] == "yes"
    assert client.get("/api/v1/me/contacts", params=w.q("A")).json() == []
    # Zoë's own link no longer works.
    assert client.get("/api/v1/me/contacts", params=w.q("Z")).status_code == 401


def test_participant_erases_their_own_data(
    client: TestClient, db: Session, organiser: Organiser
) -> None:
    w = make_world(db, organiser, ["A", "B"])
    seat(db, w, [[["A", "B"]]])
    decide(client, w, "A", "B")
    decide(client, w, "B", "A")
    assert client.delete("/api/v1/me/data", params=w.q("B")).status_code == 204
    assert client.get("/api/v1/me/contacts", params=w.q("B")).status_code == 401
    assert client.get("/api/v1/me/contacts", params=w.q("A")).json() == []
    stored = db.get(Participant, w.id("B"))
    assert stored is not None
    db.refresh(stored)
    assert stored.deleted
    assert stored.name == ""
    assert "b@school.example" not in database_text(db)
    assert export.my_contacts(db, stored) == []


def test_purge_after_the_retention_period(
    client: TestClient, db: Session, organiser: Organiser, org_auth: dict[str, str]
) -> None:
    old = make_world(db, organiser, ["A", "B"], retention_days=30)
    old.event.finished_at = utcnow() - timedelta(days=31)
    recent = make_world(db, organiser, ["X", "Y"], retention_days=30)
    recent.event.finished_at = utcnow() - timedelta(days=5)
    db.add_all([old.event, recent.event])
    db.commit()
    for w, (a, b) in ((old, ("A", "B")), (recent, ("X", "Y"))):
        seat(db, w, [[[a, b]]])
        decide(client, w, a, b)
        decide(client, w, b, a)

    response = client.post("/api/v1/purge-expired", headers=org_auth)
    assert response.status_code == 200
    assert response.json()["purged_events"] == [old.event.id]
    # The export of a purged participant is empty, and their link is dead.
    assert client.get("/api/v1/me/contacts", params=old.q("A")).status_code == 401
    db.expire_all()
    purged_a = db.get(Participant, old.id("A"))
    assert purged_a is not None
    assert export.my_contacts(db, purged_a) == []
    assert "a@school.example" not in database_text(db)
    # The recent event is untouched until its own retention ends.
    assert client.get("/api/v1/me/contacts", params=recent.q("X")).json()[0]["name"] == "Person Y"
    assert privacy.purge_expired(db, utcnow() + timedelta(days=26)) == [recent.event.id]
    assert client.get("/api/v1/me/contacts", params=recent.q("X")).status_code == 401


def test_organiser_purge_now_and_settings(
    client: TestClient, db: Session, organiser: Organiser, org_auth: dict[str, str]
) -> None:
    w = make_world(db, organiser, ["A", "B"])
    seat(db, w, [[["A", "B"]]])
    settings = client.patch(
        f"/api/v1/events/{w.event.id}/contact-settings",
        json={"retention_days": 90, "mutual_consent": False},
        headers=org_auth,
    )
    assert settings.status_code == 200
    assert settings.json()["retention_days"] == 90
    assert settings.json()["retention_ends"] is not None
    bad = client.patch(
        f"/api/v1/events/{w.event.id}/contact-settings",
        json={"retention_days": 0},
        headers=org_auth,
    )
    assert bad.status_code == 422
    w.event.phase = EventPhase.LIVE
    db.add(w.event)
    db.commit()
    live = client.post(f"/api/v1/events/{w.event.id}/purge", headers=org_auth)
    assert live.status_code == 409
    w.event.phase = EventPhase.FINISHED
    db.add(w.event)
    db.commit()
    done = client.post(f"/api/v1/events/{w.event.id}/purge", headers=org_auth)
    assert done.status_code == 200
    assert done.json()["erased_participants"] == 2
    meetings = client.get(f"/api/v1/events/{w.event.id}/exports/meetings.json", headers=org_auth)
    assert [(m["A name"], m["B name"]) for m in meetings.json()] == [("(erased)", "(erased)")]


def test_a_participant_downloads_everything_stored_about_them(
    client: TestClient, db: Session, organiser: Organiser
) -> None:
    w = make_world(db, organiser, ["A", "B"])
    seat(db, w, [[["A", "B"]]])
    decide(client, w, "B", "A", note="Ideas for eTwinning, señora Núñez")
    response = client.get("/api/v1/me/data.json", params=w.q("B"))
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    data = response.json()
    assert data["profile"]["email"] == "b@school.example"
    assert data["rooms"] == [{"round": 1, "room": 1, "room_name": "Room 01", "link": None}]
    assert [(d["to_participant_id"], d["note"]) for d in data["decisions"]] == [
        (w.id("A"), "Ideas for eTwinning, señora Núñez")
    ]
    assert "a@school.example" not in response.text
