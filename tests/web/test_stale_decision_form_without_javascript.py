"""The "People you met" form sends the version of the answers it shows: posted (without
JavaScript) after another device saved a newer answer, it saves nothing and shows the stored
answers, the note typed on this page still in the box and the stored note beside it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import ContactDecision
from tests.web.conftest import seat_event


def shown_version(page: str, other_id: str) -> str:
    form = page[page.index(f'id="met-{other_id}"') :]
    found = re.search(r'name="seen" value="([^"]*)"', form)
    assert found is not None
    return found.group(1)


def test_a_form_posted_after_another_device_saved_shows_the_stored_answers(
    web: TestClient, db: Session
) -> None:
    seated = seat_event(db, started_rounds=1)
    ana, bo = seated.people[0], seated.people[1]
    page_url = f"/p/{seated.tokens[ana.id]}"
    url = f"{page_url}/decisions/{bo.id}"
    web.post(url, data={"share": "yes", "note": "first"}, follow_redirects=False)
    phone_saw = shown_version(web.get(page_url).text, bo.id)
    laptop = {"share": "no", "note": "from the laptop", "seen": phone_saw}
    assert web.post(url, data=laptop, follow_redirects=False).status_code == 303

    phone = web.post(url, data={"share": "yes", "note": "typed on the phone", "seen": phone_saw})

    assert phone.status_code == 409
    assert "you changed this answer on another device" in phone.text
    assert re.search(rf'id="share-no-{bo.id}"[^>]* checked', phone.text)
    assert not re.search(rf'id="share-yes-{bo.id}"[^>]* checked', phone.text)
    assert ">typed on the phone</textarea>" in phone.text
    assert "Note saved now: from the laptop" in phone.text
    db.expire_all()
    stored = db.exec(select(ContactDecision)).one()
    assert (stored.share, stored.note) == (False, "from the laptop")
    # The page now shows the stored version: sending it again saves.
    again = {"share": "no", "note": "typed on the phone", "seen": shown_version(phone.text, bo.id)}
    assert web.post(url, data=again, follow_redirects=False).status_code == 303


def test_a_stale_form_sent_without_a_choice_stays_stale(web: TestClient, db: Session) -> None:
    seated = seat_event(db, started_rounds=1)
    ana, bo = seated.people[0], seated.people[1]
    url = f"/p/{seated.tokens[ana.id]}/decisions/{bo.id}"
    assert web.post(url, data={"share": "no"}, follow_redirects=False).status_code == 303

    # "Choose first" does not show the stored "no": the form keeps the version it had seen...
    blank = web.post(url, data={"note": "hi", "seen": "none"})  # it saw no answer yet
    assert blank.status_code == 422
    assert shown_version(blank.text, bo.id) == "none"
    # ...so the "yes" chosen next is checked against the stored answer, not saved over it.
    chosen = web.post(url, data={"share": "yes", "note": "hi", "seen": "none"})
    assert chosen.status_code == 409
    db.expire_all()
    assert db.exec(select(ContactDecision)).one().share is False
