"""No-shows and late arrivals at a round start: who is out, who is in, and the re-planned rounds.

`compute_replan` only reads and solves (seconds of CPU, run it in a worker thread, never on the
event loop); `apply_replan` writes the result inside the round-start transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlmodel import Session, col, delete, select

import matching
from app.models import (
    AttendanceStatus,
    Event,
    Participant,
    Room,
    RoomMember,
    Round,
    SchedulePlan,
)

log = logging.getLogger("speedmatch.live")

HERE = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


@dataclass
class Replan:
    first_round: int  # the round about to start; earlier rounds are untouched
    absent: frozenset[str]
    late: frozenset[str]
    rounds: list[matching.RoundPlan]
    warnings: list[str] = field(default_factory=list)
    score: dict[str, int] = field(default_factory=dict)


def to_matching(p: Participant) -> matching.Participant:
    return matching.Participant(
        id=p.id,
        name=p.name,
        school=p.school,
        country=p.country.upper(),
        sector=matching.Sector(p.sector),
        languages=frozenset(p.languages),
        interests=frozenset(p.interests),
        programmes=frozenset(p.programmes),
        requests=frozenset(p.requests),
        avoid=frozenset(p.avoid),
        email=p.email,
    )


def settings_of(event: Event) -> matching.EventSettings:
    known = set(matching.Weights.__dataclass_fields__)
    weights = matching.Weights(**{k: v for k, v in event.weights.items() if k in known})
    return matching.EventSettings(
        rounds=event.rounds,
        room_size=event.room_size,
        distinct_countries=event.distinct_countries,
        max_per_country=event.max_per_country,
        weights=weights,
    )


def stored_rounds(session: Session, event_id: str) -> list[matching.RoundPlan]:
    """The stored schedule as the planner's types (rooms and sit-outs per round)."""
    rounds = session.exec(
        select(Round).where(Round.event_id == event_id).order_by(col(Round.number))
    ).all()
    out = []
    for r in rounds:
        rooms = session.exec(select(Room).where(Room.round_id == r.id).order_by(col(Room.number)))
        plans = []
        for room in rooms.all():
            ids = session.exec(
                select(RoomMember.participant_id).where(RoomMember.room_id == room.id)
            ).all()
            plans.append(matching.Room(room.number, tuple(sorted(ids))))
        out.append(matching.RoundPlan(r.number, tuple(plans), tuple(r.sitting_out)))
    return out


def _previous(rounds: list[matching.RoundPlan]) -> matching.Plan:
    return matching.Plan(
        rounds=tuple(rounds),
        score=matching.Score(0, 0, 0, 0, 0, 0),
        upper_bound=0,
        elapsed_s=0.0,
    )


def seated(rounds: list[matching.RoundPlan], first: int) -> set[str]:
    return {
        pid for r in rounds if r.number >= first for room in r.rooms for pid in room.participants
    }


def compute_replan(
    session: Session, event_id: str, first_round: int, connected: set[str], time_limit_s: float
) -> Replan | None:
    """None when everyone planned from `first_round` on is here and nobody new arrived."""
    event = session.get(Event, event_id)
    if event is None:
        return None
    people = session.exec(
        select(Participant).where(
            Participant.event_id == event_id, col(Participant.deleted).is_(False)
        )
    ).all()
    here = {
        p.id
        for p in people
        if p.attendance in HERE or (p.attendance == AttendanceStatus.EXPECTED and p.id in connected)
    }
    rounds = stored_rounds(session, event_id)
    future = seated(rounds, first_round)
    in_plan = future | {pid for r in rounds if r.number >= first_round for pid in r.sitting_out}
    absent = frozenset(future - here)
    late = frozenset(here - in_plan)
    if not absent and not late:
        return None
    everyone = {p.id: p for p in people}
    pool = [
        to_matching(everyone[pid]) for pid in sorted((seated(rounds, 1) | here) & set(everyone))
    ]
    settings = settings_of(event)
    all_absent = frozenset(p.id for p in pool if p.id not in here)
    previous = _previous(rounds)
    warnings: list[str] = []
    plan = matching.replan(
        pool,
        settings,
        previous,
        played_rounds=first_round - 1,
        absent=all_absent,
        time_limit_s=time_limit_s,
    )
    present_pool = [p for p in pool if p.id not in all_absent]
    warnings = list(matching.validate_plan(present_pool, settings, _only_from(plan, first_round)))
    new_rounds = [r for r in plan.rounds if r.number >= first_round]
    return Replan(
        first_round=first_round,
        absent=absent,
        late=late,
        rounds=new_rounds,
        warnings=warnings + list(plan.warnings),
        score={"total": plan.score.total, "violations": plan.score.violations},
    )


def _only_from(plan: matching.Plan, first_round: int) -> matching.Plan:
    """The re-planned rounds only: played rounds included people who have left since."""
    return matching.Plan(
        rounds=tuple(r for r in plan.rounds if r.number >= first_round),
        score=plan.score,
        upper_bound=plan.upper_bound,
        elapsed_s=plan.elapsed_s,
    )


def apply_replan(session: Session, event: Event, replan: Replan) -> set[str]:
    """Store the re-planned rounds; returns everyone whose room-mates changed in the next round."""
    before = {
        r.number: r for r in stored_rounds(session, event.id) if r.number >= replan.first_round
    }
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
                session.add(RoomMember(room_id=room.id, participant_id=pid, why=why))
        for leftover in existing.values():
            session.delete(leftover)
        row.sitting_out = list(new.sitting_out)
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
    session.add(
        SchedulePlan(
            event_id=event.id,
            version=_next_plan_version(session, event.id),
            score=replan.score,
            warnings=replan.warnings,
        )
    )
    return _changed(before.get(replan.first_round), replan.rounds, replan.first_round) | set(
        replan.late
    )


def _next_plan_version(session: Session, event_id: str) -> int:
    versions = session.exec(
        select(SchedulePlan.version).where(SchedulePlan.event_id == event_id)
    ).all()
    return max(versions, default=0) + 1


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
    return {pid for pid in set(old_m) | set(new_m) if old_m.get(pid) != new_m.get(pid)}
