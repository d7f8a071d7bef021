"""Session cookies: the attributes every one of them shares (`set_session_cookie`, with the
`__Host-` name over https), and the organiser's: signed at sign-in, renewed by activity,
refused once idle or old.

The organiser's cookie carries their id, their session version (signing out or a new password
bumps it, which ends every cookie made before) and the sign-in time. Its signature's timestamp
is the last renewal: a cookie not renewed for `Settings.session_idle_s` is refused (ASVS 7.3.1),
and so is any cookie signed in more than `Settings.session_max_age_s` ago (7.3.2). Requests
renew it (`app.middleware.SessionRenewal`) at most every `RENEW_AFTER_S`.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.responses import Response

from app.models import Organiser
from app.security import ORGANISER_COOKIE, read_signed_cookie, sign_cookie
from app.settings import Settings

RENEW_AFTER_S = 300  # one re-signed cookie per five minutes of activity is enough


@dataclass(frozen=True)
class OrganiserSession:
    organiser_id: str
    version: int
    signed_in_at: float  # epoch seconds
    renewed_at: datetime  # when the cookie was last signed


def _sign(organiser_id: str, version: int, signed_in_at: float, settings: Settings) -> str:
    data = {"o": organiser_id, "v": version, "a": int(signed_in_at)}
    return sign_cookie(data, secret_key=settings.secret_key, kind=ORGANISER_COOKIE)


def read_session(cookie: str | None, settings: Settings) -> OrganiserSession | None:
    """The session in a cookie: genuine, renewed within the idle window, signed in recently
    enough. Whether its version is still the organiser's is for the caller to check."""
    if not cookie:
        return None
    found = read_signed_cookie(
        cookie,
        secret_key=settings.secret_key,
        kind=ORGANISER_COOKIE,
        max_age_s=settings.session_idle_s,
    )
    if found is None:
        return None
    data, renewed_at = found
    organiser_id, version = data.get("o"), data.get("v")
    if not isinstance(organiser_id, str) or not isinstance(version, int):
        return None
    # Cookies from before the sign-in time was recorded count from their last renewal.
    signed_in_at = data.get("a", renewed_at.timestamp())
    if not isinstance(signed_in_at, int | float):
        return None
    if time.time() - signed_in_at > settings.session_max_age_s:
        return None
    return OrganiserSession(organiser_id, version, float(signed_in_at), renewed_at)


def set_organiser_cookie(response: Response, organiser: Organiser, settings: Settings) -> None:
    """Sign the organiser in: a fresh session cookie on `response`."""
    value = _sign(organiser.id, organiser.session_version, time.time(), settings)
    _set(response, value, settings)


def renewal_header(cookie: str | None, settings: Settings) -> tuple[bytes, bytes] | None:
    """A `set-cookie` header that renews a valid session last signed over `RENEW_AFTER_S`
    ago; None when there is nothing to renew."""
    found = read_session(cookie, settings)
    if found is None:
        return None
    if (datetime.now(UTC) - found.renewed_at).total_seconds() < RENEW_AFTER_S:
        return None
    response = Response()
    _set(response, _sign(found.organiser_id, found.version, found.signed_in_at, settings), settings)
    return next((k, v) for k, v in response.raw_headers if k == b"set-cookie")


def _set(response: Response, value: str, settings: Settings) -> None:
    set_session_cookie(response, ORGANISER_COOKIE, value, settings)


def cookie_name(kind: str, settings: Settings) -> str:
    """The name of session cookie `kind` (ORGANISER_COOKIE, PARTICIPANT_COOKIE).

    Over https it carries the `__Host-` prefix (ASVS 3.3.3): a browser then keeps it only if it
    is Secure, for this host alone and path /, so no other subdomain and no plain-http page can
    set or overwrite it. Plain http (local development) cannot use the prefix.
    """
    return f"__Host-{kind}" if settings.secure_cookies else kind


def session_cookie_of(cookies: Mapping[str, str], kind: str, settings: Settings) -> str | None:
    """The value of session cookie `kind` among a request's cookies."""
    return cookies.get(cookie_name(kind, settings))


def clear_session_cookie(response: Response, kind: str, settings: Settings) -> None:
    """Delete session cookie `kind` (with its own attributes: a browser ignores a `__Host-`
    cookie set without Secure, a deletion included)."""
    response.delete_cookie(
        cookie_name(kind, settings), httponly=True, samesite="lax", secure=settings.secure_cookies
    )


def set_session_cookie(response: Response, kind: str, value: str, settings: Settings) -> None:
    """Session cookie `kind` (organiser's or participant's): script-proof, same-site, Secure
    over https."""
    response.set_cookie(
        cookie_name(kind, settings),
        value,
        max_age=settings.session_max_age_s,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
