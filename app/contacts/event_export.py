"""Organiser exports: meetings, contact pairs, per-participant summary, seats, report facts.

Contact details only ever come through `export.shared_fields`, and only for a side that shared.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.contacts import service
from app.contacts.export import CONTACT_FIELDS, ERASED, shared_fields
from app.contacts.formats import Table
from app.contacts.report import Meeting, MeetingStatus, PersonFacts, ReportStats, compute
from app.contacts.report import render as render_report
from app.contacts.service import DecisionKey, Placement
from app.contacts.video import Seat
from app.models import AttendanceStatus, ContactDecision, Event, EventPhase, Participant


@dataclass(frozen=True)
class EventData:
    event: Event
    people: dict[str, Participant]
    places: list[Placement]
    table: dict[DecisionKey, ContactDecision]


def load(session: Session, event: Event) -> EventData:
    people = {p.id: p for p in service.participants_of(session, event)}
    places = service.placements(session, event)
    if event.phase == EventPhase.FINISHED:
        # Rounds an early end left unplayed held no meetings: the report and the tables count
        # only what happened (before the end they show the plan, unconfirmed).
        places = [place for place in places if place.started]
    return EventData(event, people, places, service.decisions(session, event))


def _name(data: EventData, pid: str) -> str:
    person = data.people.get(pid)
    return ERASED if person is None or person.deleted else person.name


def _ext(data: EventData, pid: str) -> str:
    person = data.people.get(pid)
    return "" if person is None or person.deleted else person.external_id


def meetings_table(data: EventData) -> Table:
    """Who met whom, in which round and room; no contact details at all."""
    columns = (
        "Round", "Room", "Room name", "A id", "A name", "A country",
        "B id", "B name", "B country", "Status", "Mutual contact",
    )  # fmt: skip
    rows = []
    for m in service.meetings(data.places, data.table):
        a, b = data.people.get(m.a_id), data.people.get(m.b_id)
        rows.append(
            (
                m.round, m.room, m.room_name,
                _ext(data, m.a_id), _name(data, m.a_id), a.country if a else "",
                _ext(data, m.b_id), _name(data, m.b_id), b.country if b else "",
                m.status.value, m.mutual,
            )
        )  # fmt: skip
    return Table(columns, rows, "Meetings")


def pairs_table(data: EventData) -> Table:
    """Contact pairs; a side's details appear only when that side shared them with the other."""
    columns = ["Round", "Mutual"]
    for side in ("A", "B"):
        columns += [f"{side} id", f"{side} name", f"{side} country", f"{side} shared"]
        columns += [f"{side} {f}" for f in ("e-mail", "school", "role", "phone")]
    rows = []
    seen: set[tuple[str, str]] = set()
    for m in service.meetings(data.places, data.table):
        a_shares = service.shares(data.table, m.a_id, m.b_id)
        b_shares = service.shares(data.table, m.b_id, m.a_id)
        exchanged = m.mutual if data.event.mutual_consent else (a_shares or b_shares)
        if not exchanged or (m.a_id, m.b_id) in seen:
            continue
        seen.add((m.a_id, m.b_id))
        row: list[str | int | bool | None] = [m.round, m.mutual]
        for pid, shared in ((m.a_id, a_shares), (m.b_id, b_shares)):
            person = data.people[pid]
            details = shared_fields(person) if shared else dict.fromkeys(CONTACT_FIELDS)
            row += [_ext(data, pid), _name(data, pid), person.country, shared]
            row += [details[f] for f in CONTACT_FIELDS]
        rows.append(tuple(row))
    return Table(tuple(columns), rows, "Contact pairs")


def summary_table(data: EventData) -> Table:
    """One row per participant: attendance, meetings, contacts; no contact details."""
    columns = (
        "Id", "Name", "Country", "Sector", "Attendance", "Meetings", "Held",
        "No-show", "Contacts shared", "Mutual contacts", "Erased",
    )  # fmt: skip
    by_person: dict[str, list[Meeting]] = defaultdict(list)
    for m in service.meetings(data.places, data.table):
        by_person[m.a_id].append(m)
        by_person[m.b_id].append(m)
    given = Counter(frm for (frm, _), d in data.table.items() if d.share)
    rows = []
    for pid, p in data.people.items():
        mine = by_person[pid]
        rows.append(
            (
                _ext(data, pid), _name(data, pid), p.country, p.sector, p.attendance.value,
                len(mine),
                sum(1 for m in mine if m.status is MeetingStatus.HELD),
                sum(1 for m in mine if m.status is MeetingStatus.NO_SHOW),
                given[pid],
                len({m.a_id if m.b_id == pid else m.b_id for m in mine if m.mutual}),  # people
                p.deleted,
            )
        )  # fmt: skip
    return Table(columns, rows, "Participants")


def seats(data: EventData) -> list[Seat]:
    """Every placed, not erased participant in every round (Zoom and BigBlueButton input)."""
    out = []
    for place in data.places:
        for pid in place.members:
            person = data.people.get(pid)
            if person is None or person.deleted:
                continue
            out.append(
                Seat(place.round, place.room, place.room_name, person.external_id, person.name,
                     person.email)
            )  # fmt: skip
    return out


def report_stats(data: EventData) -> ReportStats:
    facts = [
        PersonFacts(p.id, p.country, p.sector, p.attendance == AttendanceStatus.ABSENT)
        for p in data.people.values()
    ]
    return compute(data.event.name, facts, service.meetings(data.places, data.table))


def report_html(data: EventData, now: datetime, locale: str = "en") -> str:
    return render_report(report_stats(data), now, locale)
