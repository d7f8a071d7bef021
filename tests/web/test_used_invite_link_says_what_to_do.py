"""An invite link opened again after it was used says what to do next: sign in with the password
set since (a link to sign-in), or ask the colleague who invited them for a new link."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.organisers import service as organiser_service


def test_a_used_invite_link_points_to_sign_in_and_to_a_new_invite(
    web: TestClient, db: Session
) -> None:
    colleague = organiser_service.create_organiser(db, email="mia@agency.example", name="Mia")
    link = f"/organiser/invite/{organiser_service.issue_invite(db, organiser=colleague)}"
    assert web.post(link, follow_redirects=False).status_code == 303
    web.cookies.clear()  # later, in another browser

    for again in (web.get(link), web.post(link)):  # opened, or its button pressed twice
        assert again.status_code == 401
        page = html.unescape(again.text)
        assert "not valid or was already used" in page
        assert "sign in with your e-mail address and that password" in page
        assert '<a href="/organiser/sign-in">Sign in</a>' in page
        assert "Ask the colleague who invited you to invite you again for a new link." in page
