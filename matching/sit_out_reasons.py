"""Why someone sits out a round of a plan when no feasibility finding says so.

Feasibility findings (matching.findings) cover some sit-outs: those who cannot be placed, those
who can sit in only some rounds, and the number rooms or the country rule leave out of every
round. For each other sit-out, the plan's rooms of that round are checked: could the person have
joined one without breaking a rule (country, school, language, avoid or a never pin, or meeting
someone they meet in another round), and would the room sizes have let them (a room of
room_size grows to room_size + 1 only while the round has fewer than room_size - 1 such rooms)?
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from matching.findings import EVERY_ROUND_KINDS, SOME_ROUNDS_KINDS, Finding
from matching.policy import country_cap, pair_conflict
from matching.types import EventSettings, Participant, Pin, RoundPlan


class SitOutReason(StrEnum):
    """What the round's rooms say about one sit-out."""

    NO_ROOM = "no_room"  # every room has someone or something they break a rule with
    ROOMS_FULL = "rooms_full"  # rooms would take them by the rules, but have no seat left
    ROOM_FREE = "room_free"  # a room would take them and has a seat


@dataclass(frozen=True)
class SitOut:
    """`person` sits out `round`; `rooms`: the rooms that would take them by the rules
    (rooms_full: all full; room_free: those with a seat)."""

    person: str
    round: int
    reason: SitOutReason
    rooms: tuple[int, ...] = ()


def uncovered(rounds: Sequence[RoundPlan], findings: Sequence[Finding]) -> list[tuple[int, str]]:
    """The (round, person) sit-outs no finding covers, by round. A finding covers all of a
    person's sit-outs when it says they cannot be placed, or that they sit out at least as many
    rounds as they do; a round's other sit-outs are covered when they are no more than the
    findings say must sit out every round."""
    always = {f.person for f in findings if f.unplaceable}
    least = {f.person: f.least_sit_outs for f in findings if f.kind in SOME_ROUNDS_KINDS}
    every_round = sum(f.count for f in findings if f.kind in EVERY_ROUND_KINDS)
    times = Counter(pid for rnd in rounds for pid in rnd.sitting_out)
    found: list[tuple[int, str]] = []
    for rnd in sorted(rounds, key=lambda r: r.number):
        left = [
            pid for pid in rnd.sitting_out if pid not in always and times[pid] > least.get(pid, 0)
        ]
        if len(left) > every_round:
            found += [(rnd.number, pid) for pid in left]
    return found


def sit_out_reasons(
    participants: Sequence[Participant],
    settings: EventSettings,
    rounds: Sequence[RoundPlan],
    findings: Sequence[Finding],
    pins: Sequence[Pin] = (),
) -> list[SitOut]:
    """One SitOut for each sit-out in `rounds` that `findings` do not cover, in round order."""
    by_id = {p.id: p for p in participants}
    never = {frozenset((p.a, p.b)) for p in pins if not p.together}
    met: dict[str, set[str]] = {}
    for rnd in rounds:
        for room in rnd.rooms:
            for pid in room.participants:
                met.setdefault(pid, set()).update(q for q in room.participants if q != pid)
    by_round = {rnd.number: rnd for rnd in rounds}
    out: list[SitOut] = []
    for number, pid in uncovered(rounds, findings):
        person = by_id.get(pid)
        if person is None:  # no longer a participant: nothing to check them against
            continue
        rnd = by_round[number]
        fitting = [
            room
            for room in rnd.rooms
            if _may_join(person, [by_id[q] for q in room.participants if q in by_id], settings)
            and not met.get(pid, set()).intersection(room.participants)
            and not any(frozenset((pid, q)) in never for q in room.participants)
        ]
        k = settings.room_size
        big = sum(len(room.participants) == k + 1 for room in rnd.rooms)
        free = [
            room.number
            for room in fitting
            if len(room.participants) < k or (len(room.participants) == k and big < k - 1)
        ]
        if free:
            out.append(SitOut(pid, number, SitOutReason.ROOM_FREE, tuple(free)))
        elif fitting:
            rooms = tuple(room.number for room in fitting)
            out.append(SitOut(pid, number, SitOutReason.ROOMS_FULL, rooms))
        else:
            out.append(SitOut(pid, number, SitOutReason.NO_ROOM))
    return out


def _may_join(p: Participant, members: Sequence[Participant], settings: EventSettings) -> bool:
    """Whether p may share a room with all of `members` under H1-H3 and H5 (H4, meeting twice,
    is the caller's: it needs the whole plan)."""
    cap = country_cap(settings)
    if cap is not None and sum(m.country == p.country for m in members) + 1 > cap:
        return False
    return not any(pair_conflict(p, m, settings) for m in members)
