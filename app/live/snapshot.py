"""Reads an event's live state from the database into one `EventView`, then renders messages.

One query set per event and version; every personalised message (state, assignment) is rendered
from that in-memory view, so a fan-out to thousands of sockets costs one database read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import ColumnElement, Connection
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.models import (
    AuditLog,
    ContactDecision,
    Event,
    Participant,
    Room,
    RoomMember,
    Round,
    RoundStatus,
)
from app.schedule.rooms import fill_link_template
from rooms import (
    AssignmentMessage,
    BroadcastMessage,
    Decision,
    Member,
    PresenceEntry,
    RoomView,
    RoundClock,
    RoundView,
    StateMessage,
    Status,
    room_part,
)

MAX_BROADCASTS = 5  # a state carries at most this many of the round's messages


def aware(value: datetime | None) -> datetime | None:
    """Stored naive UTC → timezone-aware UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def naive(value: datetime | None) -> datetime | None:
    """Timezone-aware → naive UTC for storage."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


class StoredClock(Protocol):
    """A round's clock as stored: a `Round` row, or the round start's `RoundRow`."""

    @property
    def number(self) -> int: ...
    @property
    def status(self) -> RoundStatus: ...
    @property
    def starts_at(self) -> datetime | None: ...
    @property
    def ends_at(self) -> datetime | None: ...
    @property
    def paused_remaining_s(self) -> float | None: ...


def clock_of(row: StoredClock) -> RoundClock:
    return RoundClock(
        number=row.number,
        status=Status(row.status),
        starts_at=aware(row.starts_at),
        ends_at=aware(row.ends_at),
        paused_remaining_s=row.paused_remaining_s,
    )


def room_link(event: Event, round_no: int, room_no: int, link: str | None) -> str | None:
    """The room's own link, else the event's template filled in."""
    if link:
        return link
    if event.room_link_template:
        return fill_link_template(event.room_link_template, event.id, round_no, room_no)
    return None


@dataclass
class _Card:
    id: str
    name: str
    school: str
    country: str
    sector: str
    interests: frozenset[str]


@dataclass
class _Room:
    number: int
    name: str | None
    link: str | None
    members: list[str]


@dataclass
class EventView:
    """Everything clients see of one event at one state version."""

    event_id: str
    event_name: str
    phase: str
    current_round: int
    rounds_total: int
    version: int
    auto_advance: bool
    break_seconds: int
    round: RoundClock | None
    rooms: list[_Room] = field(default_factory=list)
    room_of: dict[str, int] = field(default_factory=dict)  # participant id → index in rooms
    why: dict[str, str] = field(default_factory=dict)
    cards: dict[str, _Card] = field(default_factory=dict)
    attendance: dict[str, str] = field(default_factory=dict)
    decisions: dict[str, list[Decision]] = field(default_factory=dict)
    broadcasts: list[BroadcastMessage] = field(default_factory=list)  # this round's, oldest first
    # Each person's room card, built once per view: a round start renders thousands of them.
    room_cards: dict[str, RoomView | None] = field(default_factory=dict, compare=False, repr=False)
    room_parts: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def round_view(self, now: datetime) -> RoundView | None:
        if self.round is None:
            return None
        return RoundView(
            number=self.round.number,
            status=self.round.status.value,
            starts_at=self.round.starts_at,
            ends_at=self.round.ends_at,
            remaining_s=self.round.remaining_s(now),
        )

    def room_number(self, participant_id: str) -> int | None:
        index = self.room_of.get(participant_id)
        return None if index is None else self.rooms[index].number

    def room_mates(self, participant_id: str) -> list[str]:
        index = self.room_of.get(participant_id)
        if index is None:
            return []
        return [m for m in self.rooms[index].members if m != participant_id]

    def remember(self, message: BroadcastMessage) -> None:
        """Keep a broadcast for the `state` of whoever (re)connects later in this round.

        Broadcasts do not bump the version, so the cached view learns of them here; a view read
        after the commit already has it."""
        if any(b.text == message.text and b.room == message.room for b in self.broadcasts):
            return
        self.broadcasts = [*self.broadcasts, message][-MAX_BROADCASTS:]

    def broadcasts_for(self, participant_id: str) -> list[BroadcastMessage]:
        room = self.room_number(participant_id)
        return [b for b in self.broadcasts if b.room is None or b.room == room]

    def _room_view(self, room: _Room, viewer: str | None) -> RoomView:
        mine = self.cards[viewer].interests if viewer in self.cards else frozenset()
        members = []
        for pid in room.members:
            card = self.cards[pid]
            shared = sorted(mine & card.interests) if viewer is not None and pid != viewer else []
            members.append(
                Member(
                    id=card.id,
                    name=card.name,
                    school=card.school,
                    country=card.country,
                    sector=card.sector,
                    shared_interests=shared,
                )
            )
        return RoomView(number=room.number, name=room.name, link=room.link, members=members)

    def room_for(self, participant_id: str) -> RoomView | None:
        if participant_id in self.room_cards:
            return self.room_cards[participant_id]
        index = self.room_of.get(participant_id)
        card = None if index is None else self._room_view(self.rooms[index], participant_id)
        self.room_cards[participant_id] = card
        return card

    def state_for(
        self,
        participant_id: str | None,
        *,
        connected: set[str] | None = None,
        decisions: list[Decision] | None = None,
    ) -> StateMessage:
        """The participant's snapshot (with `decisions` when read afresh), or the organiser's."""
        now = datetime.now(UTC)
        common = {
            "server_time": now,
            "version": self.version,
            "event_id": self.event_id,
            "event_name": self.event_name,
            "phase": self.phase,
            "current_round": self.current_round,
            "rounds_total": self.rounds_total,
            "round": self.round_view(now),
        }
        if participant_id is not None:
            return StateMessage(
                **common,
                participant_id=participant_id,
                room=self.room_for(participant_id),
                why=self.why.get(participant_id, ""),
                broadcasts=self.broadcasts_for(participant_id),
                decisions=self.decisions.get(participant_id, [])
                if decisions is None
                else decisions,
            )
        online = connected or set()
        return StateMessage(
            **common,
            rooms=[self._room_view(r, None) for r in self.rooms],
            presence=[
                PresenceEntry(
                    participant_id=pid,
                    name=card.name,
                    connected=pid in online,
                    attendance=self.attendance.get(pid, "expected"),
                    room=self.room_number(pid),
                )
                for pid, card in self.cards.items()
            ],
        )

    def assignment_envelope(self, notice: str | None = None) -> AssignmentMessage:
        """This round's assignment without a room: what everyone's has in common."""
        r = self.round
        return AssignmentMessage(
            version=self.version,
            round=self.current_round,
            starts_at=r.starts_at if r else None,
            ends_at=r.ends_at if r else None,
            room=None,
            notice=notice,
        )

    def room_part(self, participant_id: str) -> str:
        """The person's encoded `room` and `why` (see rooms.assignment_encoder)."""
        part = self.room_parts.get(participant_id)
        if part is None:
            part = room_part(self.room_for(participant_id), self.why.get(participant_id, ""))
            self.room_parts[participant_id] = part
        return part


