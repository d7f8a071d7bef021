"""Everything clients see of one event at one state version, and the messages rendered from it.

One view per event and version; every personalised message (state, assignment) is rendered from
it in memory, so a fan-out to thousands of sockets costs one database read (app.live.snapshot).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property

import matching
from matching.explain import facts
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
    WhyFacts,
    room_part,
)

MAX_BROADCASTS = 5  # a state carries at most this many of the round's messages
# The why of a seat the organiser set (app.live.attendance): no planner facts behind it.
MOVED = "Moved by the organiser."


@dataclass
class Card:
    """A person as their room-mates see them."""

    id: str
    name: str
    school: str
    country: str
    sector: str
    interests: frozenset[str]
    # For the facts behind the why (matching.explain): `requests` as participant ids.
    languages: frozenset[str] = frozenset()
    programmes: frozenset[str] = frozenset()
    requests: frozenset[str] = frozenset()

    @cached_property
    def planner(self) -> matching.Participant:
        """As matching.explain takes a person (built once: a round start asks for each)."""
        return matching.Participant(
            id=self.id,
            name=self.name,
            school=self.school,
            country=self.country,
            sector=matching.Sector(self.sector),
            languages=self.languages,
            interests=self.interests,
            programmes=self.programmes,
            requests=self.requests,
        )


@dataclass
class ViewRoom:
    """A room of the view's round; `members` are participant ids."""

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
    rooms: list[ViewRoom] = field(default_factory=list)
    room_of: dict[str, int] = field(default_factory=dict)  # participant id → index in rooms
    why: dict[str, str] = field(default_factory=dict)
    notices: dict[str, str] = field(default_factory=dict)  # why a room changed this round
    cards: dict[str, Card] = field(default_factory=dict)
    attendance: dict[str, str] = field(default_factory=dict)
    decisions: dict[str, list[Decision]] = field(default_factory=dict)
    broadcasts: list[BroadcastMessage] = field(default_factory=list)  # this round's, oldest first
    # Countries each person met in the rounds before this one, as the planner counts them.
    met_before: dict[str, frozenset[str]] = field(default_factory=dict)
    # Each person's room card, built once per view: a round start renders thousands of them.
    room_cards: dict[str, RoomView | None] = field(default_factory=dict, compare=False, repr=False)
    room_parts: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    told_facts: dict[str, WhyFacts | None] = field(default_factory=dict, compare=False, repr=False)

    def round_view(self, now: datetime) -> RoundView | None:
        if self.round is None:
            return None
        return RoundView(
            number=self.round.number,
            status=self.round.status.value,
            starts_at=self.round.starts_at,
            ends_at=self.round.ends_at,
            remaining_s=self.round.remaining_s(now),
            held_break_s=self.round.paused_remaining_s if self.round.break_held else None,
            break_held_s=self.round.break_held_s,
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
        after the commit already has it, with the same time. The same text sent again later is
        another message: the latest one must stay last."""
        key = (message.server_time, message.text, message.room)
        if any((b.server_time, b.text, b.room) == key for b in self.broadcasts):
            return
        self.broadcasts = [*self.broadcasts, message][-MAX_BROADCASTS:]

    def broadcasts_for(self, participant_id: str) -> list[BroadcastMessage]:
        room = self.room_number(participant_id)
        return [b for b in self.broadcasts if b.room is None or b.room == room]

    def _room_view(self, room: ViewRoom, viewer: str | None) -> RoomView:
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

    def why_facts(self, participant_id: str) -> WhyFacts | None:
        """The facts the person's why tells (matching.explain.facts), worked out once per view;
        None without a room, or for a seat the organiser set."""
        if participant_id in self.told_facts:
            return self.told_facts[participant_id]
        index = self.room_of.get(participant_id)
        told = None
        if index is not None and self.why.get(participant_id, "") not in ("", MOVED):
            try:
                me = self.cards[participant_id].planner
                mates = [self.cards[m].planner for m in self.room_mates(participant_id)]
                found = facts(me, mates, self.met_before.get(participant_id, ()))
            except ValueError:  # a kind of school the planner does not know: said in English
                found = None
            if found is not None:
                # Built, not validated: the planner's facts are well formed, and a round start
                # builds one per person.
                told = WhyFacts.model_construct(
                    sector=found.sector,
                    same_sector=found.same_sector,
                    mates=found.mates,
                    interests=list(found.interests),
                    programmes=list(found.programmes),
                    asked=list(found.asked),
                    asked_by=list(found.asked_by),
                    new_countries=list(found.new_countries),
                    common_languages=list(found.common_languages),
                )
        self.told_facts[participant_id] = told
        return told

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
                why_facts=self.why_facts(participant_id),
                notice=self.notices.get(participant_id),
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
        """The person's encoded `room`, `why` and its facts (see rooms.assignment_encoder)."""
        part = self.room_parts.get(participant_id)
        if part is None:
            part = room_part(
                self.room_for(participant_id),
                self.why.get(participant_id, ""),
                self.why_facts(participant_id),
            )
            self.room_parts[participant_id] = part
        return part
