"""The seats the organiser set by hand are marked on the stored seats, not read from the audit
log: after an audit purge, a removal's re-plan still keeps a swap made by hand, the next
removal's re-plan still keeps what the first one kept, and a sit-out set by hand still counts."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organiser
from app.schedule import kept_edits, store
from tests.app.conftest import PurgeAudit
from tests.app.test_remove_while_scheduled import (
    assert_hand_made_rooms_kept,
    generate,
    rooms_swapped_by_hand,
    schedule_after_removing,
)
from tests.factories import make_event, make_participants


def test_a_swap_made_by_hand_survives_removals_after_audit_purges(
    org_client: TestClient, session: Session, organiser: Organiser, purge_audit: PurgeAudit
) -> None:
    event_id, by_hand, others = rooms_swapped_by_hand(org_client, session, organiser)
    base = f"/api/v1/events/{event_id}"
    for gone in others[:2]:  # the second re-plan keeps what the first one kept
        purge_audit(event_id)
        assert_hand_made_rooms_kept(schedule_after_removing(org_client, base, gone), by_hand)


def test_a_sit_out_set_by_hand_is_still_one_after_an_audit_purge(
    org_client: TestClient, session: Session, organiser: Organiser, purge_audit: PurgeAudit
) -> None:
    event = make_event(session, organiser, rounds=3)
    make_participants(session, event, 16)
    base = f"/api/v1/events/{event.id}"
    schedule = generate(org_client, event.id)
    out = schedule["rounds"][1]["rooms"][0]["members"][0]["id"]
    body = {"round": 2, "participant": out, "room": 0, "force": True}
    assert org_client.post(f"{base}/schedule/move", json=body).status_code == 200
    purge_audit(event.id)
    plan = store.current_plan(session, event_id=event.id)
    assert plan is not None

    seats = kept_edits.hand_set_seats(session, event_id=event.id, plan=plan)

    assert seats == {(2, out): None}  # what a removal's re-plan is asked to keep
