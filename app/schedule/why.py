"""The "why" of a room after a hand edit: written for the people in it now, as the planner does."""

from dataclasses import replace

import matching


def explained(
    new_round: matching.RoundPlan,
    *,
    before: matching.RoundPlan,
    plan: matching.Plan,
    people: list[matching.Participant],
) -> matching.RoundPlan:
    """`new_round` with a fresh explanation in each room whose people changed since `before`.

    The stored one was written for the previous room-mates ("you asked to meet Ana" after Ana
    moved away), and someone moved in had none. Rooms not changed keep the planner's words.
    """
    by_id = {p.id: p for p in people}
    met: dict[str, set[str]] = {}  # countries each person met in earlier rounds
    for earlier in plan.rounds:
        for room in earlier.rooms if earlier.number < new_round.number else ():
            for pid in room.participants:
                met.setdefault(pid, set()).update(
                    by_id[m].country for m in room.participants if m != pid and m in by_id
                )
    unchanged = {room.participants for room in before.rooms}
    rooms = tuple(
        room
        if room.participants in unchanged
        else replace(room, explanations=_room_notes(room, by_id, met))
        for room in new_round.rooms
    )
    return replace(new_round, rooms=rooms)


def _room_notes(
    room: matching.Room, by_id: dict[str, matching.Participant], met: dict[str, set[str]]
) -> dict[str, str]:
    notes: dict[str, str] = {}
    for pid in room.participants:
        mates = [by_id[m] for m in room.participants if m != pid and m in by_id]
        if pid in by_id and mates:  # alone (a forced move) or erased: nothing to explain
            notes[pid] = matching.explain(by_id[pid], mates, met.get(pid, set()))
    return notes
