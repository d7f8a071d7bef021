"""Shared by the fault tests: which contact decisions are stored. (Whether the stored plan is
valid: `bench.soak.plan_problems`, which the soak test uses too.)"""

from __future__ import annotations

from sqlmodel import Session, select

from app.db import make_engine
from app.models import ContactDecision


def decisions(database_url: str, event_id: str) -> set[tuple[str, str, bool]]:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            rows = session.exec(select(ContactDecision).where(ContactDecision.event_id == event_id))
            return {(d.from_participant_id, d.to_participant_id, d.share) for d in rows.all()}
    finally:
        engine.dispose()
