"""The organiser closes and reopens the contact exchange from the event page: the finish page and
the "finished" notice said "until you close it", but only the API could close it."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Event, EventPhase
from tests.factories import PASSWORD
from tests.web.conftest import Seated, seat_event


def signed_in(web: TestClient, seated: Seated) -> None:
    answer = web.post(
        "/organiser/sign-in",
        data={"email": seated.organiser.email, "password": PASSWORD, "next": "/organiser"},
        follow_redirects=False,
    )
    assert answer.status_code == 303


def finished_event(web: TestClient, db: Session) -> Seated:
    """Round 1 played, the event finished; the first two people met in room 1."""
    seated = seat_event(db, started_rounds=1)
    seated.event.phase = EventPhase.FINISHED
    db.add(seated.event)
    db.commit()
    signed_in(web, seated)
    return seated


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def decide(web: TestClient, seated: Seated, who: int, about: int, share: bool) -> int:
    me, other = seated.people[who], seated.people[about]
    answer = web.put(
        f"/api/v1/me/decisions/{other.id}",
        params={"token": seated.tokens[me.id]},
        json={"share": share, "met": True},
    )
    status: int = answer.status_code
    return status


def closed(db: Session, event_id: str) -> bool:
    db.expire_all()
    event = db.get(Event, event_id)
    assert event is not None
    return event.export_closed


def test_closing_asks_first_then_makes_the_answers_final(web: TestClient, db: Session) -> None:
    seated = finished_event(web, db)
    event_id = seated.event.id
    assert decide(web, seated, 0, 1, True) == 200
    assert decide(web, seated, 1, 0, True) == 200

    page = web.get(f"/organiser/events/{event_id}").text
    # A GET form: the button opens the page that says what closing means (works without JS).
    assert (
        f'<form method="get" action="/organiser/events/{event_id}/contact-exchange/close">' in page
    )
    assert "Open: participants can share their contact details" in text_of(page)

    confirm = web.get(f"/organiser/events/{event_id}/contact-exchange/close")
    assert confirm.status_code == 200
    said = text_of(confirm.text)
    assert "Close the contact exchange?" in said
    assert "participants can no longer change whether they share their contact details" in said
    assert "participants can still see and download them" in said
    assert not closed(db, event_id)  # looking at the question changes nothing

    # Posted without the confirmation (an old form, a script): it only asks.
    asked = web.post(
        f"/organiser/events/{event_id}/contact-exchange",
        data={"to": "closed"},
        follow_redirects=False,
    )
    assert asked.status_code == 303
    assert asked.headers["location"] == f"/organiser/events/{event_id}/contact-exchange/close"
    assert not closed(db, event_id)

    done = web.post(
        f"/organiser/events/{event_id}/contact-exchange",
        data={"to": "closed", "confirm": "yes"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"].startswith(f"/organiser/events/{event_id}?exchange=closed")
    assert closed(db, event_id)
    after = text_of(web.get(done.headers["location"]).text)
    assert "The contact exchange is closed: participants can no longer change their answers." in (
        after
    )
    assert "Reopen the contact exchange" in after

    # Participants: the answers are final, on the page and in the API ...
    token = seated.tokens[seated.people[0].id]
    assert decide(web, seated, 0, 1, False) == 409
    mine = web.get(f"/p/{token}").text
    assert "closed this event&#39;s contact exchange" in mine or "closed this event's" in mine
    assert 'type="submit"' not in mine.split('id="met-heading"', 1)[1].split("</section>", 1)[0]
    # ... and the contacts exchanged before stay theirs to see and download.
    card = web.get("/api/v1/me/contacts.vcf", params={"token": token})
    assert card.status_code == 200
    assert f"FN:{seated.people[1].name}" in card.text


def test_reopening_lets_participants_change_their_answers_again(
    web: TestClient, db: Session
) -> None:
    seated = finished_event(web, db)
    event_id = seated.event.id
    web.post(
        f"/organiser/events/{event_id}/contact-exchange", data={"to": "closed", "confirm": "yes"}
    )
    assert decide(web, seated, 0, 1, True) == 409

    done = web.post(
        f"/organiser/events/{event_id}/contact-exchange",
        data={"to": "open"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert not closed(db, event_id)
    after = text_of(web.get(done.headers["location"]).text)
    assert "The contact exchange is open again: participants can change their answers." in after
    assert decide(web, seated, 0, 1, True) == 200
    # Nothing to confirm any more once closed: the confirmation leads back to the event page.
    web.post(
        f"/organiser/events/{event_id}/contact-exchange", data={"to": "closed", "confirm": "yes"}
    )
    again = web.get(f"/organiser/events/{event_id}/contact-exchange/close", follow_redirects=False)
    assert again.status_code == 303


def test_the_finished_notice_links_to_closing_the_exchange(web: TestClient, db: Session) -> None:
    seated = finished_event(web, db)
    event_id = seated.event.id
    page = web.get(f"/organiser/events/{event_id}?phase=finished").text
    notice = re.search(r'id="finished-notice">(.*?)</p>', page, re.S)
    assert notice is not None
    assert f'href="/organiser/events/{event_id}/contact-exchange/close"' in notice.group(1)


def test_a_close_posted_from_another_site_is_refused(web: TestClient, db: Session) -> None:
    seated = finished_event(web, db)
    forged = web.post(
        f"/organiser/events/{seated.event.id}/contact-exchange",
        data={"to": "closed", "confirm": "yes"},
        headers={"origin": "https://evil.example"},
    )
    assert forged.status_code == 403
    assert not closed(db, seated.event.id)