def load_view(session: Session, event_id: str, round_number: int | None = None) -> EventView | None:
    """The event's current view, or None when the event does not exist.

    With `round_number`, the view shows that round as the current one (its rooms and clock):
    how the event will look once it starts (see app.live.prepared).
    """
    event = session.get(Event, event_id)
    if event is None:
        return None
    number = event.current_round if round_number is None else round_number
    rounds = session.exec(select(Round).where(Round.event_id == event_id)).all()
    current = next((r for r in rounds if r.number == number), None)
    view = EventView(
        event_id=event.id,
        event_name=event.name,
        phase=str(event.phase),
        current_round=number,
        rounds_total=len(rounds) or event.rounds,
        version=event.state_version,
        auto_advance=event.auto_advance,
        break_seconds=event.break_seconds,
        round=clock_of(current) if current is not None else None,
    )
    # Column selects, not ORM entities: a view of 5,000 people is read several times faster.
    people = (
        session.connection()
        .execute(
            sa_select(
                col(Participant.id),
                col(Participant.name),
                col(Participant.school),
                col(Participant.country),
                col(Participant.sector),
                col(Participant.interests),
                col(Participant.attendance),
            ).where(col(Participant.event_id) == event_id, col(Participant.deleted).is_(False))
        )
        .all()
    )
    for pid, name, school, country, sector, interests, attendance in people:
        view.cards[pid] = _Card(pid, name, school, country, sector, frozenset(interests))
        view.attendance[pid] = str(attendance)
    if current is not None:
        rooms = session.exec(
            select(Room.id, Room.number, Room.name, Room.link)
            .where(Room.round_id == current.id)
            .order_by(col(Room.number))
        ).all()
        index = {room_id: i for i, (room_id, *_rest) in enumerate(rooms)}
        view.rooms = [
            _Room(number, name, room_link(event, current.number, number, link), [])
            for _id, number, name, link in rooms
        ]
        members = session.exec(
            select(RoomMember.room_id, RoomMember.participant_id, RoomMember.why)
            .join(Room, col(Room.id) == col(RoomMember.room_id))
            .where(Room.round_id == current.id)
            .order_by(col(RoomMember.participant_id))
        ).all()
        for room_id, pid, why in members:
            if pid not in view.cards:
                continue
            i = index[room_id]
            view.rooms[i].members.append(pid)
            view.room_of[pid] = i
            view.why[pid] = why
    view.decisions = decisions_where(
        session.connection(), col(ContactDecision.event_id) == event_id
    )
    view.broadcasts = _broadcasts(session, view, current.starts_at if current else None)
    return view


def _broadcasts(
    session: Session, view: EventView, since: datetime | None
) -> list[BroadcastMessage]:
    """The organiser's messages since the round started (before the first round: all of them).
    The audit log is where they are stored."""
    if since is None and view.current_round > 0:
        return []  # a round that has not started yet (a prepared view): none sent in it
    query = (
        select(AuditLog.created_at, AuditLog.detail)
        .where(AuditLog.event_id == view.event_id, AuditLog.action == "broadcast")
        .order_by(col(AuditLog.id).desc())
        .limit(MAX_BROADCASTS)
    )
    if since is not None:
        query = query.where(col(AuditLog.created_at) >= since)
    rows = session.exec(query).all()
    return [
        BroadcastMessage(
            server_time=aware(sent_at) or datetime.now(UTC),
            version=view.version,
            text=str(detail.get("text", "")),
            room=detail.get("room"),
        )
        for sent_at, detail in reversed(rows)
    ]


def decisions_where(
    connection: Connection, condition: ColumnElement[bool]
) -> dict[str, list[Decision]]:
    """Contact decisions by who made them. Decisions do not bump the state version, so a cached
    view's may be old: a socket's first `state` and a resync read the person's own afresh."""
    rows = connection.execute(
        sa_select(
            col(ContactDecision.from_participant_id),
            col(ContactDecision.to_participant_id),
            col(ContactDecision.share),
            col(ContactDecision.met),
        ).where(condition)
    ).all()
    out: dict[str, list[Decision]] = {}
    for source, target, share, met in rows:
        out.setdefault(source, []).append(Decision(to_participant_id=target, share=share, met=met))
    return out
