"""The Colleagues list on "My account": every organiser account, and removing one after a
confirmation page; refusals (one's own account, one that owns events) are said on the page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.main import create_app
from app.models import Organiser
from app.organisers import service as organiser_service
from app.settings import get_settings
from tests.factories import PASSWORD, make_event, make_organiser


def sign_in(web: TestClient, organiser: Organiser) -> None:
    form = {"email": organiser.email, "password": PASSWORD}
    assert web.post("/organiser/sign-in", data=form, follow_redirects=False).status_code == 303


def remove_url(organiser: Organiser) -> str:
    return f"/organiser/account/colleagues/{organiser.id}/remove"


def test_the_account_page_lists_the_colleagues_with_their_status(
    web: TestClient, db: Session
) -> None:
    me = make_organiser(db, email="ines@agency.example", name="Inês")
    invited = organiser_service.create_organiser(db, email="mia@agency.example", name="Mia")
    invite_token = organiser_service.issue_invite(db, organiser=invited)
    owner = make_organiser(db, email="jo@agency.example", name="Jo")
    make_event(db, owner)
    sign_in(web, me)

    page = web.get("/organiser/account")
    assert page.status_code == 200
    assert "Colleagues" in page.text
    assert "Inês (you)" in page.text
    assert "Invited: link not used yet" in page.text
    assert "jo@agency.example" in page.text
    assert invite_token not in page.text
    assert remove_url(invited) in page.text
    assert remove_url(owner) in page.text
    assert remove_url(me) not in page.text  # no button to remove oneself


def test_removing_asks_first_and_then_the_colleague_is_gone(web: TestClient, db: Session) -> None:
    me = make_organiser(db, email="ines@agency.example", name="Inês")
    leaver = make_organiser(db, email="leaver@agency.example", name="Leaver")
    sign_in(web, me)

    confirm = web.get(remove_url(leaver))
    assert confirm.status_code == 200
    assert "leaver@agency.example" in confirm.text
    assert "open sessions and API tokens stop working at once" in confirm.text
    assert f'<form method="post" action="{remove_url(leaver)}"' in confirm.text
    db.expunge_all()
    assert db.get(Organiser, leaver.id) is not None

    done = web.post(remove_url(leaver))
    assert done.status_code == 200
    assert "The account of Leaver (leaver@agency.example) was removed." in done.text
    assert "leaver@agency.example</td>" not in done.text
    db.expunge_all()
    assert db.get(Organiser, leaver.id) is None
    again = web.post(remove_url(leaver))  # the form sent twice (a reload)
    assert again.status_code == 404
    assert "does not exist" in again.text


def test_an_account_with_events_or_one_s_own_is_not_removed_and_the_page_says_why(
    web: TestClient, db: Session
) -> None:
    me = make_organiser(db, email="ines@agency.example", name="Inês")
    owner = make_organiser(db, email="jo@agency.example", name="Jo")
    make_event(db, owner)
    make_event(db, owner)
    sign_in(web, me)

    confirm = web.get(remove_url(owner))
    assert "jo@agency.example still owns events (2)" in confirm.text
    assert '<form method="post" action="/organiser/account/colleagues' not in confirm.text
    refused = web.post(remove_url(owner))
    assert refused.status_code == 409
    assert "still owns events (2)" in refused.text
    own = web.post(remove_url(me))
    assert own.status_code == 409
    assert "You cannot remove your own account." in own.text
    db.expunge_all()
    assert db.get(Organiser, owner.id) is not None


def test_a_removal_sent_from_another_site_removes_nothing(web: TestClient, db: Session) -> None:
    me = make_organiser(db, email="ines@agency.example", name="Inês")
    colleague = make_organiser(db, email="mia@agency.example", name="Mia")
    sign_in(web, me)
    forged = web.post(remove_url(colleague), headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403
    db.expunge_all()
    assert db.get(Organiser, colleague.id) is not None


def test_a_session_without_a_required_two_step_sign_in_sees_and_removes_no_colleague(
    web_db: str, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPEEDMATCH_REQUIRE_TWO_STEP", "true")
    get_settings.cache_clear()
    me = make_organiser(db, email="ines@agency.example", name="Inês")
    colleague = make_organiser(db, email="mia@agency.example", name="Mia")
    with TestClient(create_app(), base_url="http://127.0.0.1") as web:
        sign_in(web, me)
        page = web.get("/organiser/account")
        assert "Set it up below" in page.text
        assert "mia@agency.example" not in page.text
        confirm = web.get(remove_url(colleague), follow_redirects=False)
        assert confirm.status_code == 303
        assert confirm.headers["location"] == "/organiser/account"
        refused = web.post(remove_url(colleague))
        assert refused.status_code == 403
        assert "requires two-step sign-in" in refused.text
    db.expunge_all()
    assert db.get(Organiser, colleague.id) is not None
