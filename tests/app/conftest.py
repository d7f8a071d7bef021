"""API test setup: every test runs on a fresh, migrated SQLite file AND on real PostgreSQL.

The database, `configured`, `session`, `client` and `organiser` come from
tests/fixtures/database.py; this conftest only asks for both databases.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete
from sqlmodel import Session, col

from app.models import AuditLog, Organiser
from tests.factories import make_api_token
from tests.fixtures.database import BACKENDS

PurgeAudit = Callable[[str], None]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Both databases for every API test."""
    return str(request.param)


@pytest.fixture
def org_client(client: TestClient, session: Session, organiser: Organiser) -> TestClient:
    """The client, authenticated as `organiser` with an API bearer token."""
    client.headers["Authorization"] = f"Bearer {make_api_token(session, organiser)}"
    return client


@pytest.fixture
def purge_audit(session: Session) -> PurgeAudit:
    """Deletes an event's audit entries: what an audit purge leaves of them (none)."""

    def purge(event_id: str) -> None:
        session.exec(delete(AuditLog).where(col(AuditLog.event_id) == event_id))
        session.commit()

    return purge
