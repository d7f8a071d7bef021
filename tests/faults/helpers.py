"""Checks shared by the fault and soak tests: the stored plan is valid, nothing went missing."""

from __future__ import annotations

from sqlmodel import Session, select

import matching
from app.db import make_engine
from app.models import ContactDecision, Event, Participant
from app.schedule import convert
from app.schedule import service as schedule_service


def plan_problems(database_url: str, event_id: str) -> list[str]:
    """Hard-constraint violations of the stored plan (matching.validate_plan); [] when valid."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            event = session.get(Event, event_id)
            assert event is not None
            people = session.exec(select(Participant).where(Participant.event_id == event_id))
            plan = schedule_service.current_plan(session, event_id=event_id)
            assert plan is not None, "no stored plan"
            stored = convert.to_people(convert.plannable(list(people.all())))
            return matching.validate_plan(stored, convert.settings_for(event), plan)
    finally:
        engine.dispose()


def decisions(database_url: str, event_id: str) -> set[tuple[str, str, bool]]:
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            rows = session.exec(select(ContactDecision).where(ContactDecision.event_id == event_id))
            return {(d.from_participant_id, d.to_participant_id, d.share) for d in rows.all()}
    finally:
        engine.dispose()
