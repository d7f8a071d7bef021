""" "Generate again" on a plan with seats set by hand says first that a new plan replaces them,
goes ahead only once that is ticked, and then says it did. Without such seats nothing changes."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.contacts import service as contacts_service
from app.models import Event, Participant
from app.schedule import kept_edits
from tests.web.test_schedule_pages import scheduled_event

NOTE = "Generating again replaces these 2 seats set by hand with a new plan:"
TICK = 'name="replace_hand_set"'


def _swapped(web: TestClient, db: Session) -> tuple[str, list[str]]:
    """A planned event in which two people of round 2 swapped rooms by hand; their names."""
    event_id = scheduled_event(web, db)
    page = f"/organiser/events/{event_id}/schedule"
    assert web.post(f"{page}/generate").status_code == 200
    assert TICK not in web.get(page).text  # nothing set by hand: no extra step
    event = db.get(Event, event_id)
    assert event is not None
    rooms = [p.members for p in contacts_service.placements(db, event) if p.round == 2]
    a, b = rooms[0][0], rooms[1][0]
    swap = {"round": "2", "a": a, "b": b, "force": "yes"}
    assert web.post(f"{page}/change", data=swap, follow_redirects=False).status_code == 303
    names = {p.id: p.name for p in db.exec(select(Participant)).all()}
    return event_id, sorted([names[a], names[b]])


def test_generate_again_names_the_seats_set_by_hand_and_replaces_them_once_ticked(
    web: TestClient, db: Session
) -> None:
    event_id, names = _swapped(web, db)
    page = f"/organiser/events/{event_id}/schedule"
    shown = html.unescape(web.get(page).text)
    assert NOTE in shown
    assert f"Round 2: {', '.join(names)}" in shown
    assert 'value="2" required aria-describedby="hand-set-note"' in shown

    refused = web.post(f"{page}/generate", follow_redirects=False)
    assert refused.status_code == 400
    assert "Nothing was generated" in html.unescape(refused.text)
    db.expire_all()
    assert kept_edits.stored(db, event_id=event_id)  # the swap is still in force

    done = web.post(f"{page}/generate", data={"replace_hand_set": "2"}, follow_redirects=False)
    assert done.status_code == 303
    after = html.unescape(web.get(page).text)
    assert "The schedule is ready. The new plan replaced 2 seats set by hand." in after
    assert NOTE not in after
    assert TICK not in after
    db.expire_all()
    assert not kept_edits.stored(db, event_id=event_id)


def test_a_tick_for_fewer_seats_than_are_set_by_hand_now_replaces_nothing(
    web: TestClient, db: Session
) -> None:
    event_id, _ = _swapped(web, db)
    page = f"/organiser/events/{event_id}/schedule"
    # The page showed one seat; a colleague has set another by hand since.
    stale = web.post(f"{page}/generate", data={"replace_hand_set": "1"}, follow_redirects=False)
    assert stale.status_code == 400
    assert NOTE in html.unescape(stale.text)
    db.expire_all()
    assert kept_edits.stored(db, event_id=event_id)
