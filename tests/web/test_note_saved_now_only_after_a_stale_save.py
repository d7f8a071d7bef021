""" "Note saved now:" beside the note box only when a Save was refused because another device
saved meanwhile, and then also when the note saved there is empty ("none"). After "choose Yes or
No first" nothing changed elsewhere: the box keeps the typed note, with no stored note beside it
(until 2026-11-29 it showed one whenever the typed note differed from the stored one)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.web.conftest import seat_event


def shown_version(page: str, other_id: str) -> str:
    form = page[page.index(f'id="met-{other_id}"') :]
    found = re.search(r'name="seen" value="([^"]*)"', form)
    assert found is not None
    return found.group(1)


def test_choose_first_shows_no_stored_note_beside_the_typed_one(
    web: TestClient, db: Session
) -> None:
    seated = seat_event(db, started_rounds=1)
    ana, bo = seated.people[0], seated.people[1]
    page_url = f"/p/{seated.tokens[ana.id]}"
    url = f"{page_url}/decisions/{bo.id}"
    saved = {"share": "yes", "note": "stored note"}
    assert web.post(url, data=saved, follow_redirects=False).status_code == 303
    seen = shown_version(web.get(page_url).text, bo.id)

    blank = web.post(url, data={"note": "typed here", "seen": seen})  # no Yes or No

    assert blank.status_code == 422
    assert "choose Yes or No for sharing your contact details first" in blank.text
    assert ">typed here</textarea>" in blank.text
    assert "Note saved now:" not in blank.text
    assert f'id="saved-note-{bo.id}"' not in blank.text


def test_a_stale_save_says_when_the_note_saved_now_is_empty(web: TestClient, db: Session) -> None:
    seated = seat_event(db, started_rounds=1)
    ana, bo = seated.people[0], seated.people[1]
    page_url = f"/p/{seated.tokens[ana.id]}"
    url = f"{page_url}/decisions/{bo.id}"
    web.post(url, data={"share": "yes", "note": "first"}, follow_redirects=False)
    phone_saw = shown_version(web.get(page_url).text, bo.id)
    laptop = {"share": "no", "note": "", "seen": phone_saw}  # the note cleared on the laptop
    assert web.post(url, data=laptop, follow_redirects=False).status_code == 303

    phone = web.post(url, data={"share": "yes", "note": "typed on the phone", "seen": phone_saw})

    assert phone.status_code == 409
    assert ">typed on the phone</textarea>" in phone.text
    assert re.search(rf'id="saved-note-{bo.id}">Note saved now: none</p>', phone.text)
