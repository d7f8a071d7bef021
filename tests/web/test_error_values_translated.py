"""Codes inside a translated refusal (an event's phase, a round's status) read as words of the
organiser's language, while the API's English `detail` keeps the code clients match on."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.errors import Conflict, InvalidTransition
from app.models import EventPhase, Organiser
from app.web import i18n
from tests.factories import make_event, make_participants
from tests.web.test_organiser_pages import sign_in

CSV = (
    "id,name,email,school,country,sector,languages,interests,programmes,requests,avoid\n"
    "a1,Inês Marques,ines@escola.pt,Escola Básica X,PT,specialised,pt;en,inclusion,ka2,,\n"
)


def finished_event(web: TestClient, db: Session) -> str:
    organiser = db.get(Organiser, sign_in(web, db))
    assert organiser is not None
    event = make_event(db, organiser, phase=EventPhase.FINISHED)
    make_participants(db, event, 2)
    return event.id


def test_a_dutch_import_refusal_names_the_phase_in_dutch(web: TestClient, db: Session) -> None:
    event_id = finished_event(web, db)
    page = web.post(
        f"/organiser/events/{event_id}/participants/import?lang=nl",
        files={"file": ("people.csv", CSV.encode(), "text/csv")},
    )
    assert page.status_code == 409
    text = html.unescape(page.text)
    assert "Het evenement is afgelopen; deelnemers kunnen niet meer veranderen." in text
    assert "finished" not in text


def test_the_api_message_translates_the_phase_and_the_detail_keeps_the_code(
    web: TestClient, db: Session
) -> None:
    event_id = finished_event(web, db)
    people = web.get(f"/api/v1/events/{event_id}/participants").json()
    url = f"/api/v1/events/{event_id}/participants/{people[0]['id']}"
    refused = web.delete(url, headers={"Accept-Language": "nl"})
    assert refused.status_code == 409
    assert refused.json() == {
        "type": "conflict",
        "detail": "The event is finished: mark the participant absent instead of removing.",
        "message": "Het evenement is afgelopen: meld de deelnemer afwezig in plaats van te "
        "verwijderen.",
    }


def test_listed_phases_and_round_statuses_are_labelled_too() -> None:
    dutch = i18n.translations("nl").gettext
    moved = InvalidTransition(
        "An event cannot go from %(phase)s to %(to)s (allowed from %(phase)s: %(allowed)s).",
        phase=EventPhase.SCHEDULED.value,
        to=EventPhase.DRAFT,  # an enum member reads the same as its value
        allowed="live, open",
    )
    assert moved.detail == (
        "An event cannot go from scheduled to draft (allowed from scheduled: live, open)."
    )
    assert moved.text(dutch) == (
        "Een evenement kan niet van gepland naar concept gaan "
        "(toegestaan vanuit gepland: live, inschrijving open)."
    )
    running = Conflict("Round %(n)s is %(round_status)s.", n=2, round_status="running")
    assert running.text(dutch) == "Round 2 is bezig."  # (no catalog entry for this template)
    # Values of other params, and unknown codes, are shown as they are.
    other = Conflict("%(name)s: %(phase)s", name="live", phase="unknown")
    assert other.text(dutch) == "live: unknown"
