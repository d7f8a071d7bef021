"""A pair seated together in two rounds (a small event, an organiser's move) is one contact
pair: the report, the participants table and the contact-pairs export agree, and the
mutual-contact rate never passes 100 %."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.contacts.report import Meeting, MeetingStatus, PersonFacts, compute
from app.models import Organiser
from tests.contacts.conftest import World, make_world, seat


def share(client: TestClient, w: World, frm: str, to: str, met: bool = True) -> None:
    response = client.put(
        f"/api/v1/me/decisions/{w.id(to)}", params=w.q(frm), json={"share": True, "met": met}
    )
    assert response.status_code == 200, response.text


def figure(page: str, fig: str) -> str:
    found = re.search(rf'id="fig-{fig}"><b>([^<]*)</b>', page)
    assert found, fig
    return found.group(1)


def test_a_pair_met_twice_counts_once_everywhere(
    client: TestClient, db: Session, organiser: Organiser, org_auth: dict[str, str]
) -> None:
    w = make_world(db, organiser, ["A", "B", "C", "D"])
    seat(db, w, [[["A", "B"], ["C", "D"]], [["A", "B"], ["C", "D"]]])
    share(client, w, "A", "B")
    share(client, w, "B", "A")
    base = f"/api/v1/events/{w.event.id}/exports"

    pairs = client.get(f"{base}/contact-pairs.json", headers=org_auth).json()
    assert len(pairs) == 1
    report = client.get(f"{base}/report.html", headers=org_auth).text
    assert figure(report, "mutual") == "1"
    people = client.get(f"{base}/participants.json", headers=org_auth).json()
    assert {p["Id"]: p["Mutual contacts"] for p in people} == {"A": 1, "B": 1, "C": 0, "D": 0}


def test_the_mutual_contact_rate_never_passes_100_percent() -> None:
    people = [PersonFacts(k, "NL", "primary", False) for k in "abcdef"]
    meetings = [
        # Two pairs that exchanged details although each reported the other as a no-show...
        Meeting(1, 1, "Room 01", "a", "b", MeetingStatus.NO_SHOW, True),
        Meeting(1, 2, "Room 02", "c", "d", MeetingStatus.NO_SHOW, True),
        # ...and the one meeting that counts, without an exchange.
        Meeting(1, 3, "Room 03", "e", "f", MeetingStatus.HELD, False),
    ]
    stats = compute("t", people, meetings)
    assert stats.mutual_pairs == 2
    assert stats.mutual_rate == pytest.approx(0.0)
