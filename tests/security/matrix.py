"""Who may call what: every HTTP route and websocket of the app, with its access rule.

A route missing from `ROUTES` makes `test_every_route_has_an_access_rule` fail, so a new endpoint
cannot ship without a decision about who may call it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from tests.factories import PASSWORD


class Access(Enum):
    PUBLIC = "anyone"
    CREDENTIAL = "only the holder of a valid one-time credential (none of the callers)"
    ORGANISER = "any signed-in organiser"
    EVENT = "the organiser of this event only"
    OWN_TOKEN = "the organiser owning this API token only"
    ME = "any participant (their own data)"
    MATE = "a participant of this event, about a room-mate"


ROLES = ["anonymous", "participant_this", "participant_other", "organiser_other", "organiser_this"]

ALLOWED: dict[Access, set[str]] = {
    Access.PUBLIC: set(ROLES),
    Access.CREDENTIAL: set(),
    Access.ORGANISER: {"organiser_other", "organiser_this"},
    Access.EVENT: {"organiser_this"},
    Access.OWN_TOKEN: {"organiser_this"},
    Access.ME: {"participant_this", "participant_other"},
    Access.MATE: {"participant_this"},
}

# A request body: built from the world (ids, e-mails) when the rule needs real values.
Body = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class Rule:
    access: Access
    json: Body | None = None
    form: Body | None = None
    content: bytes | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _json(value: dict[str, Any]) -> Body:
    return lambda _world: value


def _signin(world: Any) -> dict[str, Any]:
    return {"email": world.a_email, "password": PASSWORD}


CSV = b"id,name,email,school,country,sector,languages\nx1,Ann,ann@example.org,S,NL,primary,en\n"

API = "/api/v1"
EV = API + "/events/{event_id}"
ORG_PAGE = "/organiser/events/{event_id}"

ROUTES: dict[str, Rule] = {
    # --- public -------------------------------------------------------------------------
    f"GET {API}/health": Rule(Access.PUBLIC),
    f"POST {API}/auth/signin": Rule(Access.PUBLIC, json=_signin),
    f"POST {API}/auth/invite": Rule(Access.CREDENTIAL, json=_json({"token": "x" * 43})),
    # A redirect to the invite page for a usable link (links mailed before it existed).
    f"GET {API}/auth/invite/{{token}}": Rule(Access.CREDENTIAL),
    f"POST {API}/auth/signout": Rule(Access.PUBLIC),
    f"POST {API}/me/session": Rule(Access.PUBLIC, json=lambda w: {"token": w.a.tokens[w.a1]}),
    "GET /": Rule(Access.PUBLIC),
    "GET /organiser/sign-in": Rule(Access.PUBLIC),
    "POST /organiser/sign-in": Rule(Access.PUBLIC, form=_signin),
    "GET /organiser/invite/{token}": Rule(Access.CREDENTIAL),
    "POST /organiser/invite/{token}": Rule(Access.CREDENTIAL),
    "POST /organiser/sign-out": Rule(Access.PUBLIC),
    "GET /register/{slug}": Rule(Access.PUBLIC),
    "POST /register/{slug}": Rule(Access.PUBLIC, form=_json({"name": "Walk In"})),
    "GET /static/{name}": Rule(Access.PUBLIC),
    "GET /favicon.ico": Rule(Access.PUBLIC),
    # --- any organiser (their own account) ----------------------------------------------
    f"GET {API}/organisers/me": Rule(Access.ORGANISER),
    f"PUT {API}/organisers/me/password": Rule(
        Access.ORGANISER, json=_json({"current_password": "nope", "new_password": "x" * 12})
    ),
    f"POST {API}/organisers/invites": Rule(
        Access.ORGANISER, json=_json({"email": "co-host@agency.example", "name": "Co"})
    ),
    f"GET {API}/organisers": Rule(Access.ORGANISER),
    # `organiser_id` is organiser A: their own account for A, one that owns an event for B;
    # both refused (409), so nothing is removed.
    f"DELETE {API}/organisers/{{organiser_id}}": Rule(Access.ORGANISER),
    "GET /organiser/account/colleagues/{organiser_id}/remove": Rule(Access.ORGANISER),
    "POST /organiser/account/colleagues/{organiser_id}/remove": Rule(Access.ORGANISER),
    # No e-mail address: refused on the page, so nobody is invited.
    "POST /organiser/account/colleagues/invite": Rule(Access.ORGANISER, form=_json({"name": "Co"})),
    f"GET {API}/organisers/me/tokens": Rule(Access.ORGANISER),
    f"POST {API}/organisers/me/tokens": Rule(Access.ORGANISER, json=_json({"name": "script"})),
    f"DELETE {API}/organisers/me/tokens/{{token_id}}": Rule(Access.OWN_TOKEN),
    f"GET {API}/events": Rule(Access.ORGANISER),
    f"POST {API}/events": Rule(
        Access.ORGANISER, json=_json({"name": "New day", "starts_at": "2031-05-01T10:00:00"})
    ),
    f"POST {API}/purge-expired": Rule(Access.ORGANISER),
    "GET /organiser": Rule(Access.ORGANISER),
    "GET /organiser/account": Rule(Access.ORGANISER),
    # Two different passwords: the organiser gets the form back, and nobody's password changes.
    "POST /organiser/account": Rule(
        Access.ORGANISER, form=_json({"password": "lantern quietly oboe", "again": "lantern"})
    ),
    # A code while nothing is being set up: refused as such, and nothing changes.
    "POST /organiser/account/two-step/{step}": Rule(Access.ORGANISER, form=_json({"code": "1"})),
    # An empty name: refused on the page, so no token is made.
    "POST /organiser/account/tokens": Rule(Access.ORGANISER, form=_json({"name": " "})),
    "POST /organiser/account/tokens/{token_id}/revoke": Rule(Access.OWN_TOKEN),
    "GET /organiser/events/new": Rule(Access.ORGANISER),
    "POST /organiser/events/new": Rule(
        Access.ORGANISER, form=_json({"name": "Page day", "starts_at": "2031-05-01T10:00"})
    ),
    # --- the organiser of this event ----------------------------------------------------
    f"GET {EV}": Rule(Access.EVENT),
    f"PATCH {EV}": Rule(Access.EVENT, json=_json({"name": "Renamed"})),
    f"DELETE {EV}": Rule(Access.EVENT),
    f"POST {EV}/phase": Rule(Access.EVENT, json=_json({"phase": "open"})),
    f"GET {EV}/audit": Rule(Access.EVENT),
    f"GET {EV}/participants": Rule(Access.EVENT),
    f"POST {EV}/participants": Rule(
        Access.EVENT,
        json=_json(
            {
                "name": "Added",
                "email": "added@example.org",
                "school": "S",
                "country": "NL",
                "sector": "primary",
                "languages": ["en"],
            }
        ),
    ),
    f"POST {EV}/participants/import": Rule(Access.EVENT, content=CSV),
    f"GET {EV}/participants/{{participant_id}}": Rule(Access.EVENT),
    f"PATCH {EV}/participants/{{participant_id}}": Rule(Access.EVENT, json=_json({"role": "x"})),
    f"DELETE {EV}/participants/{{participant_id}}": Rule(Access.EVENT),
    f"POST {EV}/participants/{{participant_id}}/link": Rule(Access.EVENT),
    f"POST {EV}/participants/{{participant_id}}/erase": Rule(Access.EVENT),
    f"POST {EV}/links": Rule(Access.EVENT),
    f"POST {EV}/schedule": Rule(Access.EVENT, json=_json({})),
    f"GET {EV}/schedule": Rule(Access.EVENT),
    f"POST {EV}/schedule/swap": Rule(
        Access.EVENT, json=lambda w: {"round": 2, "a": w.a1, "b": w.a2}
    ),
    f"POST {EV}/schedule/move": Rule(
        Access.EVENT, json=lambda w: {"round": 2, "participant": w.a1, "room": 1}
    ),
    f"GET {EV}/exports/zoom.csv": Rule(Access.EVENT),
    f"GET {EV}/exports/bbb.json": Rule(Access.EVENT),
    f"GET {EV}/exports/report.html": Rule(Access.EVENT),
    f"GET {EV}/exports/{{kind}}.{{fmt}}": Rule(Access.EVENT),
    f"GET {EV}/contact-settings": Rule(Access.EVENT),
    f"PATCH {EV}/contact-settings": Rule(Access.EVENT, json=_json({"mutual_consent": True})),
    f"PUT {EV}/export-closed": Rule(Access.EVENT, json=_json({"closed": False})),
    f"POST {EV}/purge": Rule(Access.EVENT),
    f"GET {EV}/live": Rule(Access.EVENT),
    f"POST {EV}/live/start-round": Rule(Access.EVENT),
    f"POST {EV}/live/end-round": Rule(Access.EVENT),
    f"POST {EV}/live/pause": Rule(Access.EVENT),
    f"POST {EV}/live/resume": Rule(Access.EVENT),
    f"POST {EV}/live/extend": Rule(Access.EVENT, json=_json({"seconds": 30})),
    f"POST {EV}/live/broadcast": Rule(Access.EVENT, json=_json({"text": "Hello rooms"})),
    f"POST {EV}/live/absent": Rule(Access.EVENT, json=lambda w: {"participant_id": w.a2}),
    f"POST {EV}/live/present": Rule(Access.EVENT, json=lambda w: {"participant_id": w.a2}),
    f"POST {EV}/live/move": Rule(Access.EVENT, json=lambda w: {"participant_id": w.a2, "room": 1}),
    f"GET {ORG_PAGE}": Rule(Access.EVENT),
    f"POST {ORG_PAGE}": Rule(Access.EVENT, form=_json({"name": "Renamed by page"})),
    f"POST {ORG_PAGE}/phase": Rule(Access.EVENT, form=_json({"to": "open"})),
    f"GET {ORG_PAGE}/finish": Rule(Access.EVENT),
    f"GET {ORG_PAGE}/contact-exchange/close": Rule(Access.EVENT),
    f"POST {ORG_PAGE}/contact-exchange": Rule(Access.EVENT, form=_json({"to": "open"})),
    f"GET {ORG_PAGE}/live": Rule(Access.EVENT),
    f"GET {ORG_PAGE}/live/next": Rule(Access.EVENT),
    f"GET {ORG_PAGE}/participants": Rule(Access.EVENT),
    f"GET {ORG_PAGE}/participants/list": Rule(Access.EVENT),
    f"POST {ORG_PAGE}/participants/import": Rule(
        Access.EVENT, files={"file": ("people.csv", CSV, "text/csv")}
    ),
    f"POST {ORG_PAGE}/participants": Rule(Access.EVENT, form=_json({"name": "Form Added"})),
    f"GET {ORG_PAGE}/participants/{{participant_id}}": Rule(Access.EVENT),
    f"POST {ORG_PAGE}/participants/{{participant_id}}": Rule(
        Access.EVENT, form=_json({"name": "Fixed"})
    ),
    f"GET {ORG_PAGE}/participants/{{participant_id}}/remove": Rule(Access.EVENT),
    f"POST {ORG_PAGE}/participants/{{participant_id}}/remove": Rule(Access.EVENT),
    f"GET {ORG_PAGE}/participants/{{participant_id}}/erase": Rule(Access.EVENT),
    f"POST {ORG_PAGE}/participants/{{participant_id}}/erase": Rule(Access.EVENT),
    f"GET {ORG_PAGE}/links": Rule(Access.EVENT),
    f"POST {ORG_PAGE}/links": Rule(Access.EVENT, form=_json({})),
    f"POST {ORG_PAGE}/links/email": Rule(Access.EVENT, form=_json({})),
    f"GET {ORG_PAGE}/schedule": Rule(Access.EVENT),
    f"POST {ORG_PAGE}/schedule/generate": Rule(Access.EVENT, form=_json({})),
    f"POST {ORG_PAGE}/schedule/pins": Rule(
        Access.EVENT, form=lambda w: {"a": w.a1, "b": w.a2, "together": "no"}
    ),
    f"POST {ORG_PAGE}/schedule/change": Rule(
        Access.EVENT, form=lambda w: {"round": "2", "a": w.a1, "b": w.a2}
    ),
    # --- a participant, their own data --------------------------------------------------
    f"GET {API}/me": Rule(Access.ME),
    f"PATCH {API}/me": Rule(Access.ME, json=_json({"locale": "nl"})),
    f"GET {API}/me/room": Rule(Access.ME),
    f"GET {API}/me/meetings": Rule(Access.ME),
    f"GET {API}/me/rooms": Rule(Access.ME),
    f"GET {API}/me/contacts": Rule(Access.ME),
    f"GET {API}/me/contacts.{{fmt}}": Rule(Access.ME),
    f"GET {API}/me/data.json": Rule(Access.ME),
    f"DELETE {API}/me/data": Rule(Access.ME),
    "GET /p/{token}": Rule(Access.ME),
    "GET /p/{token}/met": Rule(Access.ME),
    "GET /p/{token}/erase": Rule(Access.ME),
    "POST /p/{token}/erase": Rule(Access.ME),
    "GET /p/{token}/contacts": Rule(Access.ME),
    # --- a participant of this event, about their room-mate -----------------------------
    f"PUT {API}/me/decisions/{{other_id}}": Rule(Access.MATE, json=_json({"share": True})),
    "POST /p/{token}/decisions/{other_id}": Rule(Access.MATE, form=_json({"share": "yes"})),
}

WEBSOCKETS: dict[str, Access] = {
    "/ws/participant": Access.ME,
    "/ws/organiser/{event_id}": Access.EVENT,
}

# Routes FastAPI adds itself: the schema and its viewers (public documentation of the API).
FRAMEWORK = {
    "GET /openapi.json",
    "GET /docs",
    "GET /docs/oauth2-redirect",
    "GET /redoc",
}
