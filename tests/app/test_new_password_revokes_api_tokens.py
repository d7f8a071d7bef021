"""A new password revokes the organiser's API tokens: whoever changes it fearing a leak must not
leave a token (which acts as them on all their events) working. A refused change revokes
nothing, and a colleague's tokens are theirs."""

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import ApiToken, AuditLog, Organiser
from app.security import ORGANISER_COOKIE
from tests.factories import PASSWORD, make_api_token, make_organiser

ME = "/api/v1/organisers/me"
PASSWORD_URL = "/api/v1/organisers/me/password"
NEW_PASSWORD = "lantern orchard pebble quartz"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_password_changed_in_a_session_revokes_every_token_and_keeps_this_session(
    client: TestClient, session: Session, organiser: Organiser
) -> None:
    tokens = [make_api_token(session, organiser) for _ in range(2)]
    colleague = make_organiser(session, email="jens@agency.example")
    colleagues_token = make_api_token(session, colleague)
    client.post("/api/v1/auth/signin", json={"email": organiser.email, "password": PASSWORD})
    other_device = TestClient(
        client.app, cookies={ORGANISER_COOKIE: client.cookies[ORGANISER_COOKIE]}
    )
    assert [client.get(ME, headers=bearer(t)).status_code for t in tokens] == [200, 200]

    changed = client.put(
        PASSWORD_URL, json={"password": NEW_PASSWORD, "current_password": PASSWORD}
    )

    assert changed.status_code == 204
    assert [client.get(ME, headers=bearer(t)).status_code for t in tokens] == [401, 401]
    assert client.get(ME).status_code == 200  # this session goes on
    assert other_device.get(ME).status_code == 401
    assert client.get(ME, headers=bearer(colleagues_token)).status_code == 200
    listed = client.get(f"{ME}/tokens").json()
    assert [t["revoked"] for t in listed] == [True, True]
    entry = session.exec(select(AuditLog).where(AuditLog.action == "organiser.password")).one()
    assert entry.detail == {"api_tokens_revoked": 2}


def test_a_password_changed_with_a_token_revokes_that_token_too(
    client: TestClient, session: Session, organiser: Organiser
) -> None:
    token = make_api_token(session, organiser)
    changed = client.put(
        PASSWORD_URL,
        json={"password": NEW_PASSWORD, "current_password": PASSWORD},
        headers=bearer(token),
    )
    assert changed.status_code == 204
    assert client.get(ME, headers=bearer(token)).status_code == 401


def test_a_refused_password_change_revokes_no_token(
    client: TestClient, session: Session, organiser: Organiser
) -> None:
    token = make_api_token(session, organiser)
    wrong_current = client.put(
        PASSWORD_URL,
        json={"password": NEW_PASSWORD, "current_password": "not my password"},
        headers=bearer(token),
    )
    easy = client.put(
        PASSWORD_URL,
        json={"password": "password1234", "current_password": PASSWORD},
        headers=bearer(token),
    )
    assert (wrong_current.status_code, easy.status_code) == (422, 422)
    assert client.get(ME, headers=bearer(token)).status_code == 200
    session.expire_all()
    assert session.exec(select(ApiToken.revoked)).all() == [False]
