"""Inviting a colleague from "My account", without calling the API by hand: the invite link is
shown once, works, and the colleague is listed as invited."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organiser
from tests.factories import PASSWORD, make_organiser


def sign_in(web: TestClient, organiser: Organiser) -> None:
    form = {"email": organiser.email, "password": PASSWORD}
    assert web.post("/organiser/sign-in", data=form, follow_redirects=False).status_code == 303


def test_a_colleague_invited_on_the_page_gets_a_link_that_signs_them_in(
    web: TestClient, db: Session
) -> None:
    sign_in(web, make_organiser(db, email="ines@agency.example", name="Inês"))

    invited = web.post(
        "/organiser/account/colleagues/invite",
        data={"name": " Mia Jansen ", "email": "Mia@Agency.example"},
    )

    assert invited.status_code == 200
    assert "Mia Jansen is invited" in invited.text
    assert "Invited: link not used yet" in invited.text
    found = re.search(
        r'<code class="link" id="invite-link">[^<]*(/organiser/invite/[^<]+)</code>', invited.text
    )
    assert found is not None
    assert 'target="_blank"' in invited.text  # the language picker keeps the link on screen
    assert found.group(1) not in web.get("/organiser/account").text  # shown once
    web.cookies.clear()
    assert web.get(found.group(1)).status_code == 200  # the invite page, its button signs in
    spent = web.post(found.group(1), follow_redirects=False)
    assert spent.status_code == 303
    me = web.get("/api/v1/organisers/me").json()
    assert me["email"] == "mia@agency.example"


def test_a_bad_address_or_a_taken_one_is_refused_on_the_page(web: TestClient, db: Session) -> None:
    sign_in(web, make_organiser(db, email="ines@agency.example", name="Inês"))

    bad = web.post("/organiser/account/colleagues/invite", data={"name": "Mia", "email": "mia"})
    assert bad.status_code == 422
    assert "a valid e-mail address" in bad.text

    taken = web.post(
        "/organiser/account/colleagues/invite", data={"name": "Me", "email": "ines@agency.example"}
    )
    assert taken.status_code == 409
    assert "already exists" in taken.text
