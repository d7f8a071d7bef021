"""plan_event and replan: from participants and settings to a validated, explained Plan."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from matching.core import plan_rounds
from matching.explain import explain
from matching.feasibility import (
    FeasibilityReport,
    InfeasibleError,
    check_feasibility,
    check_participants,
)
from matching.participant_index import Index, Pair, build_index, pair
from matching.pin_rules import impossible_pins
from matching.plan_state import Rooms, State
from matching.score import participant_scores, rule_breaks, score_plan
from matching.steady import numbered_like, steady_round
from matching.types import (
    EventSettings,
    Participant,
    Pin,
    Plan,
    ProgressInfo,
    Room,
    RoundPlan,
    Unplaceable,
)
from matching.violations import ViolationKind, plan_violations

FINISH_SHARE = 0.1  # of the time limit, kept for explanations, scoring and validation
# A must-meet pin the planner did not keep: a plan warning, "not kept: <the break's text>".
_MUST_MEET = (ViolationKind.PIN_MUST, ViolationKind.PIN_ROUND)
STEADY_SHARE = 0.25  # of a steady re-plan's time limit, at most, to repair the round starting


def _solver_share(time_limit_s: float, start: float, *, floor: float) -> float:
    """What is left of the caller's time limit for plan_rounds, so the whole call fits in it."""
    left = time_limit_s - (time.monotonic() - start)
    return max(floor, left - FINISH_SHARE * time_limit_s)


def _check_pins(
    participants: Sequence[Participant], settings: EventSettings, pins: Sequence[Pin]
) -> None:
    found = impossible_pins(participants, settings, pins)
    if found:
        raise ValueError(found[0][1])


def _explained(participants: Sequence[Participant], rounds: list[RoundPlan]) -> list[RoundPlan]:
    by_id = {p.id: p for p in participants}
    met: dict[str, set[str]] = {p.id: set() for p in participants}
    out: list[RoundPlan] = []
    for rnd in rounds:
        rooms = []
        for room in rnd.rooms:
            members = [by_id[i] for i in room.participants]
            notes = {
                p.id: explain(p, [m for m in members if m.id != p.id], met[p.id]) for p in members
            }
            rooms.append(Room(room.number, room.participants, notes))
        for room in rnd.rooms:
            for a in room.participants:
                met[a] |= {by_id[b].country for b in room.participants if b != a}
        out.append(RoundPlan(rnd.number, tuple(rooms), rnd.sitting_out))
    return out


def _to_rounds(
    ix: Index, planned: list[Rooms], first: int, present: Sequence[int]
) -> list[RoundPlan]:
    out = []
    for offset, rooms in enumerate(planned):
        ordered = sorted((sorted(room) for room in rooms), key=lambda r: r[0])
        seated = {v for room in rooms for v in room}
        out.append(
            RoundPlan(
                number=first + offset,
                rooms=tuple(
                    Room(n + 1, tuple(ix.people[v].id for v in room))
                    for n, room in enumerate(ordered)
                ),
                sitting_out=tuple(ix.people[v].id for v in sorted(present) if v not in seated),
            )
        )
    return out


def _finish(
    participants: Sequence[Participant],
    settings: EventSettings,
    rounds: list[RoundPlan],
    bound: int,
    start: float,
    pins: Sequence[Pin],
    unplaceable: tuple[Unplaceable, ...],
    warnings: list[str],
    absent: frozenset[str] = frozenset(),
    played: Sequence[RoundPlan] = (),
) -> Plan:
    """The plan, explained, scored and validated. `played`: rounds already played (a re-plan
    keeps them as they were, so a rule they break is reported, not the planner's error)."""
    rounds = _explained(participants, rounds)
    left_out = {u.participant_id for u in unplaceable} | absent
    score = score_plan(participants, settings, rounds, left_out=left_out)
    plan = Plan(
        rounds=tuple(rounds),
        score=score,
        upper_bound=max(bound, score.total),
        elapsed_s=round(time.monotonic() - start, 3),
        unplaceable=unplaceable,
        warnings=tuple(warnings),
    )
    found = plan_violations(participants, settings, plan.rounds, pins)
    problems = [v.text for v in found]
    # A must-meet pin the search could not keep is the organiser's to resolve: reported, not
    # fatal (a round start with no-shows must not fail for it). Anything else is a bug.
    unmet = [v.text for v in found if v.kind in _MUST_MEET]
    # Played rounds happened: they may break a rule that changed since (an avoid added after
    # the pair met, a never pin on a pair that met, another room size), and stay as played.
    past = set(rule_breaks(participants, settings, played, pins=pins)) if played else set()
    history = [p for p in problems if p not in unmet and p in past]
    broken = [p for p in problems if p not in unmet and p not in past]
    if broken:  # a bug guard: never hand out a plan that breaks a hard rule
        raise RuntimeError(
            "internal error, the planner produced an invalid plan: " + "; ".join(broken)
        )
    notes = [f"played round kept as it was: {p}" for p in history]
    notes += [f"not kept: {p}" for p in unmet]
    if notes:
        plan = replace(plan, warnings=(*plan.warnings, *notes))
    return plan


