"""Session cookies, security headers, websocket Origin, sign-in rate limit, token strength, IDOR."""

from __future__ import annotations

import base64
import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from starlette.websockets import WebSocketDisconnect

from app import deps, security
from app.db import make_engine
from app.main import create_app
from app.models import ApiToken, Participant
from app.settings import get_settings
from tests.factories import PASSWORD
from tests.security.conftest import EVENT_A_NAME, World


def cookie_flags(set_cookie: str) -> dict[str, str | bool]:
    parsed = SimpleCookie()
    parsed.load(set_cookie)
    (morsel,) = parsed.values()
    return {
        "httponly": bool(morsel["httponly"]),
        "secure": bool(morsel["secure"]),
        "samesite": str(morsel["samesite"]).lower(),
    }


def sign_in_cookies(client: TestClient, world: World) -> list[dict[str, str | bool]]:
    """Flags of the organiser cookie (API and page sign-in) and the participant cookie."""
    client.cookies.clear()
    api = client.post("/api/v1/auth/signin", json={"email": world.a_email, "password": PASSWORD})
    page = client.post("/organiser/sign-in", data={"email": world.a_email, "password": PASSWORD})
    link = client.post("/api/v1/me/session", json={"token": world.a.tokens[world.a1]})
    assert [api.status_code, page.status_code, link.status_code] == [200, 303, 200]
    return [cookie_flags(r.headers["set-cookie"]) for r in (api, page, link)]


