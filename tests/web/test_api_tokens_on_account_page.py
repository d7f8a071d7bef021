"""API tokens on "My account": an organiser makes one for a script without calling the API by
hand, copies its value from the one answer that shows it, and revokes it there."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organiser
from tests.factories import PASSWORD, make_organiser

ME = "/api/v1/organisers/me"


def sign_in(web: TestClient, organiser: Organiser) -> None:
    form = {"email": organiser.email, "password": PASSWORD}
    assert web.post("/organiser/sign-in", data=form, follow_redirects=False).status_code == 303


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_made_on_the_page_works_is_shown_once_and_can_be_revoked(
    web: TestClient, db: Session
) -> None:
    me = make_organiser(db, email="ines@agency.example", name="Inês")
    sign_in(web, me)
    assert "No API tokens yet." in web.get("/organiser/account").text

    made = web.post("/organiser/account/tokens", data={"name": "  Registration sync "})
    assert made.status_code == 200
    assert "Token “Registration sync” created" in made.text
    shown = re.search(r'<code id="new-token">([^<]+)</code>', made.text)
    assert shown is not None
    token = shown.group(1)
    web.cookies.clear()  # the script has only the token
    assert web.get(ME, headers=bearer(token)).json()["email"] == "ines@agency.example"

    sign_in(web, me)
    page = web.get("/organiser/account")
    assert "Registration sync" in page.text
    assert token not in page.text  # shown once only
    revoke = re.search(r'action="(/organiser/account/tokens/[^"]+/revoke)"', page.text)
    assert revoke is not None
    revoked = web.post(revoke.group(1))
    assert revoked.status_code == 200
    assert "The token is revoked" in revoked.text
    assert "Revoked" in revoked.text
    web.cookies.clear()
    assert web.get(ME, headers=bearer(token)).status_code == 401


def test_a_token_without_a_name_is_refused_on_the_page(web: TestClient, db: Session) -> None:
    me = make_organiser(db, email="ines@agency.example", name="Inês")
    sign_in(web, me)

    refused = web.post("/organiser/account/tokens", data={"name": "   "})

    assert refused.status_code == 422
    assert "Give the token a name" in refused.text
    assert "No API tokens yet." in refused.text


def test_another_organisers_token_cannot_be_revoked_from_the_page(
    web: TestClient, db: Session
) -> None:
    me = make_organiser(db, email="ines@agency.example", name="Inês")
    other = make_organiser(db, email="jo@agency.example", name="Jo")
    sign_in(web, other)
    made = web.post("/organiser/account/tokens", data={"name": "Jo's script"})
    match = re.search(r'<code id="new-token">([^<]+)</code>', made.text)
    assert match is not None
    theirs = match.group(1)
    page = web.get("/organiser/account")
    action = re.search(r'action="(/organiser/account/tokens/[^"]+/revoke)"', page.text)
    assert action is not None
    web.cookies.clear()
    sign_in(web, me)

    assert web.post(action.group(1)).status_code == 404
    web.cookies.clear()
    assert web.get(ME, headers=bearer(theirs)).status_code == 200


def test_switching_language_after_a_new_token_keeps_it_on_screen(
    web: TestClient, db: Session
) -> None:
    sign_in(web, make_organiser(db, email="ines@agency.example", name="Inês"))

    made = web.post("/organiser/account/tokens", data={"name": "Sync"})

    # The picker opens the switched page in a new tab: this one, with the value, stays.
    picker = re.search(r'<form class="lang-picker"[^>]*>', made.text)
    assert picker is not None
    assert 'target="_blank"' in picker.group(0)
    assert 'target="_blank"' not in web.get("/organiser/account").text


def test_the_hint_shows_the_header_to_send_in_every_language(web: TestClient, db: Session) -> None:
    sign_in(web, make_organiser(db, email="ines@agency.example", name="Inês"))
    for lang in ("en", "nl"):
        page = web.get("/organiser/account", params={"lang": lang})
        # Escaped, so the browser shows it rather than reading "<token>" as a tag.
        assert "Authorization: Bearer &lt;token&gt;" in page.text
