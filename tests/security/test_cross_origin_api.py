"""Cross-site request forgery against the API (ASVS 3.5.1): a page on a sibling subdomain is
"same site", so the browser still sends the SameSite=Lax session cookies with its requests.
Only what the browser says about the request's origin tells them apart from the pages' own."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.security.conftest import EVENT_A_NAME, World

SIBLING = "http://evil.testserver"  # the app is served at http://testserver in these tests

FORGED_HEADERS = [
    pytest.param({"sec-fetch-site": "same-site", "origin": SIBLING}, id="sibling-subdomain"),
    pytest.param({"sec-fetch-site": "cross-site", "origin": "https://evil.example"}, id="other"),
    pytest.param({"origin": SIBLING}, id="origin-only-older-browser"),
    pytest.param({"origin": "null"}, id="opaque-origin"),
]
OWN_PAGE_HEADERS = [
    pytest.param({"sec-fetch-site": "same-origin", "origin": "http://testserver"}, id="browser"),
    pytest.param({"origin": "http://testserver"}, id="origin-only-older-browser"),
    pytest.param({}, id="not-a-browser"),
]


def signed_in_as_organiser(world: World) -> TestClient:
    client = world.client
    client.cookies.clear()
    client.cookies.set("sm_org", world.roles["organiser_this"].organiser_cookie or "")
    return client


def event_name(world: World) -> str:
    response = world.client.get(
        f"/api/v1/events/{world.a.event_id}",
        headers={"Authorization": f"Bearer {world.a.api_token}"},
    )
    return str(response.json()["name"])


@pytest.mark.parametrize("headers", FORGED_HEADERS)
def test_an_organiser_api_write_forged_from_another_origin_is_refused_and_changes_nothing(
    world: World, headers: dict[str, str]
) -> None:
    client = signed_in_as_organiser(world)
    renamed = client.patch(
        f"/api/v1/events/{world.a.event_id}", json={"name": "Renamed by a sibling"}, headers=headers
    )
    assert renamed.status_code == 403
    assert renamed.json()["type"] == "forbidden"
    assert "another site" in renamed.json()["detail"]
    deleted = client.delete(f"/api/v1/events/{world.a.event_id}", headers=headers)
    assert deleted.status_code == 403
    assert event_name(world) == EVENT_A_NAME


@pytest.mark.parametrize("headers", OWN_PAGE_HEADERS)
def test_the_apps_own_pages_still_write_through_the_api_with_the_cookie(
    world: World, headers: dict[str, str]
) -> None:
    client = signed_in_as_organiser(world)
    renamed = client.patch(
        f"/api/v1/events/{world.a.event_id}", json={"name": "Renamed at home"}, headers=headers
    )
    assert renamed.status_code == 200
    assert event_name(world) == "Renamed at home"


def test_an_integration_with_an_api_token_works_from_any_origin(world: World) -> None:
    world.client.cookies.clear()
    renamed = world.client.patch(
        f"/api/v1/events/{world.a.event_id}",
        json={"name": "Renamed by the agency's CRM"},
        headers={
            "Authorization": f"Bearer {world.a.api_token}",
            "sec-fetch-site": "cross-site",
            "origin": "https://crm.agency.example",
        },
    )
    assert renamed.status_code == 200
    assert event_name(world) == "Renamed by the agency's CRM"


def test_a_participants_contact_decision_forged_from_a_sibling_is_refused(world: World) -> None:
    client = world.client
    client.cookies.clear()
    assert client.get(f"/p/{world.a.tokens[world.a1]}").status_code == 200  # sets sm_part
    decision = f"/api/v1/me/decisions/{world.a2}"
    forged = client.put(decision, json={"share": True}, headers=FORGED_HEADERS[0].values[0])
    assert forged.status_code == 403
    met = client.get("/api/v1/me/meetings").json()
    assert not any((m["decision"] or {}).get("share") for m in met)

    own = client.put(decision, json={"share": True}, headers={"sec-fetch-site": "same-origin"})
    assert own.status_code == 200
    assert own.json()["share"] is True
