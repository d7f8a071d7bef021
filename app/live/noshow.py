"""No-shows and late arrivals at a round start: who is out, who is in, and the re-planned rounds.

`compute_replan` only reads and solves (seconds of CPU, run it in a worker thread, never on the
event loop); `apply_replan` writes the result inside the round-start transaction.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import update
from sqlmodel import Session, col, delete, select

import matching
from app.errors import Conflict, for_organisers
from app.live import statements
from app.live.replan_fallback import patched_plan
from app.live.snapshot import NOTICE_JOINED, NOTICE_ROOM_CHANGED
from app.live.statements import HERE
from app.models import (
    AttendanceStatus,
    Event,
    Participant,
    Room,
    RoomMember,
    Round,
)
from app.schedule import convert, store
from app.schedule.convert import settings_for, to_people

log = logging.getLogger("speedmatch.live")
# The round start's words for a lost race (app.live.service): pressing Start again re-plans.
CHANGED_MEANWHILE = for_organisers("Round %(n)s was changed by someone else just now; try again.")


@dataclass
class Replan:
    first_round: int  # the round about to start; earlier rounds are untouched
    absent: frozenset[str]
    late: frozenset[str]
    rounds: list[matching.RoundPlan]
    # The whole re-planned event (played rounds included), stored as the new plan version with
    # its score, bound and sit-outs, as a generated plan is (app.schedule.store.plan_row).
    plan: matching.Plan
    warnings: list[str] = field(default_factory=list)
    # Why the rounds were re-planned besides attendance: rules an edit of someone's details
    # made the stored rounds break (app.live.rule_fit).
    rule_breaks: list[str] = field(default_factory=list)
    # The plan version it re-planned (None: none stored): a start stores it only over that one.
    based_on: int | None = None

    def notice(self) -> str:
        """Why those whose room it changed are told so: "someone joined" when it re-planned only
        for newcomers (walk-ins, late arrivals); "someone could not come" when anyone is missing,
        newcomers or not (and, as before, for a re-plan for rule breaks alone)."""
        return NOTICE_JOINED if self.late and not self.absent else NOTICE_ROOM_CHANGED


def stored_rounds(session: Session, event_id: str, from_round: int = 1) -> list[matching.RoundPlan]:
    """The stored schedule as the planner's types (rooms and sit-outs per round), in 2 queries."""
    rounds = session.exec(
        select(Round)
        .where(Round.event_id == event_id, col(Round.number) >= from_round)
        .order_by(col(Round.number))
    ).all()
    seats = session.exec(
        select(Round.number, Room.number, RoomMember.participant_id)
        .join(Room, col(Room.round_id) == col(Round.id))
        .join(RoomMember, col(RoomMember.room_id) == col(Room.id), isouter=True)
        .where(Round.event_id == event_id, col(Round.number) >= from_round)
    ).all()
    rooms: dict[int, dict[int, list[str]]] = {}
    for round_no, room_no, pid in seats:
        members = rooms.setdefault(round_no, {}).setdefault(room_no, [])
        if pid is not None:
            members.append(pid)
    return [
        matching.RoundPlan(
            r.number,
            tuple(
                matching.Room(k, tuple(sorted(m)))
                for k, m in sorted(rooms.get(r.number, {}).items())
            ),
            tuple(r.sitting_out),
        )
        for r in rounds
    ]


def _previous(rounds: list[matching.RoundPlan]) -> matching.Plan:
    return matching.Plan(
        rounds=tuple(rounds),
        score=matching.Score(0, 0, 0, 0, 0, 0),
        upper_bound=0,
        elapsed_s=0.0,
    )


def round_warnings(session: Session, event: Event, number: int) -> list[str]:
    """Hard-rule violations (matching.validate_plan's texts) in round `number` as stored now."""
    return [v.text for v in round_breaks(session, event, number)]


def round_breaks(session: Session, event: Event, number: int) -> list[matching.Violation]:
    """round_warnings, structured (pages word them in their language)."""
    people = session.exec(
        select(Participant).where(
            col(Participant.event_id) == event.id, col(Participant.deleted).is_(False)
        )
    ).all()
    rounds = stored_rounds(session, event.id)
    found = matching.round_violations(to_people(list(people)), settings_for(event), rounds)
    return [v for v in found if v.round == number]


def seated(rounds: list[matching.RoundPlan], first: int) -> set[str]:
    return {
        pid for r in rounds if r.number >= first for room in r.rooms for pid in room.participants
    }


