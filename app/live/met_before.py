"""The countries each person met before a round, as matching.explain counts them for "first
meeting with <country>" on the room card.

Every view of a round reads them again (each clock change is a new version): at 200 people and
6–10 rounds that read added 3–4 ms to a view read in 6–7 ms; at 5,000 people, about 110 ms to 400.
The seats of rounds that all ended never change, but a country may: an organiser corrects one
while live. So a process keeps the latest answer per event and round (`MetKept`, held by its view
cache) with what it was worked out from, the rounds before and everyone's country as read, and
takes it only while the view just read has the same.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from app.live.event_view import Card
from app.models import Room, RoomMember, Round, RoundStatus

_ROUNDS_KEPT = 2  # per event: the running round's view and the next one's, read ahead


@dataclass(frozen=True)
class _Kept:
    rounds: frozenset[str]  # the ids of the rounds before, all ended
    countries: dict[str, str]  # everyone's country (the erased left out) when worked out
    met: dict[str, frozenset[str]]


class MetKept:
    """One process's latest answers per event and round; the views are read in worker threads."""

    def __init__(self) -> None:
        self._kept: dict[str, dict[int, _Kept]] = {}
        self._lock = threading.Lock()

    def get(
        self, event_id: str, number: int, rounds: frozenset[str], countries: dict[str, str]
    ) -> dict[str, frozenset[str]] | None:
        with self._lock:
            kept = self._kept.get(event_id, {}).get(number)
        if kept is None or kept.rounds != rounds or kept.countries != countries:
            return None
        return kept.met

    def put(
        self,
        event_id: str,
        number: int,
        rounds: frozenset[str],
        countries: dict[str, str],
        met: dict[str, frozenset[str]],
    ) -> None:
        with self._lock:
            kept = self._kept.setdefault(event_id, {})
            kept[number] = _Kept(rounds, countries, met)
            for old in sorted(kept)[:-_ROUNDS_KEPT]:
                del kept[old]

    def forget(self, event_id: str) -> None:
        with self._lock:
            self._kept.pop(event_id, None)


def met_before(
    session: Session,
    event_id: str,
    number: int,
    rounds: Sequence[Round],
    cards: Mapping[str, Card],
    kept: MetKept | None = None,
) -> dict[str, frozenset[str]]:
    """The countries of everyone each person shared a room with before round `number` (their
    own aside). `kept` is used only when every round before it ended: in a running one someone
    may still be moved."""
    if number <= 1:
        return {}
    earlier = [r for r in rounds if r.number < number]
    played = all(r.status == RoundStatus.ENDED for r in earlier)
    ids = frozenset(r.id for r in earlier)
    countries = {pid: card.country for pid, card in cards.items()}
    if kept is not None and played:
        found = kept.get(event_id, number, ids, countries)
        if found is not None:
            return found
    found = _read(session, event_id, number, countries)
    if kept is not None and played:
        kept.put(event_id, number, ids, countries, found)
    return found


def _read(
    session: Session, event_id: str, number: int, countries: dict[str, str]
) -> dict[str, frozenset[str]]:
    rows = (
        session.connection()
        .execute(
            sa_select(col(RoomMember.room_id), col(RoomMember.participant_id))
            .join(Room, col(Room.id) == col(RoomMember.room_id))
            .join(Round, col(Round.id) == col(Room.round_id))
            .where(col(Round.event_id) == event_id, col(Round.number) < number)
        )
        .all()
    )
    rooms: dict[str, set[str]] = {}
    for room_id, pid in rows:
        if pid in countries:
            rooms.setdefault(room_id, set()).add(pid)
    met: dict[str, set[str]] = {}
    for members in rooms.values():
        seen = {countries[pid] for pid in members}
        for pid in members:
            met.setdefault(pid, set()).update(seen)
    return {pid: frozenset(c - {countries[pid]}) for pid, c in met.items()}