def _pins_by_round(
    ix: Index, pins: Sequence[Pin], first: int, seated: Sequence[int]
) -> tuple[dict[int, list[Pair]], list[Pair]]:
    """Must-meet pins between `seated` people (the planner's), by round from `first` on, and
    those for any round; each pair once. A pin naming someone who cannot be placed, or who is
    absent, or two who met in a played round, is left to the plan's warnings ("not kept")."""
    here = set(seated)
    together: dict[int, list[Pair]] = {}
    anytime: list[Pair] = []
    for pin in pins:
        if not pin.together:
            continue
        key = pair(ix.pos[pin.a], ix.pos[pin.b])
        if key[0] not in here or key[1] not in here or key in ix.met:
            continue
        if pin.round is None:
            if key not in anytime:
                anytime.append(key)
        elif pin.round >= first and key not in together.get(pin.round - first, []):
            together.setdefault(pin.round - first, []).append(key)
    pinned = {p for ps in together.values() for p in ps}
    return together, [p for p in anytime if p not in pinned]  # a round pin says more


def plan_event(
    participants: Sequence[Participant],
    settings: EventSettings,
    *,
    time_limit_s: float = 30,
    seed: int = 0,
    workers: int = 2,
    progress: Callable[[ProgressInfo], None] | None = None,
    pins: Sequence[Pin] = (),
) -> Plan:
    """Plan every round; raises InfeasibleError when not even one room can be seated."""
    start = time.monotonic()
    _check_pins(participants, settings, pins)
    report = check_feasibility(participants, settings, pins)
    if report.placeable < settings.room_size:
        raise InfeasibleError(
            f"only {report.placeable} participant(s) can be placed; "
            f"a room needs {settings.room_size}",
            report,
        )
    if report.placeable - report.forced_sit_outs_per_round == 0:
        # Everyone could sit somewhere, but no whole room can be formed (9 Dutch teachers,
        # rooms of 3, at most 2 per country): a plan of empty rounds helps nobody.
        raise InfeasibleError(f"no room of {settings.room_size} can be seated in any round", report)
    ix = build_index(participants, settings, never=[(p.a, p.b) for p in pins if not p.together])
    people = [ix.pos[p.id] for p in participants if p.id not in report.reasons]
    state = State(set(), {v: {ix.country[v]} for v in range(ix.n)}, {})
    together, anytime = _pins_by_round(ix, pins, 1, people)
    outcome = plan_rounds(
        ix, people, settings.rounds, state,
        base_score={}, together=together, anytime=anytime, hint=None,
        time_limit_s=_solver_share(time_limit_s, start, floor=0.5),
        seed=seed, workers=workers, progress=progress,
    )  # fmt: skip
    everyone = list(range(ix.n))
    rounds = _to_rounds(ix, outcome.rounds, 1, everyone)
    warnings = [*report.warnings, *report.suggestions, *outcome.notes]
    return _finish(
        participants, settings, rounds, outcome.bound, start, pins, report.unplaceable, warnings
    )


def replan(
    participants: Sequence[Participant],
    settings: EventSettings,
    previous: Plan,
    *,
    played_rounds: int,
    absent: frozenset[str] = frozenset(),
    pins: Sequence[Pin] = (),
    time_limit_s: float = 5,
    seed: int = 0,
    steady: bool = False,
) -> Plan:
    """Keep rounds 1..played_rounds, re-plan the rest without `absent`, seating late arrivals.
    `steady`: the first round re-planned is about to start, so it keeps its rooms where it can
    (matching.steady) and only the later rounds are re-planned freely."""
    return _replan(
        participants, settings, previous, played_rounds=played_rounds, absent=absent, pins=pins,
        time_limit_s=time_limit_s, seed=seed, steady=steady, start=time.monotonic(),
    )  # fmt: skip


