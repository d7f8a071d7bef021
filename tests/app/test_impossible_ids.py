"""An id with a NUL character names nothing: every route answers 404, on SQLite and PostgreSQL.

psycopg refuses a NUL in a text value before it reaches PostgreSQL (a DataError), which used to
be a bare 500 on every route with an id in its path; SQLite simply found no row.
"""

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import DataError
from sqlmodel import Session
from starlette.websockets import WebSocketDisconnect

from app.models import Organiser
from tests.factories import make_event, make_participants

NUL = "%00"
# Path values that are not ids: an export's format and kind are checked against fixed lists.
FIXED = {"fmt": "csv", "kind": "meetings"}


def id_paths(client: TestClient) -> list[tuple[str, str]]:
    """(method, path template) of every API operation with a value in its path."""
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    return [(m.upper(), p) for p, ops in paths.items() if "{" in p for m in ops]


def fill(template: str, **values: str) -> str:
    return re.sub(
        r"\{(\w+)\}", lambda m: values.get(m.group(1), FIXED.get(m.group(1), NUL)), template
    )


def test_an_id_with_a_nul_character_is_not_found_on_every_route(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    make_participants(session, event, 4)
    client = TestClient(org_client.app, raise_server_exceptions=False)
    client.headers.update(org_client.headers)
    answers = {}
    for method, template in id_paths(org_client):
        # Every id impossible, and an impossible id under the organiser's own event.
        for url in {fill(template), fill(template, event_id=event.id)}:
            if NUL not in url:
                continue
            response = client.request(method, url, json={})
            answers[f"{method} {url}"] = (response.status_code, response.json()["type"])
    # A body the route cannot parse may be refused first (422); nothing is ever a server error.
    assert {k: v for k, v in answers.items() if v[0] >= 500} == {}
    gets = {k: v for k, v in answers.items() if k.startswith(("GET", "DELETE"))}
    assert gets
    assert {k: v for k, v in gets.items() if v[0] not in (401, 404)} == {}
    body = client.get(f"/api/v1/events/{NUL}").json()
    assert body["type"] == "not_found"
    assert "NUL" in body["detail"] or "does not exist" in body["detail"]


def test_the_organiser_socket_of_an_impossible_event_id_closes_with_4404(
    org_client: TestClient,
) -> None:
    token = org_client.headers["Authorization"].removeprefix("Bearer ")
    with (
        org_client.websocket_connect(f"/ws/organiser/{NUL}?token={token}") as ws,
        pytest.raises(WebSocketDisconnect) as closed,
    ):
        ws.receive_json()
    assert closed.value.code == 4404


def test_a_database_error_that_is_not_about_an_impossible_id_is_not_hidden(
    client: TestClient,
) -> None:
    def broken(thing: str) -> None:
        raise DataError("SELECT 1", {}, Exception("value too long for type character varying"))

    client.app.add_api_route("/broken/{thing}", broken)  # type: ignore[attr-defined]
    plain = TestClient(client.app, raise_server_exceptions=False)
    assert plain.get("/broken/real-id").status_code == 500  # a real fault: logged, not a 404
    assert plain.get(f"/broken/{NUL}").status_code == 404
