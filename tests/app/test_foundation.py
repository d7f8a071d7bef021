"""Foundation: errors, limits, headers, tokens and sessions behave the same on every database."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from app.db import make_engine
from app.deps import organiser_for_api_token, participant_for_token
from app.models import Organiser
from app.security import hash_password, hash_token, new_token, verify_password
from app.settings import DEV_SECRET_KEY, Settings
from tests.factories import make_api_token, make_event, make_participants


def test_health_answers_with_security_headers(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response.headers["referrer-policy"] == "no-referrer"


def test_unknown_route_has_consistent_error_body(client: TestClient) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"type": "not_found", "detail": "Not Found"}


def test_huge_body_is_rejected_with_413(org_client: TestClient) -> None:
    response = org_client.post(
        "/api/v1/events", content=b"x" * (3 * 1024 * 1024), headers={"content-type": "text/csv"}
    )
    assert response.status_code == 413
    assert response.json()["type"] == "payload_too_large"


def test_tokens_are_long_random_and_stored_hashed(session: Session, organiser: Organiser) -> None:
    token = new_token()
    assert len(token) >= 43
    assert token != new_token()
    raw = make_api_token(session, organiser)
    assert organiser_for_api_token(session, raw) == organiser
    assert organiser_for_api_token(session, raw + "x") is None
    assert hash_token(raw) != raw


def test_participant_token_lookup_finds_only_its_owner(
    session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    first, second = make_participants(session, event, 2)
    token = new_token()
    first.token_hash = hash_token(token)
    session.add(first)
    session.commit()
    assert participant_for_token(session, token) == first
    assert participant_for_token(session, new_token()) is None
    assert second.token_hash is None


def test_password_hashes_verify_only_the_right_password() -> None:
    stored = hash_password("s3cret-enough")
    assert stored.startswith("$argon2")
    assert verify_password("s3cret-enough", stored)
    assert not verify_password("wrong", stored)
    assert not verify_password("anything", None)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'db.sqlite3'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()


def test_public_service_refuses_the_development_secret_key() -> None:
    public = Settings(base_url="https://partners.example.org", secret_key=DEV_SECRET_KEY)
    with pytest.raises(RuntimeError, match="SPEEDMATCH_SECRET_KEY"):
        public.check_production_safety()
    Settings(base_url="http://127.0.0.1:8000", secret_key=DEV_SECRET_KEY).check_production_safety()
    Settings(
        base_url="https://partners.example.org", secret_key="a-long-random-production-secret"
    ).check_production_safety()
