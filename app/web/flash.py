"""One-time notices for Post/Redirect/Get: a form that did its work answers with a redirect
(303) to its page, which shows what happened once (a new API token, an invite link, "saved");
reloading that page shows it plain and re-sends nothing.

The notice travels in a cookie, sealed (encrypted and authenticated, app.organisers.sealed) so
that a secret shown once is never in a URL, a log or readable in the browser's cookie store.
Server-side state would need a table (there is no session row) or would be lost between worker
processes. The cookie is HttpOnly, SameSite=Strict, `__Host-` over https, names its organiser
and its page, lives `MAX_AGE_S` at most and is deleted by the page that shows it.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from app.organisers.sealed import seal, unseal
from app.sessions import cookie_name
from app.settings import Settings

NOTICE_COOKIE = "sm_notice"
PURPOSE = b"speedmatch one-time notices v1"
MAX_AGE_S = 120  # from the form's answer to the page it leads to: one redirect


def redirect(
    path: str, notice: dict[str, Any], *, organiser_id: str, settings: Settings
) -> RedirectResponse:
    """The answer to a form that did its work: to `path`, which shows `notice` (JSON values)
    to this organiser once."""
    response = RedirectResponse(path, status_code=303)
    if notice:
        data = json.dumps({"o": organiser_id, "p": path, "n": notice})
        response.set_cookie(
            cookie_name(NOTICE_COOKIE, settings),
            seal(data, settings.secret_key, purpose=PURPOSE),
            max_age=MAX_AGE_S,
            httponly=True,
            samesite="strict",
            secure=settings.secure_cookies,
        )
    return response


def read(request: Request, *, organiser_id: str, settings: Settings) -> dict[str, Any]:
    """The notice waiting for this organiser on this page ({} when none, or one made for
    someone else or another page); the page that shows it calls `shown`."""
    sealed = request.cookies.get(cookie_name(NOTICE_COOKIE, settings))
    opened = sealed and unseal(sealed, settings.secret_key, purpose=PURPOSE, max_age_s=MAX_AGE_S)
    if not opened:
        return {}
    data = json.loads(opened)
    ours = data.get("o") == organiser_id and data.get("p") == request.url.path
    notice = data.get("n") if ours else None
    return notice if isinstance(notice, dict) else {}


def shown(request: Request, response: Response, settings: Settings) -> Response:
    """Delete the notice's cookie, if the request had one: a reload shows the plain page."""
    name = cookie_name(NOTICE_COOKIE, settings)
    if name in request.cookies:
        response.delete_cookie(
            name, httponly=True, samesite="strict", secure=settings.secure_cookies
        )
    return response
