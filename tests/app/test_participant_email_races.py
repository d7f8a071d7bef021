"""An e-mail address taken by another request at the same moment (an add and an edit, two
organisers at once): the one that stores second gets a readable 409 naming the address, never a
500 from the database's unique e-mail per event."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app import audit
from app.db import get_engine
from app.models import AuditLog, Event, Organiser
from app.participants import service as participant_service
from tests.factories import make_event, make_participants

TAKEN = "taken.meanwhile@school.example"


def _new_person(email: str) -> dict[str, Any]:
    return {
        "name": "Ana Costa",
        "email": email,
        "school": "Escola Básica",
        "country": "PT",
        "sector": "primary",
        "languages": ["pt", "en"],
        "interests": [],
        "programmes": [],
    }


def _in_another_tab(event_id: str, action: str, data: dict[str, Any]) -> None:
    with Session(get_engine(), expire_on_commit=False) as other_tab:
        event = other_tab.get(Event, event_id)
        assert event is not None
        if action == "add":
            participant_service.add_participant(other_tab, event=event, data=data, actor="other")
        else:
            person = participant_service.get_participant(
                other_tab, event_id=event_id, participant_id=str(data["id"])
            )
            participant_service.update_participant(
                other_tab, event=event, participant=person, changes={"email": TAKEN}, actor="o"
            )


def _between_check_and_store(
    monkeypatch: pytest.MonkeyPatch, action: str, then: tuple[str, dict[str, Any]]
) -> list[str]:
    """Runs `then` in another tab once, when this request has checked the e-mail is free and
    records its `action`, before it stores."""
    record = audit.record
    done: list[str] = []

    def record_then_other_tab(*args: Any, **kwargs: Any) -> AuditLog:
        if kwargs.get("action") == action and not done:
            done.append(action)
            _in_another_tab(kwargs["event_id"], *then)
        return record(*args, **kwargs)

    monkeypatch.setattr(audit, "record", record_then_other_tab)
    return done


def test_an_edit_to_an_address_added_at_the_same_moment_answers_409(
    org_client: TestClient, session: Session, organiser: Organiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = make_event(session, organiser, rounds=2)
    person = make_participants(session, event, 4)[0]
    done = _between_check_and_store(monkeypatch, "participant.update", ("add", _new_person(TAKEN)))
    url = f"/api/v1/events/{event.id}/participants"
    answer = org_client.patch(f"{url}/{person.id}", json={"email": TAKEN})
    assert done
    assert answer.status_code == 409, answer.text
    assert answer.json()["type"] == "conflict"
    assert TAKEN in answer.json()["detail"]
    assert org_client.get(f"{url}/{person.id}").json()["email"] == person.email  # unchanged


def test_an_add_of_an_address_an_edit_took_at_the_same_moment_answers_409(
    org_client: TestClient, session: Session, organiser: Organiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = make_event(session, organiser, rounds=2)
    person = make_participants(session, event, 4)[0]
    done = _between_check_and_store(monkeypatch, "participant.add", ("edit", {"id": person.id}))
    url = f"/api/v1/events/{event.id}/participants"
    answer = org_client.post(url, json=_new_person(TAKEN))
    assert done
    assert answer.status_code == 409, answer.text
    assert TAKEN in answer.json()["detail"]
    assert len(org_client.get(url).json()) == 4  # nobody added
