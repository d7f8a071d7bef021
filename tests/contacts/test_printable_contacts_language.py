"""The printable "my contacts" page speaks the participant's language, as their own page does:
the picker's choice (`?lang`, its cookie), else the language saved on their record, else the
browser's."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organiser
from tests.contacts.conftest import World, add_person, make_world, seat

PAGE = "/api/v1/me/contacts.html"


@pytest.fixture
def world(client: TestClient, db: Session, organiser: Organiser) -> World:
    """Anna (Dutch on her record) met Ben at a primary school; both agreed to share."""
    w = make_world(db, organiser, [], room_names=["Amsterdam"])
    add_person(db, w, "A", name="Anna", locale="nl")
    add_person(db, w, "B", name="Ben", country="DE", sector="primary", locale="de")
    add_person(db, w, "C", name="Cas", locale="nl")  # met nobody
    seat(db, w, [[["A", "B"]]])
    for frm, to in (("A", "B"), ("B", "A")):
        response = client.put(
            f"/api/v1/me/decisions/{w.id(to)}",
            params=w.q(frm),
            json={"share": True, "met": True, "note": ""},
        )
        assert response.status_code == 200, response.text
    return w


def text_of(client: TestClient, world: World, key: str, **params: str) -> str:
    page = client.get(PAGE, params={**world.q(key), **params})
    assert page.status_code == 200, page.text
    return html.unescape(page.text)


def test_a_dutch_participant_prints_their_contacts_in_dutch(
    client: TestClient, world: World
) -> None:
    text = text_of(client, world, "A")
    assert '<html lang="nl">' in text
    assert "<title>Mijn contacten · " in text
    assert "<dt>Ontmoet in</dt><dd>ronde 1 (Amsterdam)</dd>" in text
    # The kind of school in words, not the code the database keeps.
    assert "<dt>Soort school</dt><dd>basisschool</dd>" in text
    assert "<dt>Land</dt><dd>Duitsland</dd>" in text  # the country's name, not "DE"
    for english in ("Met in", "Round 1", "Country", "Sector", "primary"):
        assert english not in text


def test_the_picker_choice_beats_the_saved_language(client: TestClient, world: World) -> None:
    client.cookies.set("sm_lang", "de")  # as the language picker leaves it
    text = text_of(client, world, "A")
    assert '<html lang="de">' in text
    assert "<dt>Schulart</dt><dd>Grundschule</dd>" in text
    client.cookies.delete("sm_lang")
    assert "<dt>Schulart</dt>" in text_of(client, world, "A", lang="de")


def test_an_empty_list_says_so_in_the_participants_language(
    client: TestClient, world: World
) -> None:
    text = text_of(client, world, "C")
    assert "Nog niemand. Mensen verschijnen hier wanneer jullie allebei akkoord gaan" in text
    assert "No contacts yet" not in text


def test_without_a_saved_language_the_browser_decides(
    client: TestClient, db: Session, world: World
) -> None:
    add_person(db, world, "D", name="Dana", locale=None)
    assert '<html lang="en">' in text_of(client, world, "D")  # no Accept-Language: English
    page = client.get(PAGE, params=world.q("D"), headers={"Accept-Language": "da, en;q=0.5"})
    assert '<html lang="da">' in page.text


def test_the_contacts_on_the_participant_page_name_the_country(
    client: TestClient, world: World
) -> None:
    page = client.get(f"/p/{world.tokens['A']}")
    assert page.status_code == 200
    assert "<dt>Land</dt><dd>Duitsland</dd>" in html.unescape(page.text)
