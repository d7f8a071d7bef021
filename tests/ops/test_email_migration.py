"""Organiser addresses stored before sign-in normalised them are rewritten so their owners can
sign in (migration 0008); a clash with another account is left for a person to merge."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, text
from sqlmodel import Session

from app.cli.db import alembic_config, upgrade
from app.organisers import service as organiser_service
from app.security import hash_password
from app.settings import get_settings
from app.validators import normalise_email
from tests.factories import PASSWORD
from tests.fixtures.database import BOTH_DATABASES

DECOMPOSED = "jose\u0301@escola.example"  # "josé" with the accent typed as its own character
HIDDEN = "an\u200bna@schule.example"  # a zero-width space from a copied address
CLASH_OLD = "ma\u00adrie@ecole.example"  # soft hyphen: once removed, another account has it
CLASH_NEW = "marie@ecole.example"


def insert_organiser(url: str, row_id: str, email: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO organiser (id, email, name, password_hash, session_version, "
                    "created_at, totp_enabled) VALUES (:id, :email, 'Org', :hash, 0, "
                    "CURRENT_TIMESTAMP, false)"
                ),
                {"id": row_id, "email": email, "hash": hash_password(PASSWORD)},
            )
    finally:
        engine.dispose()


def stored_emails(url: str) -> dict[str, str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, email FROM organiser")).all()
    finally:
        engine.dispose()
    return {str(row_id): str(email) for row_id, email in rows}


def sign_in(url: str, typed: str) -> str:
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            organiser = organiser_service.sign_in_with_password(
                session,
                email=typed,
                password=PASSWORD,
                client_ip="127.0.0.1",
                settings=get_settings(),
            )
            return organiser.id
    finally:
        engine.dispose()


@BOTH_DATABASES
def test_addresses_stored_unnormalised_can_sign_in_after_the_upgrade(configured: str) -> None:
    command.downgrade(alembic_config(configured), "0007")
    for row_id, email in [("o1", DECOMPOSED), ("o2", HIDDEN), ("o3", CLASH_OLD), ("o4", CLASH_NEW)]:
        insert_organiser(configured, row_id, email)
    # The stored address is not the one sign-in looks up (read directly: the models of this
    # release have columns the old schema lacks).
    assert normalise_email("josé@escola.example") not in stored_emails(configured).values()

    upgrade(configured)

    assert stored_emails(configured) == {
        "o1": "josé@escola.example",
        "o2": "anna@schule.example",
        "o3": CLASH_OLD,  # left for a person to merge: the other account keeps the address
        "o4": CLASH_NEW,
    }
    assert sign_in(configured, "josé@escola.example") == "o1"
    assert sign_in(configured, "anna@schule.example") == "o2"
