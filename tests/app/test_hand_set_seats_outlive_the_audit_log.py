"""The seats the organiser set by hand are marked on the stored seats, not read from the audit
log: after an audit purge, a removal's re-plan still keeps a swap made by hand, the next
removal's re-plan still keeps what the first one kept, and a sit-out set by hand still counts."""

from fastapi.testclient import TestClient
from sqlalchemy import delete
from sqlmodel import Session, col

from app.models import AuditLog, Organiser
from app.schedule import kept_edits, store
from tests.app.test_remove_while_scheduled import generate, rooms_in, swap_within_the_rules
from tests.factories import make_event, make_participants


def purge_audit(session: Session, event_id: str) -> None:
    """What an audit purge leaves of the event's entries: none."""
    session.exec(delete(AuditLog).where(col(AuditLog.event_id) == event_id))
    session.commit()


def test_a_swap_made_by_hand_survives_removals_after_audit_purges(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, rounds=3)
    make_participants(session, event, 16)
    base = f"/api/v1/events/{event.id}"
    swapped = swap_within_the_rules(org_client, base, generate(org_client, event.id))
    edited = rooms_in(org_client.get(f"{base}/schedule").json(), 2)
    by_hand = [room for room in edited if room & swapped]
    others = sorted(set().union(*edited) - set().union(*by_hand))
    for gone in others[:2]:  # the second re-plan keeps what the first one kept
        purge_audit(session, event.id)
        assert org_client.delete(f"{base}/participants/{gone}").status_code == 204
        after = org_client.get(f"{base}/schedule").json()
        for room in by_hand:
            assert any(room <= now for now in rooms_in(after, 2)), (room, rooms_in(after, 2))
        assert not [w for w in after["warnings"] if w.startswith("change not kept")]


def test_a_sit_out_set_by_hand_is_still_one_after_an_audit_purge(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, rounds=3)
    make_participants(session, event, 16)
    base = f"/api/v1/events/{event.id}"
    schedule = generate(org_client, event.id)
    out = schedule["rounds"][1]["rooms"][0]["members"][0]["id"]
    body = {"round": 2, "participant": out, "room": 0, "force": True}
    assert org_client.post(f"{base}/schedule/move", json=body).status_code == 200
    purge_audit(session, event.id)
    plan = store.current_plan(session, event_id=event.id)
    assert plan is not None

    seats = kept_edits.hand_set_seats(session, event_id=event.id, plan=plan)

    assert seats == {(2, out): None}  # what a removal's re-plan is asked to keep
