"""Video-platform exports: Zoom breakout pre-assignment CSV, BigBlueButton groups, room names/links.

Pure functions over `Seat` rows (one participant in one room of one round).
"""

from __future__ import annotations

import csv
import io
import string
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from app.contacts.formats import safe_cell
from app.schedule.rooms import fill_link_template

ZOOM_HEADER = ("Pre-assign Room Name", "Email Address")
# Zoom's documented limits for one pre-assignment CSV.
ZOOM_MAX_ROOMS = 100
ZOOM_MAX_PEOPLE = 1000
LINK_PLACEHOLDERS = frozenset({"event", "round", "room"})


class ExportLimitError(ValueError):
    """The export cannot be produced as asked (a platform limit, a bad template)."""


@dataclass(frozen=True)
class Seat:
    round: int
    room: int
    room_name: str
    participant_id: str  # the organiser's own id (CSV `id`), used as BigBlueButton userID
    name: str
    email: str


def room_name(number: int, names: Sequence[str] = (), stored: str | None = None) -> str:
    """The name participants look for: the stored one, the event's fixed list, else "Room 07"."""
    if stored:
        return stored
    if 1 <= number <= len(names) and names[number - 1].strip():
        return names[number - 1].strip()
    return f"Room {number:02d}"


def check_link_template(template: str) -> None:
    """Reject templates with unknown or positional placeholders (a clear 4xx, not a 500 later)."""
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    except ValueError as exc:
        raise ExportLimitError(f"Room link template is malformed: {exc}") from None
    unknown = sorted(fields - LINK_PLACEHOLDERS)
    if unknown:
        raise ExportLimitError(
            "Room link template may only use {event}, {round} and {room}; found "
            + ", ".join("{" + u + "}" for u in unknown)
        )


def room_link(template: str, event: str, round_no: int, room_no: int) -> str:
    """Jitsi-style per-room URL, e.g. https://meet.example.org/{event}-r{round}-{room}."""
    check_link_template(template)
    return fill_link_template(template, event, round_no, room_no)


def zoom_csv(seats: Iterable[Seat], round_no: int = 1) -> bytes:
    """Zoom breakout pre-assignment for one round: exactly the two columns Zoom expects.

    No byte-order mark: Zoom matches the header literally.
    """
    rows = sorted((s for s in seats if s.round == round_no and s.email), key=_seat_order)
    if not rows:
        raise ExportLimitError(f"Round {round_no} has nobody placed yet: plan the event first.")
    rooms = {s.room_name for s in rows}
    if len(rooms) > ZOOM_MAX_ROOMS:
        raise ExportLimitError(
            f"Zoom accepts at most {ZOOM_MAX_ROOMS} breakout rooms; round {round_no} has "
            f"{len(rooms)}. Use fixed room names and let participants choose their room."
        )
    if len(rows) > ZOOM_MAX_PEOPLE:
        raise ExportLimitError(
            f"Zoom accepts at most {ZOOM_MAX_PEOPLE} pre-assigned people; round {round_no} has "
            f"{len(rows)}. Use fixed room names and let participants choose their room."
        )
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(ZOOM_HEADER)
    for seat in rows:
        writer.writerow([safe_cell(seat.room_name), safe_cell(seat.email)])
    return buf.getvalue().encode("utf-8")


def bbb_groups(seats: Iterable[Seat], round_no: int) -> list[dict[str, Any]]:
    """BigBlueButton `groups` create parameter (2.5+): [{id, name, roster: [userID, ...]}]."""
    by_room: dict[int, list[Seat]] = defaultdict(list)
    for seat in seats:
        if seat.round == round_no:
            by_room[seat.room].append(seat)
    return [
        {
            "id": str(number),
            "name": members[0].room_name,
            "roster": sorted(m.participant_id for m in members),
        }
        for number, members in sorted(by_room.items())
    ]


def bbb_export(seats: Sequence[Seat], event_name: str) -> dict[str, Any]:
    """All rounds: each round's `groups` value, ready to paste into that round's create call."""
    rounds = sorted({s.round for s in seats})
    return {
        "event": event_name,
        "user_id_field": "participant id (the `id` column of the participants CSV)",
        "rounds": [{"round": r, "groups": bbb_groups(seats, r)} for r in rounds],
    }


def _seat_order(seat: Seat) -> tuple[int, int, str]:
    return (seat.round, seat.room, seat.email)
