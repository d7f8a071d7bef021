"""An organiser's invite link opens a page with a "Sign in" button; only the button spends it.

Outlook Safe Links, Teams and Slack previews and mail scanners fetch every link in a message
before the colleague clicks it; a link spent by that fetch left the colleague locked out.
"""

from __future__ import annotations

import time

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.organisers import service as organiser_service
from app.security import hash_token, new_token


def invited(db: Session) -> str:
    colleague = organiser_service.create_organiser(db, email="mia@agency.example", name="Mia")
    return organiser_service.issue_invite(db, organiser=colleague)


def test_a_link_fetched_by_a_mail_scanner_still_signs_the_colleague_in(
    web: TestClient, db: Session
) -> None:
    link = f"/organiser/invite/{invited(db)}"
    for _ in range(2):  # the scanner, then the chat preview
        fetched = web.get(link)
        assert fetched.status_code == 200
        assert f'<form method="post" action="{link}"' in fetched.text
        assert "sm_org" not in fetched.headers.get("set-cookie", "")
    assert web.get("/organiser", follow_redirects=False).status_code == 303  # nobody signed in

    pressed = web.post(link)  # the colleague presses "Sign in"
    assert pressed.status_code == 200
    assert "You have no password yet" in pressed.text  # on their dashboard

    web.cookies.clear()
    again = web.get(link)
    assert again.status_code == 401
    assert "not valid or was already used" in again.text
    assert '<form method="post" action="/organiser/invite/' not in again.text


def test_an_expired_link_says_so_before_anything_is_pressed(web: TestClient, db: Session) -> None:
    colleague = organiser_service.create_organiser(db, email="jo@agency.example", name="Jo")
    token = f"{new_token()}.{int(time.time()) - 8 * 24 * 3600}"  # issued eight days ago
    colleague.invite_token_hash = hash_token(token)
    db.add(colleague)
    db.commit()
    page = web.get(f"/organiser/invite/{token}")
    assert page.status_code == 401
    assert "has expired" in page.text
    assert "invite you again" in page.text


def test_the_button_pressed_from_another_site_signs_nobody_in(web: TestClient, db: Session) -> None:
    link = f"/organiser/invite/{invited(db)}"
    forged = web.post(link, headers={"Origin": "https://evil.example"}, follow_redirects=False)
    assert forged.status_code == 403
    assert "sm_org" not in forged.headers.get("set-cookie", "")
    assert web.get(link).status_code == 200  # the link still works for the colleague
