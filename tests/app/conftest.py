"""API test setup: every test runs on a fresh, migrated SQLite file AND on real PostgreSQL.

The database, `configured`, `session`, `client` and `organiser` come from
tests/fixtures/database.py; this conftest only asks for both databases.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organiser
from tests.factories import make_api_token
from tests.fixtures.database import BACKENDS


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Both databases for every API test."""
    return str(request.param)


@pytest.fixture
def org_client(client: TestClient, session: Session, organiser: Organiser) -> TestClient:
    """The client, authenticated as `organiser` with an API bearer token."""
    client.headers["Authorization"] = f"Bearer {make_api_token(session, organiser)}"
    return client
