"""Post/Redirect/Get on "My account": a form that did its work answers with a redirect to the
page, which says what happened once (a new token, an invite link, "saved"); reloading it shows
the plain page and sends nothing again. A refused form answers with the page and what was typed.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, select

from app.main import create_app
from app.models import ApiToken, Organiser
from app.organisers import two_step
from app.settings import get_settings
from tests.factories import PASSWORD, make_organiser

ACCOUNT = "/organiser/account"
NEW_TOKEN = re.compile(r'<code id="new-token">([^<]+)</code>')
INVITE_LINK = re.compile(r'<code class="link" id="invite-link">([^<]+)</code>')


def sign_in(web: TestClient, organiser: Organiser) -> None:
    form = {"email": organiser.email, "password": PASSWORD}
    assert web.post("/organiser/sign-in", data=form, follow_redirects=False).status_code == 303


def sent(web: TestClient, path: str, data: dict[str, str] | None = None) -> Response:
    """A form sent as a browser sends it; its answer must lead back to the account page."""
    answer: Response = web.post(path, data=data, follow_redirects=False)
    assert answer.status_code == 303, answer.text[:300]
    assert answer.headers["location"] == ACCOUNT
    return answer


def headers_of(answer: Response) -> str:
    return "\n".join(f"{key}: {value}" for key, value in answer.headers.multi_items())


def test_a_new_token_is_shown_once_and_a_reload_makes_no_second_one(
    web: TestClient, db: Session
) -> None:
    me = make_organiser(db, email="ines@agency.example", name="Inês")
    sign_in(web, me)

    answer = sent(web, f"{ACCOUNT}/tokens", {"name": "Sync"})
    page = web.get(ACCOUNT)
    reloaded = web.get(ACCOUNT)

    shown = NEW_TOKEN.search(page.text)
    assert shown is not None
    assert "Token “Sync” created" in page.text
    # The secret travels sealed: never in the address, nor readable in the cookie.
    assert shown.group(1) not in headers_of(answer)
    assert NEW_TOKEN.search(reloaded.text) is None
    assert "Token “Sync” created" not in reloaded.text
    assert len(db.exec(select(ApiToken).where(ApiToken.organiser_id == me.id)).all()) == 1


def test_an_invite_link_is_shown_once(web: TestClient, db: Session) -> None:
    sign_in(web, make_organiser(db, email="ines@agency.example", name="Inês"))

    answer = sent(web, f"{ACCOUNT}/colleagues/invite", {"name": "Mia", "email": "mia@a.example"})
    page = web.get(ACCOUNT)
    reloaded = web.get(ACCOUNT)

    link = INVITE_LINK.search(page.text)
    assert link is not None
    assert "Mia is invited" in page.text
    assert html.unescape(link.group(1)) not in headers_of(answer)
    assert INVITE_LINK.search(reloaded.text) is None
    assert "Mia is invited" not in reloaded.text


def test_a_saved_password_revoked_token_and_removed_colleague_are_said_once(
    web: TestClient, db: Session
) -> None:
    me = make_organiser(db, email="ines@agency.example", name="Inês")
    leaver = make_organiser(db, email="leaver@agency.example", name="Leaver")
    sign_in(web, me)
    new = "lantern quietly oboe"
    form = {"current_password": PASSWORD, "password": new, "again": new}
    sent(web, f"{ACCOUNT}/tokens", {"name": "Old script"})
    token = db.exec(select(ApiToken).where(ApiToken.organiser_id == me.id)).one()

    for path, data, said in (
        (ACCOUNT, form, "Your new password is saved."),  # this session is kept
        (f"{ACCOUNT}/tokens/{token.id}/revoke", None, "The token is revoked"),
        (f"{ACCOUNT}/colleagues/{leaver.id}/remove", None, "(leaver@agency.example) was removed"),
    ):
        sent(web, path, data)
        assert said in web.get(ACCOUNT).text
        assert said not in web.get(ACCOUNT).text


def test_two_step_set_up_and_turned_on_redirect_and_say_so_once(
    web: TestClient, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = datetime(2026, 6, 12, 8, 0, 10, tzinfo=UTC)
    monkeypatch.setattr(two_step, "_utc_now", lambda: now)
    sign_in(web, make_organiser(db, email="ines@agency.example", name="Inês"))

    sent(web, f"{ACCOUNT}/two-step/begin")
    found = re.search(r"<code>([A-Z2-7]{16,})</code>", web.get(ACCOUNT).text)
    assert found is not None
    code = pyotp.TOTP(found.group(1)).at(now + timedelta(seconds=0))
    sent(web, f"{ACCOUNT}/two-step/confirm", {"code": code})

    said = "Two-step sign-in is on. Your other sessions have ended."
    assert said in web.get(ACCOUNT).text  # the renewed session is this browser's
    assert said not in web.get(ACCOUNT).text


def test_a_notice_is_shown_only_to_the_organiser_it_was_made_for(
    web: TestClient, db: Session
) -> None:
    me = make_organiser(db, email="ines@agency.example", name="Inês")
    other = make_organiser(db, email="jo@agency.example", name="Jo")
    sign_in(web, me)
    sent(web, f"{ACCOUNT}/tokens", {"name": "Mine"})

    sign_in(web, other)  # the same browser, before the page was shown

    assert NEW_TOKEN.search(web.get(ACCOUNT).text) is None


def test_a_refused_token_or_invite_keeps_what_was_typed(web: TestClient, db: Session) -> None:
    sign_in(web, make_organiser(db, email="ines@agency.example", name="Inês"))
    long_name = "Nightly registration sync " * 8  # over the 200 characters a name may have

    token = web.post(f"{ACCOUNT}/tokens", data={"name": long_name}, follow_redirects=False)
    invite = web.post(
        f"{ACCOUNT}/colleagues/invite",
        data={"name": "Mia Jansen", "email": "mia-at-agency"},
        follow_redirects=False,
    )

    assert token.status_code == 422
    assert f'value="{long_name}"' in token.text
    assert invite.status_code == 422
    assert 'value="Mia Jansen"' in invite.text
    assert 'value="mia-at-agency"' in invite.text


def test_over_https_the_notice_cookie_is_host_only_secure_and_strict(
    web_db: str, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPEEDMATCH_BASE_URL", "https://partners.agency.example")
    get_settings.cache_clear()
    me = make_organiser(db, email="ines@agency.example", name="Inês")
    base = "https://partners.agency.example"
    with TestClient(create_app(), base_url=base, follow_redirects=False) as client:
        sign_in(client, me)
        answer = sent(client, f"{ACCOUNT}/tokens", {"name": "Sync"})
        page = client.get(ACCOUNT)
    get_settings.cache_clear()

    made = answer.headers["set-cookie"].lower()
    assert made.startswith("__host-sm_notice=")
    for flag in ("path=/;", "httponly", "secure", "samesite=strict"):
        assert flag in made + ";"
    assert "domain" not in made
    assert NEW_TOKEN.search(page.text) is not None
    cleared = page.headers["set-cookie"].lower()
    assert cleared.startswith("__host-sm_notice=")
    assert "secure" in cleared  # else a browser ignores the deletion