def compute_replan(
    session: Session,
    event_id: str,
    first_round: int,
    connected: Callable[[], set[str]],
    time_limit_s: float,
    rule_breaks: Sequence[str] = (),
) -> Replan | None:
    """None when everyone planned from `first_round` on is here, nobody new arrived and the
    rounds from it on break no rule (`rule_breaks`: app.live.rule_fit, read by the caller).

    `connected` reads who is connected now; it is called only if someone's attendance leaves
    it open (still `expected`), because across processes it is a broker round trip.
    """
    online = functools.cache(connected)

    def is_here(pid: str, status: str) -> bool:
        return status in HERE or (status == AttendanceStatus.EXPECTED and pid in online())

    # One round trip for only the few people in doubt, not the whole event.
    in_doubt = statements.in_doubt(session.connection(), event_id, first_round)
    absent = frozenset(
        pid
        for pid, status, gone, is_seated in in_doubt
        if is_seated and (gone or not is_here(pid, status))
    )
    arrived = {
        pid for pid, status, _, is_seated in in_doubt if not is_seated and is_here(pid, status)
    }
    # Who sits out on purpose is read only when someone here has no seat: rarely at a start.
    sitting_out = (
        {
            pid
            for row in session.exec(
                select(Round.sitting_out).where(
                    Round.event_id == event_id, col(Round.number) >= first_round
                )
            ).all()
            for pid in row
        }
        if arrived
        else set()
    )
    late = frozenset(arrived - sitting_out)
    if not absent and not late and not rule_breaks:
        return None
    event = session.get(Event, event_id)
    if event is None:
        return None
    not_deleted = (
        col(Participant.event_id) == event_id,
        col(Participant.deleted).is_(False),
    )
    attendance = session.exec(
        select(Participant.id, Participant.attendance).where(*not_deleted)
    ).all()
    here = {pid for pid, status in attendance if is_here(pid, status)}
    # Read before the rounds: a change stored after this read is caught when the start stores.
    in_force = store.latest_plan(session, event_id=event_id)
    based_on = in_force.version if in_force else None
    # Only now the played rounds and the full rows: most round starts have nothing to re-plan.
    rounds = stored_rounds(session, event_id)
    people = session.exec(select(Participant).where(*not_deleted)).all()
    everyone = {p.id: p for p in people}
    pool_ids = (seated(rounds, 1) | here) & set(everyone)
    # Converted together so requests/avoid (CSV ids) resolve to database ids.
    pool = [p for p in to_people(list(people)) if p.id in pool_ids]
    settings = settings_for(event)
    all_absent = frozenset(p.id for p in pool if p.id not in here)
    previous = _previous(rounds)
    # The organiser's pins hold in the re-plan too ("never together" above all), as in a
    # drop-out's (app.schedule.dropout); those naming someone erased since are said dropped.
    pins, dropped = convert.kept_pins(
        convert.pins_from(in_force.pins) if in_force else [],
        [p for p in people if p.id in pool_ids],
        list(people),
    )
    # A pin to meet that an edit while live made impossible (a country corrected) is dropped,
    # named; every other pin still holds (one the planner cannot keep, it reports "not kept").
    refused = [
        (pin, why) for pin, why in matching.impossible_pins(pool, settings, pins) if pin.together
    ]
    if refused:
        whys = "; ".join(why for _, why in refused)
        log.warning("pins to meet not kept for event %s: %s", event_id, whys)
        pins = [p for p in pins if p not in {pin for pin, _ in refused}]
        dropped.append(f"pins to meet not kept ({whys})")

    try:
        plan = matching.replan(
            pool,
            settings,
            previous,
            played_rounds=first_round - 1,
            absent=all_absent,
            pins=pins,
            time_limit_s=time_limit_s,
            steady=True,  # the round starting keeps its rooms where it can: few are told
        )
    except (matching.InfeasibleError, ValueError) as exc:
        # The round must still start: fall back to closing the gaps by hand, and say so.
        log.warning("re-plan failed for event %s: %s", event_id, exc)
        patched = patched_plan(
            pool,
            settings,
            rounds,
            first_round=first_round,
            absent=all_absent,
            late=late,
            bound=in_force.upper_bound if in_force else 0,
        )
        return Replan(
            first_round=first_round,
            absent=absent,
            late=late,
            rounds=[r for r in patched.rounds if r.number >= first_round],
            plan=patched,
            warnings=[
                f"re-plan failed ({exc}); absent people were taken out of their rooms",
                *dropped,
            ],
            rule_breaks=list(rule_breaks),
            based_on=based_on,
        )
    # Hard rules over the whole event (played rounds included); absent people may be unseated.
    # A played round's breach and a pin the planner could not keep are already among the plan's
    # own warnings ("played round kept as it was: ...", "not kept: ..."), so each is said once.
    own = set(plan.warnings)
    warnings = [
        w
        for w in matching.validate_plan(pool, settings, plan, pins=pins)
        if f"played round kept as it was: {w}" not in own and f"not kept: {w}" not in own
    ]
    new_rounds = [r for r in plan.rounds if r.number >= first_round]
    return Replan(
        first_round=first_round,
        absent=absent,
        late=late,
        rounds=new_rounds,
        plan=plan,
        warnings=[*warnings, *plan.warnings, *dropped],
        rule_breaks=list(rule_breaks),
        based_on=based_on,
    )


