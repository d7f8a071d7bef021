"""Migration 0012 makes (event_id, version) of `scheduleplan` unique. A database that already
holds two plans with one version (two schedule changes at once, before the constraint) still
upgrades: within each event the later-made duplicates, and the plans after them, move up one
version each, so the most recently made is the one in force; other events keep their numbers."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.cli.db import alembic_config, upgrade
from app.models import Organiser, SchedulePlan, table_of
from tests.factories import make_event
from tests.fixtures.database import BOTH_DATABASES
from tests.ops.test_migrations import schema_differences

CONSTRAINT = "uq_scheduleplan_event_id_version"
T0 = datetime(2026, 11, 1, 9, 0)


def plan_row(plan_id: str, event_id: str, version: int, minute: int) -> dict[str, object]:
    return {
        "id": plan_id,
        "event_id": event_id,
        "version": version,
        "score": {},
        "upper_bound": 0,
        "elapsed_s": 0.0,
        "warnings": [],
        "unplaceable": [],
        "pins": [],
        "weights": None,
        "created_at": T0 + timedelta(minutes=minute),
    }


def run(url: str, statement: sa.Executable, rows: list[dict[str, object]] | None = None) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(statement, rows or [])
    finally:
        engine.dispose()


def versions(url: str) -> dict[str, int]:
    plan = table_of(SchedulePlan)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(plan.c.id, plan.c.version)).all()
            return {str(row.id): int(row.version) for row in rows}
    finally:
        engine.dispose()


def unique_constraints(url: str) -> list[str | None]:
    engine = sa.create_engine(url)
    try:
        return [c["name"] for c in sa.inspect(engine).get_unique_constraints("scheduleplan")]
    finally:
        engine.dispose()


@BOTH_DATABASES
def test_duplicate_plan_versions_are_renumbered_and_then_refused(
    configured: str, session: Session, organiser: Organiser
) -> None:
    raced, steady, thrice = (make_event(session, organiser).id for _ in range(3))
    session.close()
    command.downgrade(alembic_config(configured), "0011")
    assert CONSTRAINT not in unique_constraints(configured)
    rows = [
        plan_row("r1", raced, 1, 0),
        plan_row("r2-later", raced, 2, 5),  # made after r2 but stored with its version
        plan_row("r2", raced, 2, 4),
        plan_row("r3", raced, 3, 9),
        plan_row("s1", steady, 1, 0),
        plan_row("s2", steady, 2, 1),
        plan_row("t1", thrice, 1, 0),
        plan_row("t1-b", thrice, 1, 1),
        plan_row("t1-c", thrice, 1, 2),
    ]
    run(configured, sa.insert(table_of(SchedulePlan)), rows)

    upgrade(configured)

    assert versions(configured) == {
        "r1": 1,
        "r2": 2,
        "r2-later": 3,
        "r3": 4,
        "s1": 1,
        "s2": 2,
        "t1": 1,
        "t1-b": 2,
        "t1-c": 3,
    }
    assert CONSTRAINT in unique_constraints(configured)
    assert schema_differences(configured) == []
    with pytest.raises(IntegrityError):
        run(configured, sa.insert(table_of(SchedulePlan)), [plan_row("again", steady, 2, 3)])

    command.downgrade(alembic_config(configured), "0011")  # the numbers stay, the rule goes
    assert CONSTRAINT not in unique_constraints(configured)
    run(configured, sa.insert(table_of(SchedulePlan)), [plan_row("again", steady, 2, 3)])
    assert versions(configured)["again"] == 2
    assert versions(configured)["r2-later"] == 3
