"""The authorisation matrix: every route and websocket x five callers, exactly allow or deny.

Callers: anonymous, a participant of this event, a participant of another event, the organiser of
another event and the organiser of this event. Denials are 401/403/404 (or, for pages, a redirect
to the sign-in page), reveal nothing of the other event, and change nothing in the database.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi.routing import iter_route_contexts
from sqlmodel import Session, col, func, select
from starlette.websockets import WebSocketDisconnect

from app.db import make_engine
from app.main import create_app
from app.models import ApiToken, ContactDecision, Event, Organiser, Participant, RoomMember
from tests.security.conftest import EVENT_A_NAME, Role, World, random_link_token
from tests.security.matrix import ALLOWED, FRAMEWORK, ROLES, ROUTES, WEBSOCKETS, Access, Rule

DENIED_STATUS = {401, 403, 404}


def app_routes() -> tuple[set[str], set[str]]:
    """("METHOD path" of every HTTP route, path of every websocket) as the app serves them."""
    http: set[str] = set()
    sockets: set[str] = set()
    for context in iter_route_contexts(create_app().routes):
        methods = set(getattr(context, "methods", None) or ()) - {"HEAD"}
        path = str(getattr(context, "path", ""))
        if not methods:
            sockets.add(path)
        http.update(f"{method} {path}" for method in methods)
    return http, sockets


def test_every_route_has_an_access_rule() -> None:
    http, sockets = app_routes()
    assert sorted(http - set(ROUTES) - FRAMEWORK) == [], "add these routes to tests/security/matrix"
    assert sorted(set(ROUTES) - http) == [], "these routes no longer exist"
    assert sockets == set(WEBSOCKETS)


def organiser_a(world: World) -> str:
    """The id of organiser A (the owner of this event)."""
    engine = make_engine(world.database_url)
    try:
        with Session(engine) as session:
            return session.exec(select(Organiser.id).where(Organiser.email == world.a_email)).one()
    finally:
        engine.dispose()


def fill(world: World, template: str, role: Role) -> str:
    return template.format(
        organiser_id=organiser_a(world) if "{organiser_id}" in template else "",
        event_id=world.a.event_id,
        participant_id=world.a2,
        other_id=world.a2,
        token_id=world.a_token_id,
        slug=world.a_slug,
        token=role.link_token or random_link_token(),
        name="app.css",
        kind="meetings",
        fmt="csv",
        step="confirm",
    )


def call(world: World, key: str, rule: Rule, role: Role) -> httpx.Response:
    method, template = key.split(" ", 1)
    path = fill(world, template, role)
    client = world.client
    client.cookies.clear()
    if role.organiser_cookie:
        client.cookies.set("sm_org", role.organiser_cookie)
    headers = {"Authorization": f"Bearer {role.bearer}"} if role.bearer else {}
    params = {}
    if role.link_token and path.startswith("/api/v1/me") and path != "/api/v1/me/session":
        params["token"] = role.link_token
    kwargs: dict[str, Any] = {"headers": headers, "params": params}
    if rule.json is not None:
        kwargs["json"] = rule.json(world)
    if rule.form is not None:
        kwargs["data"] = rule.form(world)
    if rule.files is not None:
        kwargs["files"] = rule.files
    if rule.content is not None:
        kwargs["content"] = rule.content
        headers["content-type"] = "text/csv"
    response: httpx.Response = client.request(method, path, **kwargs)
    return response


def is_denied(response: httpx.Response) -> bool:
    if response.status_code in DENIED_STATUS:
        return True
    location = response.headers.get("location", "")
    return response.status_code in (302, 303, 307) and location.startswith("/organiser/sign-in")


def fingerprint(world: World) -> str:
    """Everything a denied request must leave untouched, read straight from the database."""
    engine = make_engine(world.database_url)
    try:
        with Session(engine) as session:
            events = session.exec(select(Event).order_by(col(Event.id))).all()
            people = session.exec(select(Participant).order_by(col(Participant.id))).all()
            tokens = session.exec(select(ApiToken).order_by(col(ApiToken.id))).all()
            organisers = session.exec(select(Organiser.id).order_by(col(Organiser.id))).all()
            state: dict[str, Any] = {
                "events": [e.model_dump(exclude={"created_at"}) for e in events],
                "people": [p.model_dump(exclude={"created_at"}) for p in people],
                "tokens": [(t.id, t.revoked) for t in tokens],
                "organisers": list(organisers),
                "members": session.exec(select(func.count()).select_from(RoomMember)).one(),
                "decisions": session.exec(select(func.count()).select_from(ContactDecision)).one(),
            }
            return json.dumps(state, default=str, sort_keys=True)
    finally:
        engine.dispose()


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_route_allows_exactly_the_expected_callers(world: World, key: str) -> None:
    rule = ROUTES[key]
    allowed = ALLOWED[rule.access]
    denied = [r for r in ROLES if r not in allowed]
    before = fingerprint(world)
    for name in denied:
        response = call(world, key, rule, world.roles[name])
        assert is_denied(response), f"{name} was let through: {response.status_code}"
        # A denial names nothing of this event: not its name, nor a participant's e-mail.
        assert EVENT_A_NAME not in response.text
        assert not any(secret in response.text for secret in world.a_secrets), name
    assert fingerprint(world) == before, f"a denied caller changed data through {key}"
    for name in [r for r in ROLES if r in allowed]:
        response = call(world, key, rule, world.roles[name])
        assert response.status_code < 500, f"{name}: {response.status_code} {response.text[:300]}"
        if rule.access is not Access.PUBLIC:  # public routes may answer 401 to bad credentials
            assert not is_denied(response), f"{name} was refused: {response.status_code}"


def ws_close_code(world: World, url: str, role: Role) -> int | None:
    """None when the socket opened and sent its `state`, else the server's close code."""
    world.client.cookies.clear()
    try:
        with world.client.websocket_connect(url) as ws:
            message = ws.receive_json()
            assert message["type"] == "state"
            assert message["event_id"] == world.a.event_id
            return None
    except WebSocketDisconnect as closed:
        return closed.code


