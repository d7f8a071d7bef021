"""Migration 0011 fills `scheduleplan.weights` from the audit log, so a plan stored before the
upgrade is still checked against the weights it was made with: a generated plan gets its
`schedule.generate` entry's weights, an edit or re-plan after it those of the plan it came
from, and a plan without such an entry none ("not recorded")."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import command
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.cli.db import alembic_config, upgrade
from app.models import AuditLog, Organiser
from app.schedule import plan_weights
from tests.app.test_remove_while_scheduled import generate, swap_within_the_rules
from tests.factories import make_api_token, make_event, make_participants
from tests.fixtures.database import BOTH_DATABASES


def stored_weights(url: str) -> dict[tuple[str, int], dict[str, Any] | None]:
    plan = sa.table(
        "scheduleplan",
        sa.column("event_id", sa.String),
        sa.column("version", sa.Integer),
        sa.column("weights", sa.JSON),
    )
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(plan.c.event_id, plan.c.version, plan.c.weights)).all()
    finally:
        engine.dispose()
    return {(event_id, version): weights for event_id, version, weights in rows}


@BOTH_DATABASES
def test_plans_stored_before_the_upgrade_get_the_weights_they_were_made_with(
    configured: str, client: TestClient, session: Session, organiser: Organiser
) -> None:
    client.headers["Authorization"] = f"Bearer {make_api_token(session, organiser)}"
    org_client = client
    event = make_event(session, organiser, name="Re-planned", rounds=3)
    make_participants(session, event, 12)
    url = f"/api/v1/events/{event.id}"
    first = generate(org_client, event.id)  # v1
    swap_within_the_rules(org_client, url, first)  # v2: an edit
    assert org_client.post(f"{url}/phase", json={"phase": "open"}).status_code == 200
    old = plan_weights.current(event)  # the defaults, as the planner reads them
    new = {**old, "same_sector": 9}
    assert org_client.patch(url, json={"weights": new}).status_code == 200
    generate(org_client, event.id)  # v3, with the new weights
    people = [m["id"] for room in first["rounds"][0]["rooms"] for m in room["members"]]
    assert org_client.delete(f"{url}/participants/{people[0]}").status_code == 204  # v4
    unrecorded = make_event(session, organiser, name="Before weights were recorded", rounds=2)
    make_participants(session, unrecorded, 8)
    generate(org_client, unrecorded.id)
    entry = session.exec(
        select(AuditLog).where(
            AuditLog.event_id == unrecorded.id, col(AuditLog.action) == "schedule.generate"
        )
    ).one()
    entry.detail = {k: v for k, v in entry.detail.items() if k != "weights"}
    session.add(entry)
    session.commit()
    session.close()
    # Back to the release before the column existed (the audit log stays), then up again.
    command.downgrade(alembic_config(configured), "0010")

    upgrade(configured)

    assert stored_weights(configured) == {
        (event.id, 1): old,
        (event.id, 2): old,
        (event.id, 3): new,
        (event.id, 4): new,
        (unrecorded.id, 1): None,
    }
