"""Which of a plan's warnings are the planner's notes on how it solved: nothing to act on.

The plan keeps every warning as stored (the API lists them all); the schedule page shows only the
ones an organiser must act on (a break kept with force, a pin not kept, who sits out) as warnings
and folds these notes away. `explained` gives the page the feasibility findings behind the
warnings it shows, structured, so it words them in its own language, and why each other sit-out
happened.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from sqlmodel import Session

import matching
from app.models import Event, SchedulePlan
from app.participants import service as participant_service
from app.schedule import convert, store
from matching.notes import SOLVER_NOTES


def is_solver_note(warning: str) -> bool:
    # Prefixes: a note that gains detail after a colon still matches.
    return warning.startswith(SOLVER_NOTES)


def split_warnings(warnings: Iterable[str]) -> tuple[list[str], list[str]]:
    """(what the organiser must act on, the planner's notes), each in the stored order."""
    act: list[str] = []
    notes: list[str] = []
    for warning in warnings:
        (notes if is_solver_note(warning) else act).append(warning)
    return act, notes


@dataclass(frozen=True)
class Explained:
    """The stored plan's feasibility findings and unexplained sit-outs, structured.
    `warnings`: a stored warning's finding, by the warning's text; `unplaceable`: the finding
    behind an unplaceable person's stored reason, by their id; `sit_outs`: the plan's sit-outs
    no shown finding covers, each with what the round's rooms say."""

    warnings: dict[str, matching.Finding] = field(default_factory=dict)
    unplaceable: dict[str, matching.Finding] = field(default_factory=dict)
    sit_outs: list[matching.SitOut] = field(default_factory=list)


def explained(
    session: Session, *, event: Event, row: SchedulePlan, act: Sequence[str]
) -> Explained:
    """Findings of matching.check_feasibility for the plan's people, settings and pins as they
    are now, kept where one's English text is a stored warning among `act` (or an unplaceable
    person's stored reason), and the sit-outs those leave unexplained. The planner made the
    stored texts from the same findings; one that no longer matches (people changed since)
    stays as stored."""
    plan = store.current_plan(session, event_id=event.id)
    if plan is None:
        return Explained()
    in_plan = {pid for rnd in plan.rounds for pid in rnd.sitting_out}
    in_plan |= {pid for rnd in plan.rounds for room in rnd.rooms for pid in room.participants}
    everyone = convert.plannable(participant_service.list_participants(session, event_id=event.id))
    # As the planner saw them: requests and avoid lists are resolved among those planned.
    people = tuple(p for p in convert.to_people(everyone) if p.id in in_plan)
    ids = {p.id for p in people}
    pins = tuple(p for p in convert.pins_from(row.pins) if {p.a, p.b} <= ids)
    settings = convert.settings_for(event)
    stored = set(act)
    reasons = {str(u.get("participant_id")): str(u.get("reason")) for u in row.unplaceable}
    # Only a stored finding is worded: none stored, none to find (and no search to run).
    findings = _findings(people, settings, pins) if stored or reasons else ()
    shown = Explained(
        warnings={f.text: f for f in findings if not f.unplaceable and f.text in stored},
        unplaceable={
            f.person: f for f in findings if f.unplaceable and reasons.get(f.person) == f.text
        },
    )
    kept = [*shown.warnings.values(), *shown.unplaceable.values()]
    sit_outs = matching.sit_out_reasons(people, settings, plan.rounds, kept, pins)
    # Someone the plan could not place is listed with the stored reason, worded or not.
    return replace(shown, sit_outs=[s for s in sit_outs if s.person not in reasons])


@lru_cache(maxsize=8)
def _findings(
    people: tuple[matching.Participant, ...],
    settings: matching.EventSettings,
    pins: tuple[matching.Pin, ...],
) -> tuple[matching.Finding, ...]:
    # Cached: at n = 1000 the search for roomless people takes about half a second, and the
    # schedule page is reloaded after every change while its people stay the same.
    try:
        return matching.check_feasibility(people, settings, pins).findings
    except ValueError:  # settings or people the planner refuses: nothing it could have stored
        return ()
