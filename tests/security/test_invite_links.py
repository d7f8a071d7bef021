"""Invite links: one link, one sign-in, even when two requests carry it at the same moment
(a mail scanner that opens every link, and the colleague clicking it); and not forever."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from app import audit
from app.db import get_engine
from app.errors import Unauthorized
from app.models import AuditLog, Organiser
from app.organisers import service
from tests.factories import PASSWORD


def test_an_invite_link_opened_twice_at_the_same_moment_signs_in_once(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    colleague = service.create_organiser(session, email="mia@agency.example", name="Mia")
    token = service.issue_invite(session, organiser=colleague)
    record = audit.record
    outcomes: list[str] = []

    def exchange() -> None:
        with Session(get_engine()) as own:
            try:
                service.sign_in_with_invite(own, token=token)
                outcomes.append("signed in")
            except Unauthorized:
                outcomes.append("refused")

    def second_request_arrives(db: Session, **entry: Any) -> AuditLog:
        # The second request runs while the first one is being handled.
        if entry["action"] == "organiser.invite_used" and not outcomes:
            outcomes.append("second starts")
            exchange()
        return record(db, **entry)

    monkeypatch.setattr(audit, "record", second_request_arrives)
    exchange()
    assert sorted(outcomes[1:]) == ["refused", "signed in"]


def _invite(client: TestClient, inviter: Organiser, email: str) -> Response:
    client.cookies.clear()
    signed_in = client.post(
        "/api/v1/auth/signin", json={"email": inviter.email, "password": PASSWORD}
    )
    assert signed_in.status_code == 200
    answer: Response = client.post(
        "/api/v1/organisers/invites", json={"email": email, "name": "Mia"}
    )
    client.cookies.clear()
    return answer


def _token(answer: Response) -> str:
    assert answer.status_code == 201, answer.text
    return str(answer.json()["invite_link"]).rsplit("/", 1)[1]


def test_an_invite_link_stops_working_after_a_week_and_the_colleague_can_be_invited_again(
    client: TestClient, organiser: Organiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _token(_invite(client, organiser, "mia@school.be"))
    with monkeypatch.context() as later:
        later.setattr(time, "time", lambda real=time.time: real() + 8 * 24 * 3600)
        late = client.post("/api/v1/auth/invite", json={"token": first})
        assert late.status_code == 401
        assert "expired" in late.json()["detail"]
        assert client.get("/api/v1/organisers/me").status_code == 401

    # The inviter sends a new link; it replaces the old one.
    second = _token(_invite(client, organiser, "Mia@School.be"))
    assert client.post("/api/v1/auth/invite", json={"token": first}).status_code == 401
    assert client.post("/api/v1/auth/invite", json={"token": second}).status_code == 200
    assert client.get("/api/v1/organisers/me").json()["email"] == "mia@school.be"
    # Once she has signed in, the account is hers: nobody can send a link into it any more.
    assert _invite(client, organiser, "mia@school.be").status_code == 409
