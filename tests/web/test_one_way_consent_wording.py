"""Under one-way sharing the page must not promise what the mutual rule promises: a "yes" passes
the details on at once, whatever the other person answers."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import make_event, make_organiser
from tests.web.conftest import seat_event

MUTUAL_PROMISE = "and only when the other person also says yes"
BOTH_AGREE = "when you both agree to share"


def test_one_way_event_says_a_yes_shares_at_once(web: TestClient, db: Session) -> None:
    seated = seat_event(db, started_rounds=1)
    seated.event.mutual_consent = False
    db.add(seated.event)
    db.commit()
    ana, bo = seated.people[0], seated.people[1]
    ana_url, bo_url = f"/p/{seated.tokens[ana.id]}", f"/p/{seated.tokens[bo.id]}"

    page = html.unescape(web.get(ana_url).text)
    assert MUTUAL_PROMISE not in page
    assert BOTH_AGREE not in page
    assert "as soon as you say yes" in page

    # What the page now says is what happens: Bo sees Ana's details without answering himself.
    saved = web.post(f"{ana_url}/decisions/{bo.id}", data={"share": "yes", "met": "yes"})
    assert saved.status_code == 200
    assert f'data-contact="{ana.id}"' in web.get(f"{bo_url}/contacts").text


def test_mutual_event_keeps_its_promise_text(web: TestClient, db: Session) -> None:
    seated = seat_event(db, started_rounds=1)
    page = html.unescape(web.get(f"/p/{seated.tokens[seated.people[0].id]}").text)
    assert MUTUAL_PROMISE in page
    assert BOTH_AGREE in page


def test_registration_promises_mutual_consent_only_where_the_event_has_it(
    web: TestClient, db: Session
) -> None:
    event = make_event(db, make_organiser(db))  # open for registration, mutual by default
    url = f"/register/{event.registration_slug}"
    assert "only when both of you agree" in html.unescape(web.get(url).text)
    event.mutual_consent = False
    db.add(event)
    db.commit()
    page = html.unescape(web.get(url).text)
    assert "only when both of you agree" not in page
    assert "people you meet and say yes to" in page
