"""Colleagues' accounts: every organiser sees who has access, and can take it away from a
colleague who left or from an invite sent to a wrong address; at once, and never leaving an
event without its owner."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app import audit
from app.db import get_engine
from app.errors import Conflict
from app.models import ApiToken, AuditLog, Event, Organiser, utcnow
from app.organisers import colleagues
from app.organisers import service as organiser_service
from tests.factories import PASSWORD, make_api_token, make_event, make_organiser
from tests.fixtures.database import BOTH_DATABASES

API = "/api/v1"


@pytest.fixture
def other(client: TestClient) -> Iterator[TestClient]:
    """A second browser on the same app: the colleague's own."""
    with TestClient(client.app) as browser:
        yield browser


def sign_in(client: TestClient, email: str) -> None:
    client.cookies.clear()
    answer = client.post(f"{API}/auth/signin", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text


def invite(client: TestClient, email: str, name: str = "Mia") -> tuple[str, str]:
    """(account id, invite token) of a colleague invited through the API."""
    answer = client.post(f"{API}/organisers/invites", json={"email": email, "name": name})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    return body["organiser"]["id"], body["invite_link"].rsplit("/", 1)[1]


def test_the_list_shows_every_account_with_its_status_and_no_secret(
    client: TestClient, session: Session, organiser: Organiser
) -> None:
    sign_in(client, organiser.email)
    invited_id, token = invite(client, "mia@agency.example")
    stale = organiser_service.create_organiser(session, email="old@agency.example", name="Old")
    stale_token = organiser_service.issue_invite(session, organiser=stale)
    # Sent with the account, eight days ago.
    stale.created_at = stale.invite_issued_at = utcnow() - timedelta(days=8)
    busy = make_organiser(session, email="jo@agency.example", name="Jo")
    busy.totp_enabled = True
    busy.totp_secret = "sealed-secret-value"
    session.add_all([stale, busy])
    session.commit()
    make_event(session, busy)
    make_event(session, busy)
    raw_token = make_api_token(session, busy)

    answer = client.get(f"{API}/organisers")
    assert answer.status_code == 200
    rows = {row["email"]: row for row in answer.json()}
    assert {e: (r["status"], r["two_step"], r["events"]) for e, r in rows.items()} == {
        organiser.email: ("active", False, 0),
        "mia@agency.example": ("invited", False, 0),
        "old@agency.example": ("invite_expired", False, 0),
        "jo@agency.example": ("active", True, 2),
    }
    assert rows["mia@agency.example"]["id"] == invited_id
    assert rows["mia@agency.example"]["invite_expires_at"] is not None
    assert rows[organiser.email]["created_at"].endswith("Z")
    assert set(rows["jo@agency.example"]) == {
        "id", "email", "name", "has_password", "status", "two_step", "created_at",
        "invite_expires_at", "events",
    }  # fmt: skip
    session.refresh(busy)
    assert busy.password_hash is not None
    for secret in (token, stale_token, raw_token, busy.password_hash, "sealed-secret-value"):
        assert secret not in answer.text
    assert "hash" not in answer.text

    invite(client, "old@agency.example", "Old")  # invited again: a new link, for a week
    again = {row["email"]: row["status"] for row in client.get(f"{API}/organisers").json()}
    assert again["old@agency.example"] == "invited"

    client.cookies.clear()
    assert client.get(f"{API}/organisers").status_code == 401


def test_a_removed_invite_link_says_it_is_not_valid(
    client: TestClient, session: Session, organiser: Organiser
) -> None:
    sign_in(client, organiser.email)
    invited_id, token = invite(client, "wrong-address@example.org")
    assert client.delete(f"{API}/organisers/{invited_id}").status_code == 204
    assert client.get(f"{API}/organisers").json()[-1]["email"] == organiser.email

    client.cookies.clear()
    page = client.get(f"/organiser/invite/{token}")
    assert page.status_code == 401
    assert "not valid or was already used" in page.text
    pressed = client.post(f"/organiser/invite/{token}")
    assert pressed.status_code == 401
    assert client.post(f"{API}/auth/invite", json={"token": token}).status_code == 401


def test_a_removed_colleague_s_session_and_api_token_stop_working_at_once(
    client: TestClient, other: TestClient, session: Session, organiser: Organiser
) -> None:
    colleague = make_organiser(session, email="leaver@agency.example", name="Leaver")
    sign_in(other, colleague.email)
    created = other.post(f"{API}/organisers/me/tokens", json={"name": "script"})
    bearer = {"Authorization": f"Bearer {created.json()['token']}"}
    assert other.get(f"{API}/organisers/me").status_code == 200
    assert other.get(f"{API}/events", headers=bearer).status_code == 200

    sign_in(client, organiser.email)
    assert client.delete(f"{API}/organisers/{colleague.id}").status_code == 204

    assert other.get(f"{API}/organisers/me").status_code == 401  # the cookie
    assert other.get(f"{API}/events", headers=bearer).status_code == 401
    other.cookies.clear()
    assert other.get(f"{API}/events", headers=bearer).status_code == 401  # the token alone
    sign_in_again = other.post(
        f"{API}/auth/signin", json={"email": colleague.email, "password": PASSWORD}
    )
    assert sign_in_again.status_code == 401

    with Session(get_engine()) as fresh:
        assert fresh.get(Organiser, colleague.id) is None
        tokens = select(ApiToken).where(ApiToken.organiser_id == colleague.id)
        assert fresh.exec(tokens).all() == []
        entry = fresh.exec(select(AuditLog).where(AuditLog.action == "organiser.remove")).one()
        assert entry.actor == audit.actor_for(organiser)
        assert entry.detail == {"organiser_id": colleague.id, "email": colleague.email}


def test_nobody_removes_their_own_account_here(client: TestClient, organiser: Organiser) -> None:
    sign_in(client, organiser.email)
    refused = client.delete(f"{API}/organisers/{organiser.id}")
    assert refused.status_code == 409
    assert "your own account" in refused.json()["detail"]
    assert client.get(f"{API}/organisers/me").status_code == 200


def test_an_account_that_owns_events_is_kept_and_the_refusal_says_how_many(
    client: TestClient, session: Session, organiser: Organiser
) -> None:
    owner = make_organiser(session, email="owner@agency.example", name="Owner")
    for _ in range(3):
        make_event(session, owner)
    sign_in(client, organiser.email)
    refused = client.delete(f"{API}/organisers/{owner.id}")
    assert refused.status_code == 409
    detail = refused.json()["detail"]
    assert "owner@agency.example still owns events (3)" in detail
    assert "delete those events first" in detail
    assert client.get(f"{API}/organisers").json()[-1]["events"] == 3
    assert client.delete(f"{API}/organisers/not-an-account").status_code == 404


@BOTH_DATABASES
def test_an_event_created_while_its_owner_is_removed_keeps_its_owner(
    session: Session, organiser: Organiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    colleague = make_organiser(session, email="busy@agency.example", name="Busy")
    count = colleagues.events_owned

    def event_created_just_after_the_count(db: Session, organiser_id: str) -> int:
        owned = count(db, organiser_id)
        if owned == 0:  # the colleague's other tab creates an event at this very moment
            with Session(get_engine()) as theirs:
                make_event(theirs, colleague, name="Created at the same moment")
        return owned

    monkeypatch.setattr(colleagues, "events_owned", event_created_just_after_the_count)
    with Session(get_engine()) as db, pytest.raises(Conflict) as refused:
        colleagues.remove(db, actor=organiser, organiser_id=colleague.id)
    assert refused.value.params == {"email": "busy@agency.example", "n": 1}

    with Session(get_engine()) as fresh:
        event = fresh.exec(select(Event).where(col(Event.organiser_id) == colleague.id)).one()
        assert fresh.get(Organiser, event.organiser_id) is not None
        removed = select(AuditLog).where(AuditLog.action == "organiser.remove")
        assert fresh.exec(removed).all() == []
