"""Access: organiser sign-in (password, invite link, rate limit), API tokens, personal links."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organiser
from app.organisers import service as organiser_service
from app.security import ORGANISER_COOKIE
from tests.factories import PASSWORD, make_event, make_participants


def test_password_sign_in_sets_a_session_cookie(client: TestClient, organiser: Organiser) -> None:
    response = client.post(
        "/api/v1/auth/signin", json={"email": "INES@agency.example", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.json()["email"] == "ines@agency.example"
    assert "httponly" in response.headers["set-cookie"].lower()
    assert client.get("/api/v1/organisers/me").json()["id"] == organiser.id
    client.post("/api/v1/auth/signout")
    client.cookies.clear()
    assert client.get("/api/v1/organisers/me").status_code == 401


def test_repeated_wrong_passwords_are_rate_limited(
    client: TestClient, organiser: Organiser
) -> None:
    wrong = {"email": organiser.email, "password": "wrong password"}
    codes = [client.post("/api/v1/auth/signin", json=wrong).status_code for _ in range(5)]
    assert codes == [401] * 5
    blocked = client.post("/api/v1/auth/signin", json={**wrong, "password": PASSWORD})
    assert blocked.status_code == 429
    assert blocked.json()["type"] == "too_many_requests"
    assert "retry-after" in blocked.headers


def test_invite_link_signs_in_once(client: TestClient, session: Session) -> None:
    invited = organiser_service.create_organiser(session, email="new@agency.example", name="New")
    token = organiser_service.issue_invite(session, organiser=invited)
    assert client.post("/api/v1/auth/invite", json={"token": token}).status_code == 200
    assert client.get("/api/v1/organisers/me").json()["email"] == "new@agency.example"
    client.cookies.clear()
    again = client.post("/api/v1/auth/invite", json={"token": token})
    assert again.status_code == 401


def test_an_old_api_invite_link_opens_the_page_without_spending_the_link(
    client: TestClient, session: Session
) -> None:
    # Links mailed before the invite page existed point here; a mail scanner opening one must
    # neither sign in nor use it up.
    invited = organiser_service.create_organiser(session, email="n2@agency.example", name="N")
    token = organiser_service.issue_invite(session, organiser=invited)
    opened = client.get(
        f"/api/v1/auth/invite/{token}?next=//evil.example/x", follow_redirects=False
    )
    assert opened.status_code == 303
    assert opened.headers["location"] == f"/organiser/invite/{token}"
    assert client.get("/api/v1/organisers/me").status_code == 401
    assert client.post("/api/v1/auth/invite", json={"token": token}).status_code == 200


def test_api_tokens_can_be_created_used_and_revoked(
    client: TestClient, organiser: Organiser
) -> None:
    client.post("/api/v1/auth/signin", json={"email": organiser.email, "password": PASSWORD})
    created = client.post("/api/v1/organisers/me/tokens", json={"name": "agency script"})
    assert created.status_code == 201
    raw, token_id = created.json()["token"], created.json()["id"]
    client.cookies.clear()
    bearer = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/events", headers=bearer).status_code == 200
    listed = client.get("/api/v1/organisers/me/tokens", headers=bearer).json()
    assert "token" not in listed[0]
    assert (
        client.delete(f"/api/v1/organisers/me/tokens/{token_id}", headers=bearer).status_code == 204
    )
    assert client.get("/api/v1/events", headers=bearer).status_code == 401


def test_personal_link_shows_only_own_data_and_reissue_revokes_it(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    first, second = make_participants(session, event, 2)
    links = org_client.post(f"/api/v1/events/{event.id}/links").json()
    assert {link["participant_id"] for link in links} == {first.id, second.id}
    token = next(link["token"] for link in links if link["participant_id"] == first.id)
    assert links[0]["link"].endswith(f"/p/{links[0]['token']}")
    participant = TestClient(org_client.app)
    me = participant.get("/api/v1/me", params={"token": token})
    assert me.status_code == 200
    assert me.json()["participant"]["id"] == first.id
    assert me.headers["referrer-policy"] == "no-referrer"
    # Exchanged for a cookie, the link is no longer needed on each request.
    assert participant.post("/api/v1/me/session", json={"token": token}).status_code == 200
    assert participant.get("/api/v1/me").json()["participant"]["id"] == first.id
    reissued = org_client.post(f"/api/v1/events/{event.id}/participants/{first.id}/link")
    assert reissued.status_code == 200
    assert participant.get("/api/v1/me").status_code == 401  # the old cookie is revoked
    assert participant.get("/api/v1/me", params={"token": token}).status_code == 401
    new = reissued.json()["token"]
    assert participant.get("/api/v1/me", params={"token": new}).json()["event"]["id"] == event.id


def test_a_participant_token_opens_no_organiser_endpoint(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    make_participants(session, event, 2)
    token = org_client.post(f"/api/v1/events/{event.id}/links").json()[0]["token"]
    outsider = TestClient(org_client.app)
    for path in (f"/api/v1/events/{event.id}", f"/api/v1/events/{event.id}/participants"):
        assert outsider.get(path, params={"token": token}).status_code == 401
        bearer = {"Authorization": f"Bearer {token}"}
        assert outsider.get(path, headers=bearer).status_code == 401


def test_signing_out_ends_the_session_for_every_copy_of_the_cookie(
    client: TestClient, organiser: Organiser
) -> None:
    client.post("/api/v1/auth/signin", json={"email": organiser.email, "password": PASSWORD})
    stolen = client.cookies.get(ORGANISER_COOKIE)
    assert stolen
    assert client.get("/api/v1/organisers/me").status_code == 200
    assert client.post("/api/v1/auth/signout").status_code == 204
    replay = TestClient(client.app, cookies={ORGANISER_COOKIE: stolen})
    assert replay.get("/api/v1/organisers/me").status_code == 401


def test_a_new_password_ends_other_sessions_but_keeps_this_one(
    client: TestClient, organiser: Organiser
) -> None:
    client.post("/api/v1/auth/signin", json={"email": organiser.email, "password": PASSWORD})
    other_device = TestClient(
        client.app, cookies={ORGANISER_COOKIE: client.cookies[ORGANISER_COOKIE]}
    )
    assert other_device.get("/api/v1/organisers/me").status_code == 200
    changed = client.put(
        "/api/v1/organisers/me/password",
        json={"password": "a much newer secret", "current_password": PASSWORD},
    )
    assert changed.status_code == 204
    assert client.get("/api/v1/organisers/me").status_code == 200
    assert other_device.get("/api/v1/organisers/me").status_code == 401


def test_a_new_password_that_is_easy_to_guess_is_refused_with_the_reason(
    client: TestClient, organiser: Organiser
) -> None:
    client.post("/api/v1/auth/signin", json={"email": organiser.email, "password": PASSWORD})
    url = "/api/v1/organisers/me/password"
    common = client.put(url, json={"password": "password1234", "current_password": PASSWORD})
    assert common.status_code == 422
    assert "too easy to guess" in common.json()["detail"]
    assert "common password" in common.json()["detail"]
    own_address = client.put(
        url, json={"password": "ines@agency.example1", "current_password": PASSWORD}
    )
    assert own_address.status_code == 422
    assert "e-mail address or name" in own_address.json()["detail"]
    # Nothing changed: the old password still signs in.
    client.post("/api/v1/auth/signout")
    again = client.post(
        "/api/v1/auth/signin", json={"email": organiser.email, "password": PASSWORD}
    )
    assert again.status_code == 200


def test_changing_a_password_needs_the_current_one(
    client: TestClient, organiser: Organiser
) -> None:
    # A session left open on a shared computer must not be enough to take the account over.
    client.post("/api/v1/auth/signin", json={"email": organiser.email, "password": PASSWORD})
    url = "/api/v1/organisers/me/password"
    for current in ({}, {"current_password": "a wrong guess"}):
        refused = client.put(url, json={"password": "a thief's new secret", **current})
        assert refused.status_code == 422
        assert "current password is not right" in refused.json()["detail"]
        assert refused.json()["errors"][0]["field"] == "current_password"
    client.post("/api/v1/auth/signout")
    still = client.post(
        "/api/v1/auth/signin", json={"email": organiser.email, "password": PASSWORD}
    )
    assert still.status_code == 200
