"""Seats the organiser set by hand (app.schedule.edit) that a re-plan after a removal should keep.

They are marked on the stored seats (`RoomMember.hand_set`, `Round.hand_set_out`): each swap or
move marks the seats it set, and each re-plan after a removal marks the hand-set seats it kept,
with whom (`RoomMember.kept_with`: not the room-mates the planner added). A new "generate"
starts from a clean plan, so edits before it no longer count. The audit log records the same
(who did what) but is not read: a purge or an erasure must not change which seats are kept.
"""

from dataclasses import dataclass, replace

from sqlmodel import Session, col, select

import matching
from app.models import Room, RoomMember, Round
from app.schedule.store import HandSet

# (round, participant id) of a seat the organiser set by hand
Seat = tuple[int, str]
# who that seat shares its room with; None: sits the round out
Target = frozenset[str] | None


@dataclass(frozen=True)
class Keep:
    wanted: dict[Seat, Target]  # what each hand-set seat keeps
    pins: list[matching.Pin]  # round pins asking the planner to keep them
    broken: set[Seat]  # in a room that breaks a rule (kept with `force`): no re-plan keeps those


def stored(session: Session, *, event_id: str, number: int | None = None) -> HandSet:
    """The seats marked as set by hand, of round `number` or of every round."""
    rounds = select(Round).where(Round.event_id == event_id)
    members = (
        select(Round.number, RoomMember.participant_id, RoomMember.kept_with)
        .join(Room, col(Room.id) == col(RoomMember.room_id))
        .join(Round, col(Round.id) == col(Room.round_id))
        .where(Round.event_id == event_id, col(RoomMember.hand_set).is_(True))
    )
    if number is not None:
        rounds = rounds.where(Round.number == number)
        members = members.where(Round.number == number)
    marks: HandSet = {
        (r.number, pid): None
        for r in session.exec(rounds)
        for pid in r.hand_set_out
        if pid in r.sitting_out
    }
    for round_number, pid, kept_with in session.exec(members):
        marks[(round_number, pid)] = None if kept_with is None else [str(m) for m in kept_with]
    return marks


def hand_set_seats(session: Session, *, event_id: str, plan: matching.Plan) -> dict[Seat, Target]:
    """The hand-set seats in force, with who each one shares its room with in the stored `plan`."""
    now = _seats(plan)
    seats: dict[Seat, Target] = {}
    recorded: dict[Seat, Target] = {}
    for seat, kept_with in stored(session, event_id=event_id).items():
        if kept_with is not None:
            recorded[seat] = frozenset(kept_with)
        elif seat in now:
            seats[seat] = now[seat]
    # A kept seat that a later edit changed around (a room-mate moved away) is no longer wanted.
    seats |= {
        seat: target
        for seat, target in recorded.items()
        if seat not in seats and kept(plan, seat, target)
    }
    return seats


def edited(marks: HandSet, *, number: int, seats: set[str]) -> HandSet:
    """`marks` (of round `number`) once an edit set `seats` of that round by hand."""
    return {
        **{seat: to for seat, to in marks.items() if seat[1] not in seats},
        **{(number, pid): None for pid in seats},
    }


def kept_marks(keep: Keep, lost: list[Seat]) -> HandSet:
    """The marks a re-plan stores for the hand-set seats it kept (`audit_detail`'s edits_kept)."""
    return {
        seat: None if target is None else sorted(target)
        for seat, target in keep.wanted.items()
        if seat not in lost
    }


def to_keep(
    plan: matching.Plan,
    *,
    seats: dict[Seat, Target],
    removed: str,
    people: set[str],
    never: set[frozenset[str]],
    rule_breaks: list[str],
) -> Keep:
    """What a re-plan of `plan` without `removed` should keep of `seats`.

    Args:
        people: who is still planned; a seat keeps only room-mates among them.
        never: the organiser's never-meet pins, which a hand-set room cannot overrule.
        rule_breaks: `matching.validate_plan` of `plan`, to find the rooms kept with `force`.
    """
    wanted: dict[Seat, Target] = {}
    pairs: set[tuple[int, str, str]] = set()
    broken: set[Seat] = set()
    rounds = {r.number: r for r in plan.rounds}
    for (number, pid), target in sorted(seats.items(), key=lambda item: item[0]):
        if pid not in people:
            continue
        if target is None:
            wanted[(number, pid)] = None  # no pin says "sits out": only checked afterwards
            continue
        mates = (target & people) - {removed}
        if not mates:
            continue  # nothing left to keep once the removed person is gone
        wanted[(number, pid)] = mates
        room = next(r for r in rounds[number].rooms if pid in r.participants)
        where = f"round {number}, room {room.number}:"  # validate_plan's prefix for a room
        if any(text.startswith(where) for text in rule_breaks):
            broken.add((number, pid))
            continue
        pairs |= {
            (number, min(pid, m), max(pid, m)) for m in mates if frozenset((pid, m)) not in never
        }
    pins = [matching.Pin(a=a, b=b, together=True, round=n) for n, a, b in sorted(pairs)]
    return Keep(wanted=wanted, pins=pins, broken=broken)


def kept(plan: matching.Plan, seat: Seat, target: Target) -> bool:
    """Whether `plan` still seats `seat` with `target` (or still has them sit out)."""
    number, pid = seat
    for round_plan in plan.rounds:
        if round_plan.number != number:
            continue
        if target is None:
            return pid in round_plan.sitting_out
        return any(
            pid in r.participants and target <= set(r.participants) for r in round_plan.rooms
        )
    return False


def without_pin_notes(
    plan: matching.Plan,
    people: list[matching.Participant],
    settings: matching.EventSettings,
    pins: list[matching.Pin],
) -> matching.Plan:
    """Drops the planner's "not kept: pin ..." notes on the round pins added for hand-set seats:
    those are not the organiser's `pins`, and `lost_note` says it in their words."""
    own = {f"not kept: {v}" for v in matching.validate_plan(people, settings, plan, pins=pins)}
    notes = [w for w in plan.warnings if not w.startswith("not kept: ") or w in own]
    return replace(plan, warnings=tuple(notes))


def lost_note(seat: Seat, *, name: str, removed: str, broke_rule: bool) -> str:
    """The plan's warning for a hand-set seat the re-plan without `removed` did not keep."""
    why = "it broke a rule, which a re-plan never keeps" if broke_rule else "no plan kept it"
    return (
        f"change not kept: round {seat[0]}, {name}'s seat set by hand ({why}; "
        f"re-planned without {removed})"
    )


def audit_detail(keep: Keep, lost: list[Seat]) -> dict[str, list[list[object]]]:
    """What the re-plan's audit entry records: the hand-set seats it kept and lost."""
    return {
        # [round, participant, room-mates or None]
        "edits_kept": [
            [*seat, None if target is None else sorted(target)]
            for seat, target in sorted(keep.wanted.items(), key=lambda item: item[0])
            if seat not in lost
        ],
        "edits_lost": [list(seat) for seat in lost],
    }


def _seats(plan: matching.Plan) -> dict[Seat, Target]:
    seats: dict[Seat, Target] = {
        (r.number, pid): None for r in plan.rounds for pid in r.sitting_out
    }
    for r in plan.rounds:
        for room in r.rooms:
            for pid in room.participants:
                seats[(r.number, pid)] = frozenset(room.participants) - {pid}
    return seats
