"""The schedule page warns only of what the organiser must act on; the planner's own notes on how
it searched are folded away under "How the plan was made" (the API keeps every warning)."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, select

import matching
from app.models import SchedulePlan
from app.web.plan_notes import is_solver_note
from matching import notes as planner_notes
from tests.web.test_schedule_pages import scheduled_event

NOTE = "the chosen meetings could not be split into rounds in time"
KEPT = "rounds were filled from the chosen meetings round by round"
ACT = "not kept: pin: Lieke de Vries and Søren Holm must meet"


def _section(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end, page.index(start))]


def test_planner_notes_are_not_warnings(web: TestClient, db: Session) -> None:
    event_id = scheduled_event(web, db)
    web.post(f"/organiser/events/{event_id}/schedule/generate")
    row = db.exec(select(SchedulePlan).where(SchedulePlan.event_id == event_id)).one()
    row.warnings = [NOTE, ACT, KEPT]
    db.add(row)
    db.commit()

    page = web.get(f"/organiser/events/{event_id}/schedule").text
    warnings = _section(page, "<h3>Warnings</h3>", "</div>")
    assert ACT in warnings
    assert NOTE not in warnings
    assert KEPT not in warnings
    notes = _section(page, '<details class="plan-notes"', "</details>")
    assert "How the plan was made" in notes
    assert NOTE in notes
    assert KEPT in notes
    assert ACT not in notes
    api = web.get(f"/api/v1/events/{event_id}/schedule").json()
    assert api["warnings"] == [NOTE, ACT, KEPT]


def test_only_notes_show_no_warnings_box(web: TestClient, db: Session) -> None:
    event_id = scheduled_event(web, db)
    web.post(f"/organiser/events/{event_id}/schedule/generate")
    row = db.exec(select(SchedulePlan).where(SchedulePlan.event_id == event_id)).one()
    row.warnings = [NOTE]
    db.add(row)
    db.commit()
    page = web.get(f"/organiser/events/{event_id}/schedule").text
    assert "<h3>Warnings</h3>" not in page
    assert NOTE in _section(page, '<details class="plan-notes"', "</details>")


def test_every_note_the_planner_writes_is_known() -> None:
    """A note written in matching/ other than from matching.notes would show as a warning."""
    root = Path(matching.__file__).parent
    written = []
    for name in ("core.py", "decomposition.py"):
        source = (root / name).read_text()
        written += re.findall(r"notes\.append\(\s*([^)]*?)\s*\)", source)
    assert len(written) >= 5
    for call in written:
        found = re.fullmatch(r"planner_notes\.([A-Z_]+)", call)
        assert found, call
        assert is_solver_note(getattr(planner_notes, found.group(1))), call