def _replan(
    participants: Sequence[Participant],
    settings: EventSettings,
    previous: Plan,
    *,
    played_rounds: int,
    absent: frozenset[str],
    pins: Sequence[Pin],
    time_limit_s: float,
    seed: int,
    steady: bool,
    start: float,
    report: FeasibilityReport | None = None,
) -> Plan:
    """`replan`, timed from `start`: the steady path re-enters it with the round it repaired
    played, and the whole call still fits `time_limit_s` (both passes' set-up counted; the
    feasibility check, a second at n = 1,000, is made once)."""
    if not 0 <= played_rounds <= settings.rounds:
        raise ValueError(f"played_rounds must be between 0 and {settings.rounds}")
    _check_pins(participants, settings, pins)
    check_participants(participants)
    played = [r for r in previous.rounds if r.number <= played_rounds]
    if sorted(r.number for r in played) != list(range(1, played_rounds + 1)):
        numbers = ", ".join(str(r.number) for r in sorted(previous.rounds, key=lambda r: r.number))
        raise ValueError(
            f"played_rounds is {played_rounds}, so the previous plan must hold rounds 1 to "
            f"{played_rounds} once each; it holds rounds {numbers or 'none'}"
        )
    known = {p.id for p in participants}
    for rnd in played:
        for room in rnd.rooms:
            for pid in room.participants:
                if pid not in known:
                    raise ValueError(f"round {rnd.number} seats {pid!r}, who is not a participant")
        for pid in rnd.sitting_out:
            if pid not in known:
                raise ValueError(
                    f"round {rnd.number} has {pid!r} sitting out, who is not a participant"
                )
    present = [p for p in participants if p.id not in absent]
    report = report or check_feasibility(present, settings, pins)
    met = [
        (a, b)
        for rnd in played
        for room in rnd.rooms
        for a in room.participants
        for b in room.participants
        if a < b
    ]
    ix = build_index(
        participants, settings, never=[(p.a, p.b) for p in pins if not p.together], met=met
    )  # H4 from the start: the index caches what the sparse rules exclude
    state = State(set(), {v: {ix.country[v]} for v in range(ix.n)}, {})
    for rnd in played:
        for room in rnd.rooms:
            idx = [ix.pos[i] for i in room.participants]
            for a in idx:
                state.met_countries[a] |= {ix.country[b] for b in idx if b != a}
                state.met |= {pair(a, b) for b in idx if b != a}
        for pid in rnd.sitting_out:
            state.sat_out[ix.pos[pid]] = state.sat_out.get(ix.pos[pid], 0) + 1
    per, _, _ = participant_scores(participants, settings, played)
    people = [ix.pos[p.id] for p in present if p.id not in report.reasons]
    here = [ix.pos[p.id] for p in present]
    later = {
        pair(ix.pos[a], ix.pos[b])
        for r in previous.rounds
        if r.number > played_rounds
        for room in r.rooms
        for a in room.participants
        for b in room.participants
        if a < b and a in ix.pos and b in ix.pos and a not in absent and b not in absent
    }
    together, anytime = _pins_by_round(ix, pins, played_rounds + 1, people)
    previous_rooms = [
        [[ix.pos[i] for i in room.participants if i in ix.pos] for room in r.rooms]
        for r in sorted(previous.rounds, key=lambda r: r.number)
        if r.number > played_rounds
    ]
    remaining = settings.rounds - played_rounds
    if steady and remaining > 0 and len(people) >= settings.room_size:
        planned = next((r for r in previous.rounds if r.number == played_rounds + 1), None)
        in_plan = {pid for r in previous.rounds for room in r.rooms for pid in room.participants}
        in_plan |= {pid for r in previous.rounds for pid in r.sitting_out}
        first = steady_round(
            ix, people, previous_rooms[0] if previous_rooms else [], state, together.get(0, []),
            newcomers={v for v in people if ix.people[v].id not in in_plan}, seed=seed,
            deadline=time.monotonic() + STEADY_SHARE * time_limit_s,
        )  # fmt: skip
        if planned is not None and first is not None:
            fixed = _to_rounds(ix, [first], played_rounds + 1, here)
            kept = numbered_like(fixed, played_rounds + 1, planned)
            to_come = [r for r in previous.rounds if r.number > played_rounds + 1]
            return _replan(
                participants, settings, replace(previous, rounds=(*played, kept, *to_come)),
                played_rounds=played_rounds + 1, absent=absent, pins=pins,
                time_limit_s=time_limit_s, seed=seed, steady=False, start=start, report=report,
            )  # fmt: skip
    rounds = list(played)
    bound = score_plan(participants, settings, played).total
    warnings = [*report.warnings, *report.suggestions]
    if remaining > 0 and len(people) >= settings.room_size:
        outcome = plan_rounds(
            ix, people, remaining, state,
            base_score={v: per[ix.people[v].id] for v in people},
            together=together, anytime=anytime, hint=later & _allowed(ix, later),
            time_limit_s=_solver_share(time_limit_s, start, floor=0.2),
            seed=seed, workers=2, progress=None, previous=previous_rooms,
        )  # fmt: skip
        planned_rounds = {r.number: r for r in previous.rounds}
        rounds += [
            # A room keeps its number (its video room) where it keeps most of its people.
            numbered_like([new], new.number, planned_rounds[new.number])
            if new.number in planned_rounds
            else new
            for new in _to_rounds(ix, outcome.rounds, played_rounds + 1, here)
        ]
        bound += outcome.bound
        warnings += outcome.notes
    elif remaining > 0:
        rounds += _to_rounds(ix, [[] for _ in range(remaining)], played_rounds + 1, here)
        warnings.append("too few participants are present to seat anyone in the later rounds")
    return _finish(
        participants, settings, rounds, bound, start, pins, report.unplaceable, warnings, absent,
        played,
    )  # fmt: skip


def _allowed(ix: Index, pairs: set[Pair]) -> set[Pair]:
    return {p for p in pairs if ix.allowed(*p)}
