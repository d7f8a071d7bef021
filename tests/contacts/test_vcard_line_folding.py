"""vCard lines are folded at 75 octets (RFC 6350 3.2), so a Greek or Bulgarian name or school
(two octets a letter) is not sent on one over-long line that strict importers refuse."""

from __future__ import annotations

import vobject
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.contacts.formats import Card, to_vcard
from app.models import Organiser
from tests.contacts.conftest import add_person, make_world, seat

NAME = "Νικόλαος Παπαδόπουλος-Χατζηγεωργίου Κωνσταντίνος"  # 49 letters, 96 octets
SCHOOL = "Γυμνάσιο Αγίου Νικολάου Θεσσαλονίκης; Λύκειο, Κ\\Θ"  # with ; , and \ to escape


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


def test_every_line_fits_75_octets_and_parses_back() -> None:
    cards = [
        Card(NAME, school=SCHOOL, role="Διευθυντής", note="Σημείωση: " + "Erasmus+ KA2 ✓ " * 9,
             categories=["Ден на партньорите, 2027"]),
        Card("Ann Lee", email="ann@school.example"),
    ]  # fmt: skip
    data = to_vcard(cards)
    for line in physical_lines(data):
        assert len(line) <= 75, line.decode("utf-8")  # also proves no character was cut in two
    parsed = list(vobject.readComponents(data.decode("utf-8")))
    assert [c.fn.value for c in parsed] == [NAME, "Ann Lee"]
    assert parsed[0].org.value == [SCHOOL]
    assert parsed[0].title.value == "Διευθυντής"
    assert parsed[0].note.value == cards[0].note
    assert parsed[0].categories.value == ["Ден на партньорите, 2027"]
    assert parsed[1].email.value == "ann@school.example"


def test_my_contacts_vcard_download_folds_long_unicode_lines(
    client: TestClient, db: Session, organiser: Organiser
) -> None:
    w = make_world(db, organiser, ["A"])
    add_person(db, w, "B", name=NAME, school=SCHOOL, country="GR")
    seat(db, w, [[["A", "B"]]])
    for frm, to in (("A", "B"), ("B", "A")):
        response = client.put(
            f"/api/v1/me/decisions/{w.id(to)}", params=w.q(frm), json={"share": True, "met": True}
        )
        assert response.status_code == 200
    download = client.get("/api/v1/me/contacts.vcf", params=w.q("A"))
    assert download.status_code == 200
    assert max(len(line) for line in physical_lines(download.content)) <= 75
    card = next(vobject.readComponents(download.content.decode("utf-8")))
    assert (card.fn.value, card.org.value) == (NAME, [SCHOOL])