def test_participant_socket_matrix(world: World) -> None:
    event = world.a.event_id
    codes = {}
    for name in ROLES:
        role = world.roles[name]
        token = role.link_token or role.bearer or ""
        codes[name] = ws_close_code(world, f"/ws/participant?token={token}&event_id={event}", role)
    assert codes == {
        "anonymous": 4401,
        "participant_this": None,
        "participant_other": 4403,
        "organiser_other": 4401,
        "organiser_this": 4401,
    }


def test_organiser_socket_matrix(world: World) -> None:
    url = f"/ws/organiser/{world.a.event_id}"
    codes = {}
    for name in ROLES:
        role = world.roles[name]
        token = role.bearer or role.link_token or ""
        codes[name] = ws_close_code(world, f"{url}?token={token}", world.roles[name])
    assert codes == {
        "anonymous": 4401,
        "participant_this": 4401,
        "participant_other": 4401,
        "organiser_other": 4403,
        "organiser_this": None,
    }


def test_organiser_socket_accepts_the_session_cookie_of_the_owner_only(world: World) -> None:
    url = f"/ws/organiser/{world.a.event_id}"
    for name, expected in (("organiser_other", 4403), ("organiser_this", None)):
        world.client.cookies.clear()
        world.client.cookies.set("sm_org", world.roles[name].organiser_cookie or "")
        try:
            with world.client.websocket_connect(url) as ws:
                code = None if ws.receive_json()["type"] == "state" else -1
        except WebSocketDisconnect as closed:
            code = closed.code
        assert code == expected, name
    assert WEBSOCKETS[url.replace(world.a.event_id, "{event_id}")] is Access.EVENT
