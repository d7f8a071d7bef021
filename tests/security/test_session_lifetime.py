"""Organiser sessions end when idle (ASVS 7.3.1) or old (7.3.2); activity renews them.

Time is moved by signing the cookie in the past: the signer's timestamp is the cookie's last
renewal, the `a` field its sign-in.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from itsdangerous.timed import TimestampSigner

from app import sessions
from app.models import Organiser
from app.security import ORGANISER_COOKIE
from app.settings import get_settings
from tests.factories import PASSWORD

ME = "/api/v1/organisers/me"


@contextmanager
def signed_at(monkeypatch: pytest.MonkeyPatch, seconds_ago: float) -> Iterator[None]:
    """Cookies signed inside this block carry a timestamp `seconds_ago` in the past."""
    with monkeypatch.context() as m:
        m.setattr(TimestampSigner, "get_timestamp", lambda _: int(time.time() - seconds_ago))
        yield


def sign_in(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/signin", json={"email": "ines@agency.example", "password": PASSWORD}
    )
    assert response.status_code == 200


def organiser_cookies(response_headers: list[tuple[str, str]]) -> list[str]:
    return [v for k, v in response_headers if k == "set-cookie" and v.startswith(ORGANISER_COOKIE)]


def test_an_idle_session_is_refused(
    client: TestClient, organiser: Organiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    with signed_at(monkeypatch, get_settings().session_idle_s + 60):
        sign_in(client)
    response = client.get(ME)
    assert response.status_code == 401
    assert organiser_cookies(response.headers.multi_items()) == []  # nothing to renew


def test_activity_renews_the_session_and_keeps_its_sign_in_time(
    client: TestClient, organiser: Organiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    idle = get_settings().session_idle_s
    with signed_at(monkeypatch, idle - 30):  # about to go idle
        sign_in(client)
    signed_in = sessions.read_session(client.cookies[ORGANISER_COOKIE], get_settings())
    assert signed_in is not None

    response = client.get(ME)
    assert response.status_code == 200
    (renewed,) = organiser_cookies(response.headers.multi_items())
    assert "httponly" in renewed.lower()
    now = sessions.read_session(client.cookies[ORGANISER_COOKIE], get_settings())
    assert now is not None
    assert now.renewed_at > signed_in.renewed_at
    assert now.signed_in_at == signed_in.signed_in_at
    # An hour later the old cookie would be idle; the renewed one is not.
    monkeypatch.setattr(time, "time", lambda real=time.time: real() + 3600)
    assert client.get(ME).status_code == 200


def test_a_recent_cookie_is_not_rewritten_on_every_request(
    client: TestClient, organiser: Organiser
) -> None:
    sign_in(client)
    response = client.get(ME)
    assert response.status_code == 200
    assert organiser_cookies(response.headers.multi_items()) == []


def test_a_session_ends_at_its_absolute_lifetime_however_active(
    client: TestClient, organiser: Organiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    lifetime = get_settings().session_max_age_s
    with monkeypatch.context() as m:
        m.setattr(time, "time", lambda real=time.time: real() - lifetime - 60)
        m.setattr(TimestampSigner, "get_timestamp", lambda _, real=time.time: int(real()))
        sign_in(client)  # signed in long ago, renewed just now
    response = client.get(ME)
    assert response.status_code == 401
    assert organiser_cookies(response.headers.multi_items()) == []


def test_signing_out_is_not_undone_by_the_renewal(
    client: TestClient, organiser: Organiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    with signed_at(monkeypatch, sessions.RENEW_AFTER_S + 60):  # a renewal is due
        sign_in(client)
    old = client.cookies[ORGANISER_COOKIE]
    response = client.post("/api/v1/auth/signout")
    assert response.status_code == 204
    (cleared,) = organiser_cookies(response.headers.multi_items())
    assert "max-age=0" in cleared.lower()
    client.cookies.set(ORGANISER_COOKIE, old)
    assert client.get(ME).status_code == 401


def test_a_response_any_cache_may_keep_never_carries_the_session_cookie(
    client: TestClient, organiser: Organiser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stylesheet is `Cache-Control: public` for a year: a proxy or CDN that stored it with a
    renewed cookie would hand this organiser's session to everyone who loads the page."""
    with signed_at(monkeypatch, sessions.RENEW_AFTER_S + 60):  # a renewal is due
        sign_in(client)
    style = client.get("/static/app.css")
    assert style.status_code == 200
    assert "public" in style.headers["cache-control"]
    assert organiser_cookies(style.headers.multi_items()) == []
    # The renewal waits for the next private response instead.
    (renewed,) = organiser_cookies(client.get(ME).headers.multi_items())
    assert "httponly" in renewed.lower()
