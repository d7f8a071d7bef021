"""A phone files a contact under the vCard's family name: "van den" and the like belong to it."""

from __future__ import annotations

import pytest
import vobject
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.contacts.formats import Card, to_vcard
from app.models import Organiser
from tests.contacts.conftest import add_person, make_world, seat


def family_and_given(name: str) -> tuple[str, str]:
    (card,) = vobject.readComponents(to_vcard([Card(name)]).decode("utf-8"))
    assert card.fn.value == name  # the full name stays as typed
    return (card.n.value.family, card.n.value.given)


@pytest.mark.parametrize(
    ("name", "family", "given"),
    [
        ("Eline van den Berg", "van den Berg", "Eline"),
        ("Ruud de Jong", "de Jong", "Ruud"),
        ("Jan van der Meer", "van der Meer", "Jan"),
        ("Pieter van 't Hek", "van 't Hek", "Pieter"),
        ("Kees ter Horst", "ter Horst", "Kees"),
        ("Lotte Van Den Broeck", "Van Den Broeck", "Lotte"),
        ("Elke De Smet", "De Smet", "Elke"),
        ("Annette von der Leyen", "von der Leyen", "Annette"),
        ("Anna Maria de la Cruz", "de la Cruz", "Anna Maria"),
        ("Leonardo da Vinci", "da Vinci", "Leonardo"),
        ("João dos Santos", "dos Santos", "João"),
        ("Giulia Di Stefano", "Di Stefano", "Giulia"),
    ],
)
def test_name_particles_stay_with_the_family_name(name: str, family: str, given: str) -> None:
    assert family_and_given(name) == (family, given)


@pytest.mark.parametrize(
    ("name", "family", "given"),
    [
        ("Maëlle Dubois", "Dubois", "Maëlle"),
        ("Jean Pierre Martin", "Martin", "Jean Pierre"),
        ("Madonna", "Madonna", ""),
        ("De Jong", "Jong", "De"),  # at least one word stays the given name
    ],
)
def test_names_without_particles_split_as_before(name: str, family: str, given: str) -> None:
    assert family_and_given(name) == (family, given)


def test_my_contacts_vcf_files_a_dutch_contact_under_van_den_berg(
    client: TestClient, db: Session, organiser: Organiser
) -> None:
    w = make_world(db, organiser, ["A"])
    add_person(db, w, "B", name="Eline van den Berg")
    seat(db, w, [[["A", "B"]]])
    for frm, to in (("A", "B"), ("B", "A")):
        response = client.put(
            f"/api/v1/me/decisions/{w.id(to)}",
            params=w.q(frm),
            json={"share": True, "met": True, "note": ""},
        )
        assert response.status_code == 200, response.text
    vcf = client.get("/api/v1/me/contacts.vcf", params=w.q("A"))
    assert vcf.status_code == 200
    assert "\r\nN:van den Berg;Eline;;;\r\n" in vcf.text
    assert "\r\nFN:Eline van den Berg\r\n" in vcf.text
