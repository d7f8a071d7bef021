"""A finished plan's breaks of H1-H5, the room-size rules and pins, one structured `Violation`
each, so that callers decide by kind and round and word them in their own language. Each break's
English `text` is the wording stored in plan warnings and sent by the API: it must not change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import partial

from matching.policy import country_cap, pair_conflict
from matching.types import EventSettings, Participant, Pin, RoundPlan


class ViolationKind(StrEnum):
    """What a break breaks."""

    SAME_SCHOOL = "same_school"  # H1
    COUNTRY_CAP = "country_cap"  # H2: more people from one country in a room than allowed
    NO_SHARED_LANGUAGE = "no_shared_language"  # H3
    AVOID = "avoid"  # H5: one of the pair asked not to meet the other
    MET_BEFORE = "met_before"  # H4: a pair meets a second time
    ROOM_SIZE = "room_size"  # a room holds neither k nor k + 1
    BIG_ROOMS = "big_rooms"  # a round's rooms of k + 1 do not match how many are seated
    SEATED_TWICE = "seated_twice"
    SEATED_AND_OUT = "seated_and_out"
    UNKNOWN_PARTICIPANT = "unknown_participant"
    PIN_NEVER = "pin_never"  # a pair pinned never to meet meets
    PIN_MUST = "pin_must"  # a pair pinned to meet never does
    PIN_ROUND = "pin_round"  # a pair pinned to meet in a given round meets in another
    ROUND_COUNT = "round_count"  # the plan has another number of rounds than the event


# A pair that may never share a room, by matching.policy.pair_conflict's reason.
PAIR_KINDS: dict[str, ViolationKind] = {
    "same school": ViolationKind.SAME_SCHOOL,
    "no shared language": ViolationKind.NO_SHARED_LANGUAGE,
    "asked not to meet": ViolationKind.AVOID,
}
_PAIR_REASONS = {kind: reason for reason, kind in PAIR_KINDS.items()}


@dataclass(frozen=True)
class Violation:
    """One break. `round` and `room` say where it is (None: not tied to one, as a pin or the
    round count); `people` are the ids its text names, in that order. The numbers by kind:
    `count` is the people in the room (room_size), from `country` (country_cap), the rooms of
    `limit` + 1 (big_rooms) or the plan's rounds (round_count); `limit` is the room size
    (room_size, big_rooms), the country cap or the event's rounds; `seated` is how many a round
    seats (big_rooms); `other_round` is the round a pair met first (met_before), the round a pair
    pinned never to meet met (pin_never) or the round a pin asks for (pin_round)."""

    kind: ViolationKind
    round: int | None = None
    room: int | None = None
    people: tuple[str, ...] = ()
    count: int = 0
    limit: int = 0
    seated: int = 0
    country: str = ""
    other_round: int = 0

    @property
    def needed(self) -> int:
        """big_rooms: how many rooms of `limit` + 1 the round's seated people need."""
        return self.seated % self.limit if self.limit else 0

    @property
    def text(self) -> str:
        """The English wording (validate_plan's), kept as it was when breaks were strings."""
        return f"{self._where()}{self._what()}"

    def _where(self) -> str:
        if self.kind in (ViolationKind.PIN_NEVER, ViolationKind.PIN_MUST, ViolationKind.PIN_ROUND):
            return "pin: "
        if self.round is None:
            return ""
        if self.room is None:
            return f"round {self.round}: "
        return f"round {self.round}, room {self.room}: "

    def _what(self) -> str:
        pair = " and ".join(self.people)
        one = self.people[0] if self.people else ""
        match self.kind:
            case ViolationKind.SAME_SCHOOL | ViolationKind.NO_SHARED_LANGUAGE | ViolationKind.AVOID:
                return f"{pair}: {_PAIR_REASONS[self.kind]}"
            case ViolationKind.COUNTRY_CAP:
                return f"{self.count} people from {self.country}, at most {self.limit} allowed"
            case ViolationKind.MET_BEFORE:
                return f"{pair} already met in round {self.other_round}"
            case ViolationKind.ROOM_SIZE:
                n, k = self.count, self.limit
                return f"{n} {'person' if n == 1 else 'people'}, rooms hold {k} or {k + 1}"
            case ViolationKind.BIG_ROOMS:
                rooms = "room" if self.count == 1 else "rooms"
                return (
                    f"{self.count} {rooms} of {self.limit + 1}, but {self.seated} seated needs "
                    f"exactly {self.needed}"
                )
            case ViolationKind.SEATED_TWICE:
                return f"{one} is seated twice in round {self.round}"
            case ViolationKind.SEATED_AND_OUT:
                return f"{one} is both seated and sitting out"
            case ViolationKind.UNKNOWN_PARTICIPANT:
                return f"unknown participant {one!r}"
            case ViolationKind.PIN_NEVER:
                return f"{pair} must never meet (round {self.other_round})"
            case ViolationKind.PIN_MUST:
                return f"{pair} must meet"
            case ViolationKind.PIN_ROUND:
                return f"{pair} must meet in round {self.other_round}"
            case ViolationKind.ROUND_COUNT:
                return f"the plan has {self.count} rounds, the event {self.limit}"


