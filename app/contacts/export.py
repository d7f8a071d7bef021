"""Participant exports: "my contacts" (entries, table, vCards, printable page), rooms, own data.

The consent rule lives in `service.visible`; exports only ever read a person's contact fields
through `shared_fields`, which applies that person's `share_fields` choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlmodel import Session

from app.contacts import service
from app.contacts.formats import Card, Table
from app.contacts.report import localised
from app.contacts.service import Placement
from app.models import Event, Participant

CONTACT_FIELDS = ("email", "school", "role", "phone")
ERASED = "(erased)"


@dataclass(frozen=True)
class ContactEntry:
    """One person in a participant's "my contacts": only what that person chose to share."""

    id: str
    name: str
    round: int
    room_name: str
    country: str
    sector: str
    shared_interests: list[str]
    note: str
    email: str | None = None
    school: str | None = None
    role: str | None = None
    phone: str | None = None
    programmes: list[str] = field(default_factory=list)


def shared_fields(person: Participant) -> dict[str, str | None]:
    chosen = set(person.share_fields)
    return {f: (getattr(person, f) or None) if f in chosen else None for f in CONTACT_FIELDS}


def my_contacts(session: Session, participant: Participant) -> list[ContactEntry]:
    """The people whose consent lets `participant` see their details, first meeting first."""
    if participant.deleted:
        return []
    event = service.event_of(session, participant)
    table = service.decisions(session, event, participant_id=participant.id)
    seen: set[str] = set()
    out: list[ContactEntry] = []
    for place, other in service.roommates(session, participant):
        if other.id in seen or not service.visible(event, table, participant.id, other.id):
            continue
        seen.add(other.id)
        mine = table.get((participant.id, other.id))
        out.append(
            ContactEntry(
                id=other.id,
                name=other.name,
                round=place.round,
                room_name=place.room_name,
                country=other.country,
                sector=other.sector,
                shared_interests=sorted(set(participant.interests) & set(other.interests)),
                programmes=sorted(set(participant.programmes) & set(other.programmes)),
                note=mine.note if mine else "",
                **shared_fields(other),
            )
        )
    return out


CONTACT_COLUMNS = (
    "Name",
    "Round",
    "Room",
    "School",
    "Country",
    "Sector",
    "Shared interests",
    "Shared programmes",
    "E-mail",
    "Role",
    "Phone",
    "Note",
)


def contacts_table(entries: list[ContactEntry]) -> Table:
    rows = [
        (
            e.name,
            e.round,
            e.room_name,
            e.school,
            e.country,
            e.sector,
            ", ".join(e.shared_interests),
            ", ".join(e.programmes),
            e.email,
            e.role,
            e.phone,
            e.note,
        )
        for e in entries
    ]
    return Table(CONTACT_COLUMNS, rows, "My contacts")


def contact_cards(entries: list[ContactEntry], event_name: str) -> list[Card]:
    cards = []
    for e in entries:
        lines = [f"Met at {event_name}, round {e.round} ({e.room_name})."]
        lines.append(f"Country: {e.country}. Sector: {e.sector}.")
        if e.shared_interests:
            lines.append("Shared interests: " + ", ".join(e.shared_interests) + ".")
        if e.programmes:
            lines.append("Shared programmes: " + ", ".join(e.programmes) + ".")
        if e.note:
            lines.append("My note: " + e.note)
        cards.append(
            Card(
                name=e.name,
                email=e.email,
                school=e.school,
                role=e.role,
                phone=e.phone,
                country=e.country,
                note="\n".join(lines),
                categories=[event_name],
            )
        )
    return cards


def contacts_page(entries: list[ContactEntry], event: Event, locale: str) -> str:
    """The printable "my contacts" page (self-contained HTML) in the reader's language."""
    return (
        localised(locale)
        .get_template("my_contacts.html")
        .render(entries=entries, event=event, locale=locale)
    )


def my_rooms(session: Session, participant: Participant) -> list[Placement]:
    """The rooms `participant` is placed in, one per round (names to pick in Zoom, links)."""
    event = service.event_of(session, participant)
    return service.placements(session, event, participant_id=participant.id)


PROFILE_FIELDS = (
    "id", "external_id", "name", "email", "school", "country", "sector", "languages", "interests",
    "programmes", "requests", "avoid", "role", "phone", "share_fields", "locale", "attendance",
    "joined_round", "created_at",
)  # fmt: skip


def _utc(value: object) -> object:
    """Times are stored naive in UTC: written with their offset, as the API does, so nobody
    reads them as local time."""
    return value.replace(tzinfo=UTC).isoformat() if isinstance(value, datetime) else value


def my_data(session: Session, participant: Participant) -> dict[str, object]:
    """Everything stored about `participant` (GDPR access / portability), as plain JSON data."""
    event = service.event_of(session, participant)
    table = service.decisions(session, event, participant_id=participant.id)
    mine = [d for (frm, _), d in table.items() if frm == participant.id]
    return {
        "event": {"id": event.id, "name": event.name, "starts_at": _utc(event.starts_at)},
        "profile": {f: _utc(getattr(participant, f)) for f in PROFILE_FIELDS},
        "rooms": [
            {"round": p.round, "room": p.room, "room_name": p.room_name, "link": p.link}
            for p in my_rooms(session, participant)
        ],
        "decisions": [
            {
                "to_participant_id": d.to_participant_id,
                "round": d.round_number,
                "share": d.share,
                "met": d.met,
                "note": d.note,
                "updated_at": _utc(d.updated_at),
            }
            for d in mine
        ],  # fmt: skip
    }