@contextmanager
def https_client(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The app served, and configured, as at https://partners.agency.example."""
    monkeypatch.setenv("SPEEDMATCH_BASE_URL", "https://partners.agency.example")
    get_settings.cache_clear()
    with TestClient(
        create_app(), base_url="https://partners.agency.example", follow_redirects=False
    ) as client:
        yield client


def test_session_cookies_are_httponly_and_samesite_over_http(world: World) -> None:
    for flags in sign_in_cookies(world.client, world):
        assert flags == {"httponly": True, "secure": False, "samesite": "lax"}


def test_session_cookies_are_secure_when_the_service_is_served_over_https(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    with https_client(monkeypatch) as client:
        for flags in sign_in_cookies(client, world):
            assert flags == {"httponly": True, "secure": True, "samesite": "lax"}


def test_over_https_session_cookies_carry_the_host_prefix_and_still_work(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`__Host-` (ASVS 3.3.3): Secure, path /, no Domain, or a browser drops the cookie."""
    with https_client(monkeypatch) as client:
        sign_in_cookies(client, world)
        assert set(client.cookies.keys()) == {"__Host-sm_org", "__Host-sm_part"}
        for response in (
            client.post("/api/v1/auth/signin", json={"email": world.a_email, "password": PASSWORD}),
            client.post("/api/v1/me/session", json={"token": world.a.tokens[world.a1]}),
        ):
            header = response.headers["set-cookie"]
            assert header.startswith("__Host-")
            assert "path=/;" in header.lower() + ";"
            assert "domain" not in header.lower()
        assert client.get("/api/v1/organisers/me").status_code == 200
        assert client.get("/api/v1/me/room").status_code == 200
        assert client.get("/organiser").status_code == 200

        signed_out = client.post("/api/v1/auth/signout")
        cleared = signed_out.headers["set-cookie"]
        assert cleared.startswith("__Host-sm_org=")
        assert "secure" in cleared.lower()  # else a browser ignores the deletion
        assert client.get("/api/v1/organisers/me").status_code == 401
        # The plain name means nothing over https: it could have been set by an http page.
        client.post("/api/v1/auth/signin", json={"email": world.a_email, "password": PASSWORD})
        value = client.cookies["__Host-sm_org"]
        client.cookies.clear()
        client.cookies.set("sm_org", value)
        assert client.get("/api/v1/organisers/me").status_code == 401


@pytest.mark.parametrize(
    "path", ["/", "/organiser/sign-in", "/p/not-a-token", "/api/v1/health", "/static/app.css"]
)
def test_security_headers_on_pages_and_api(world: World, path: str) -> None:
    response = world.client.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    # Personal links travel in URLs: no page may hand them to another site as a Referer.
    assert response.headers["referrer-policy"] == "no-referrer"


def test_personal_page_is_not_cached_and_has_a_content_security_policy(world: World) -> None:
    response = world.client.get(f"/p/{world.a.tokens[world.a1]}")
    assert response.status_code == 200
    assert "default-src" in response.headers.get("content-security-policy", "")
    assert "no-store" in response.headers.get("cache-control", "")


@pytest.mark.parametrize("origin", ["https://evil.example", "http://testserver.evil.example"])
def test_websockets_refuse_a_foreign_origin(world: World, origin: str) -> None:
    urls = [
        f"/ws/participant?token={world.a.tokens[world.a1]}",
        f"/ws/organiser/{world.a.event_id}?token={world.a.api_token}",
    ]
    for url in urls:
        with (
            pytest.raises(WebSocketDisconnect) as refused,
            world.client.websocket_connect(url, headers={"origin": origin}) as ws,
        ):
            ws.receive_json()
        assert (refused.value.code, refused.value.reason) == (4403, "origin not allowed")
        # The same request from the service's own pages opens.
        with world.client.websocket_connect(url, headers={"origin": "http://testserver"}) as ws:
            assert ws.receive_json()["type"] == "state"


def test_sign_in_is_rate_limited_per_account_and_the_right_password_waits_too(
    world: World,
) -> None:
    client = world.client
    wrong = {"email": world.a_email, "password": "not the password"}
    codes = [client.post("/api/v1/auth/signin", json=wrong).status_code for _ in range(5)]
    assert codes == [401] * 5
    blocked = client.post("/api/v1/auth/signin", json={**wrong, "password": PASSWORD})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    # The sign-in page shares the same counter: no way around it through the form.
    page = client.post("/organiser/sign-in", data={"email": world.a_email, "password": PASSWORD})
    assert page.status_code == 429 or "sm_org" not in page.headers.get("set-cookie", "")


def test_tokens_have_at_least_128_bits_and_only_their_digest_is_stored(world: World) -> None:
    token = security.new_token()
    assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 >= 128
    assert len({security.new_token() for _ in range(1000)}) == 1000
    engine = make_engine(world.database_url)
    try:
        with Session(engine) as session:
            stored = [p.token_hash for p in session.exec(select(Participant)).all()]
            stored += [t.token_hash for t in session.exec(select(ApiToken)).all()]
    finally:
        engine.dispose()
    raw = [*world.a.tokens.values(), *world.b.tokens.values(), world.a.api_token]
    assert stored
    assert not set(raw) & set(stored)
    assert set(map(security.hash_token, world.a.tokens.values())) <= set(stored)


def test_token_comparison_is_constant_time() -> None:
    assert "hmac.compare_digest" in inspect.getsource(security.token_matches)
    assert "token_matches" in inspect.getsource(deps.participant_for_token)
    assert "token_matches" in inspect.getsource(deps.api_token_owner)


def test_ids_of_another_event_do_not_work_under_my_own_event(world: World) -> None:
    """IDOR: organiser B names their own event but a participant of A (and the other way)."""
    client = world.client
    client.cookies.clear()
    b_auth = {"Authorization": f"Bearer {world.b.api_token}"}
    a_auth = {"Authorization": f"Bearer {world.a.api_token}"}
    mine, theirs = world.b.event_id, world.a2
    for method, path in [
        ("GET", f"/api/v1/events/{mine}/participants/{theirs}"),
        ("PATCH", f"/api/v1/events/{mine}/participants/{theirs}"),
        ("DELETE", f"/api/v1/events/{mine}/participants/{theirs}"),
        ("POST", f"/api/v1/events/{mine}/participants/{theirs}/link"),
        ("POST", f"/api/v1/events/{mine}/participants/{theirs}/erase"),
    ]:
        body = {"role": "x"} if method == "PATCH" else None
        response = client.request(method, path, headers=b_auth, json=body)
        assert response.status_code == 404, (method, path, response.status_code)
    live_bodies: list[tuple[str, dict[str, object]]] = [
        ("absent", {"participant_id": theirs}),
        ("move", {"participant_id": theirs, "room": 1}),
    ]
    for action, live_body in live_bodies:
        url = f"/api/v1/events/{mine}/live/{action}"
        response = client.post(url, headers=b_auth, json=live_body)
        assert response.status_code == 404, (action, response.status_code)
        assert not any(secret in response.text for secret in world.a_secrets)
    # A's participant is untouched and A's organiser still sees them as before.
    shown = client.get(f"/api/v1/events/{world.a.event_id}/participants/{theirs}", headers=a_auth)
    assert shown.status_code == 200
    assert (shown.json()["role"], shown.json()["attendance"]) == (None, "present")
    # A participant of B cannot record a decision about someone of A, by id.
    decision = client.put(
        f"/api/v1/me/decisions/{theirs}",
        params={"token": world.b.tokens[world.b1]},
        json={"share": True},
    )
    assert decision.status_code == 404


def test_a_form_posted_from_another_site_is_refused_and_changes_nothing(world: World) -> None:
    """Cross-site request forgery: SameSite=Lax cookies plus an Origin check on every form."""
    client = world.client
    client.cookies.clear()
    client.cookies.set("sm_org", world.roles["organiser_this"].organiser_cookie or "")
    forged = client.post(
        f"/organiser/events/{world.a.event_id}",
        data={"name": "Renamed by evil.example"},
        headers={"origin": "https://evil.example"},
    )
    assert forged.status_code == 403
    shown = client.get(
        f"/api/v1/events/{world.a.event_id}",
        headers={"Authorization": f"Bearer {world.a.api_token}"},
    )
    assert shown.json()["name"] == EVENT_A_NAME
    decision = client.post(
        f"/p/{world.a.tokens[world.a1]}/decisions/{world.a2}",
        data={"share": "yes"},
        headers={"origin": "https://evil.example"},
    )
    assert decision.status_code == 403


def test_an_oversized_body_is_refused_before_it_is_read(world: World) -> None:
    limit = get_settings().max_body_bytes
    response = world.client.post(
        f"/api/v1/events/{world.a.event_id}/participants/import",
        headers={"Authorization": f"Bearer {world.a.api_token}", "content-type": "text/csv"},
        content=b"x" * (limit + 1),
    )
    assert response.status_code == 413
    assert str(limit) in response.json()["detail"]
    # Refused before any route runs, yet with the headers every answer carries.
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