def round_violations(
    participants: Sequence[Participant],
    settings: EventSettings,
    rounds: Sequence[RoundPlan],
    pins: Sequence[Pin] = (),
) -> list[Violation]:
    """The breaks in `rounds` (no check of the round count), in validate_plan's order."""
    by_id = {p.id: p for p in participants}
    k = settings.room_size
    cap = country_cap(settings)
    found: list[Violation] = []
    met: dict[frozenset[str], int] = {}
    together_round: dict[frozenset[str], int] = {}
    for rnd in sorted(rounds, key=lambda r: r.number):
        seen: set[str] = set()
        for room in rnd.rooms:
            here = partial(Violation, round=rnd.number, room=room.number)
            for pid in room.participants:
                if pid not in by_id:
                    found.append(here(ViolationKind.UNKNOWN_PARTICIPANT, people=(pid,)))
                elif pid in seen:
                    found.append(here(ViolationKind.SEATED_TWICE, people=(pid,)))
                seen.add(pid)
            members = [by_id[i] for i in room.participants if i in by_id]
            if len(room.participants) not in (k, k + 1):
                n = len(room.participants)
                found.append(here(ViolationKind.ROOM_SIZE, count=n, limit=k))
            if cap is not None:
                for c in {m.country for m in members}:
                    count = sum(m.country == c for m in members)
                    if count > cap:
                        found.append(
                            here(ViolationKind.COUNTRY_CAP, count=count, limit=cap, country=c)
                        )
            for x, a in enumerate(members):
                for b in members[x + 1 :]:
                    key = frozenset((a.id, b.id))
                    why = pair_conflict(a, b, settings)
                    if why and why != "same country":  # the country rule is checked per room
                        found.append(here(PAIR_KINDS[why], people=(a.id, b.id)))
                    if key in met:
                        found.append(
                            here(
                                ViolationKind.MET_BEFORE, people=(a.id, b.id), other_round=met[key]
                            )
                        )
                    met.setdefault(key, rnd.number)
                    together_round.setdefault(key, rnd.number)
        for pid in rnd.sitting_out:
            if pid in seen:
                found.append(
                    Violation(ViolationKind.SEATED_AND_OUT, round=rnd.number, people=(pid,))
                )
        seated = len([i for room in rnd.rooms for i in room.participants])
        big = sum(len(room.participants) == k + 1 for room in rnd.rooms)
        if rnd.rooms and big != seated % k:
            found.append(
                Violation(
                    ViolationKind.BIG_ROOMS, round=rnd.number, count=big, limit=k, seated=seated
                )
            )
    for pin in pins:
        key = frozenset((pin.a, pin.b))
        pair = (pin.a, pin.b)
        if not pin.together and key in met:
            found.append(Violation(ViolationKind.PIN_NEVER, people=pair, other_round=met[key]))
        elif pin.together and key not in met:
            found.append(Violation(ViolationKind.PIN_MUST, people=pair))
        elif pin.together and pin.round is not None and together_round[key] != pin.round:
            found.append(Violation(ViolationKind.PIN_ROUND, people=pair, other_round=pin.round))
    return found


def plan_violations(
    participants: Sequence[Participant],
    settings: EventSettings,
    rounds: Sequence[RoundPlan],
    pins: Sequence[Pin] = (),
) -> list[Violation]:
    """round_violations, and a plan with another number of rounds than the event."""
    found = round_violations(participants, settings, rounds, pins)
    if len(rounds) != settings.rounds:
        found.append(Violation(ViolationKind.ROUND_COUNT, count=len(rounds), limit=settings.rounds))
    return found