def apply_replan(session: Session, event: Event, replan: Replan) -> set[str]:
    """Store the re-planned rounds; returns everyone whose planned room in the next round changed.

    They are told so (app.live.snapshot) on their seats of that round, written here anyway.
    Conflict, with the session rolled back, when another change stored a plan since the
    re-plan read it: the organiser starts again, and the re-plan starts from that plan.
    """
    # The event row first, as every schedule change takes it (app.schedule.claim): a change
    # storing a plan now has committed or waits for this start, so the version read is the
    # newest (read before it, two plans got one version: a 500 on PostgreSQL).
    session.connection().execute(
        update(Event)
        .where(col(Event.id) == event.id)
        .values(state_version=col(Event.state_version))  # no bump: the start's claim bumps it
    )
    latest = store.latest_plan(session, event_id=event.id)
    if (latest.version if latest else None) != replan.based_on:
        session.rollback()
        raise Conflict(CHANGED_MEANWHILE, n=replan.first_round)
    before = {r.number: r for r in stored_rounds(session, event.id, replan.first_round)}
    told = _changed(before.get(replan.first_round), replan.rounds, replan.first_round)
    rows = {
        r.number: r
        for r in session.exec(
            select(Round).where(Round.event_id == event.id, Round.number >= replan.first_round)
        ).all()
    }
    for new in replan.rounds:
        row = rows.get(new.number)
        if row is None:
            continue
        first = new.number == replan.first_round
        existing = {
            room.number: room for room in session.exec(select(Room).where(Room.round_id == row.id))
        }
        session.exec(
            delete(RoomMember).where(col(RoomMember.room_id).in_([r.id for r in existing.values()]))
        )
        for room_plan in new.rooms:
            room = existing.pop(room_plan.number, None)
            if room is None:
                room = Room(round_id=row.id, number=room_plan.number)
                session.add(room)
                session.flush()
            for pid in room_plan.participants:
                why = room_plan.explanations.get(pid, "")[:500]
                notice = replan.notice() if first and pid in told else None
                session.add(RoomMember(room_id=room.id, participant_id=pid, why=why, notice=notice))
        for leftover in existing.values():
            session.delete(leftover)
        row.sitting_out = list(new.sitting_out)
        if first:
            seated = {pid for room_plan in new.rooms for pid in room_plan.participants}
            row.notices_unseated = dict.fromkeys(sorted(told - seated), replan.notice())
        session.add(row)
    for pid in replan.absent:
        person = session.get(Participant, pid)
        if person is not None and person.attendance == AttendanceStatus.EXPECTED:
            person.attendance = AttendanceStatus.ABSENT
            session.add(person)
    for pid in replan.late:
        person = session.get(Participant, pid)
        if person is not None:
            person.joined_round = replan.first_round
            session.add(person)
    # Now, not at the start's commit: a plan stored meanwhile by a change that did not take the
    # event row is answered here.
    with store.answer_races(
        session,
        seated=store.seated_ids(replan.rounds),
        stored_first=Conflict(CHANGED_MEANWHILE, n=replan.first_round),
    ):
        session.add(
            store.plan_row(
                event_id=event.id,
                version=latest.version + 1 if latest else 1,
                plan=replan.plan,
                # The pins and weights of the plan it re-plans. The organiser's pins as set,
                # those it dropped too (named in its warnings): the schedule page lists them
                # to remove, and "generate" refuses one still impossible, by name.
                pins=convert.pins_from(latest.pins) if latest else [],
                weights=None if latest is None or latest.weights is None else dict(latest.weights),
                warnings=replan.warnings,
            )
        )
        session.flush()
    return told


def _changed(
    before: matching.RoundPlan | None, after: list[matching.RoundPlan], number: int
) -> set[str]:
    def mates(plan: matching.RoundPlan | None) -> dict[str, frozenset[str]]:
        if plan is None:
            return {}
        return {
            pid: frozenset(room.participants) for room in plan.rooms for pid in room.participants
        }

    new = next((r for r in after if r.number == number), None)
    old_m, new_m = mates(before), mates(new)
    # Only a room (or sit-out) someone was planned for can change: a walk-in or late arrival's
    # first room is not news of a re-plan.
    planned = set(old_m) | set(before.sitting_out if before else ())
    return {pid for pid in planned if old_m.get(pid) != new_m.get(pid)}
