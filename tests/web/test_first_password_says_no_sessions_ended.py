"""An invited colleague who sets a first password is told how to sign in next time, not that
"other sessions" ended (they had none); changing a password still says that."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.organisers import service as organiser_service
from tests.factories import PASSWORD

ACCOUNT = "/organiser/account"
ENDED = "Your other sessions have ended."
NEW = "a-quite-unusual-walrus-ballad"


def test_a_first_password_names_no_other_sessions_and_a_change_does(
    web: TestClient, db: Session
) -> None:
    colleague = organiser_service.create_organiser(db, email="mia@agency.example", name="Mia")
    token = organiser_service.issue_invite(db, organiser=colleague)
    assert web.post(f"/organiser/invite/{token}", follow_redirects=False).status_code == 303

    first = {"password": PASSWORD, "again": PASSWORD}
    assert web.post(ACCOUNT, data=first, follow_redirects=False).status_code == 303
    page = web.get(ACCOUNT).text
    assert "Your new password is saved. Next time, sign in with your e-mail address" in page
    assert ENDED not in page

    change = {"current_password": PASSWORD, "password": NEW, "again": NEW}
    assert web.post(ACCOUNT, data=change, follow_redirects=False).status_code == 303
    page = web.get(ACCOUNT).text
    assert f"Your new password is saved. {ENDED}" in page
