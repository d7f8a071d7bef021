"""Scoring (policy v1 totals) and validation (H1-H5, room sizes, pins) of a finished plan."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from matching.policy import country_cap, pair_conflict, pair_score
from matching.types import EventSettings, Participant, Pin, Plan, RoundPlan, Score


def participant_scores(
    participants: Sequence[Participant], settings: EventSettings, rounds: Sequence[RoundPlan]
) -> tuple[dict[str, int], int, int]:
    """Per-participant score (pair scores + own diversity), the pair total, the diversity total."""
    by_id = {p.id: p for p in participants}
    w = settings.weights
    met_countries = {p.id: {p.country} for p in participants}
    per: dict[str, int] = dict.fromkeys(by_id, 0)
    pair_total = diversity_total = 0
    for rnd in sorted(rounds, key=lambda r: r.number):
        for room in rnd.rooms:
            members = [by_id[i] for i in room.participants if i in by_id]
            for x, a in enumerate(members):
                for b in members[x + 1 :]:
                    s = pair_score(a, b, w)
                    pair_total += s
                    per[a.id] += s
                    per[b.id] += s
            for a in members:
                for b in members:
                    if b.id != a.id and b.country not in met_countries[a.id]:
                        met_countries[a.id].add(b.country)
                        diversity_total += w.new_country
                        per[a.id] += w.new_country
    return per, pair_total, diversity_total


def score_plan(
    participants: Sequence[Participant],
    settings: EventSettings,
    rounds: Sequence[RoundPlan],
    *,
    left_out: Collection[str] = (),
) -> Score:
    """Policy v1 total, its parts, the minimum participant score, hard violations and sit-outs.

    The minimum is over every participant except `left_out` (those who cannot be placed, or
    who dropped out): someone placeable whom the plan never seats counts, with 0.
    """
    per, pair_total, diversity_total = participant_scores(participants, settings, rounds)
    sit_outs = sum(len(r.sitting_out) for r in rounds)
    violations = len(_violations(participants, settings, rounds, ()))
    skip = set(left_out)
    scores = [v for i, v in per.items() if i not in skip]
    return Score(
        total=pair_total + diversity_total,
        pair=pair_total,
        diversity=diversity_total,
        min_participant=min(scores) if scores else 0,
        violations=violations,
        sit_outs=sit_outs,
    )


def validate_plan(
    participants: Sequence[Participant],
    settings: EventSettings,
    plan: Plan,
    *,
    pins: Sequence[Pin] = (),
) -> list[str]:
    """Human-readable violations of H1-H5, room-size rules and pins; empty list = valid."""
    problems = _violations(participants, settings, plan.rounds, pins)
    if len(plan.rounds) != settings.rounds:
        problems.append(f"the plan has {len(plan.rounds)} rounds, the event {settings.rounds}")
    return problems


def rule_breaks(
    participants: Sequence[Participant],
    settings: EventSettings,
    rounds: Sequence[RoundPlan],
    *,
    pins: Sequence[Pin] = (),
) -> list[str]:
    """validate_plan's problems for some rounds only (no check of the round count)."""
    return _violations(participants, settings, rounds, pins)


def _violations(
    participants: Sequence[Participant],
    settings: EventSettings,
    rounds: Sequence[RoundPlan],
    pins: Sequence[Pin],
) -> list[str]:
    by_id = {p.id: p for p in participants}
    k = settings.room_size
    cap = country_cap(settings)
    problems: list[str] = []
    met: dict[frozenset[str], int] = {}
    together_round: dict[frozenset[str], int] = {}
    for rnd in sorted(rounds, key=lambda r: r.number):
        seen: set[str] = set()
        label = f"round {rnd.number}"
        for room in rnd.rooms:
            where = f"{label}, room {room.number}"
            for pid in room.participants:
                if pid not in by_id:
                    problems.append(f"{where}: unknown participant {pid!r}")
                elif pid in seen:
                    problems.append(f"{where}: {pid} is seated twice in {label}")
                seen.add(pid)
            members = [by_id[i] for i in room.participants if i in by_id]
            if len(room.participants) not in (k, k + 1):
                n = len(room.participants)
                problems.append(
                    f"{where}: {n} {'person' if n == 1 else 'people'}, rooms hold {k} or {k + 1}"
                )
            if cap is not None:
                for c in {m.country for m in members}:
                    count = sum(m.country == c for m in members)
                    if count > cap:
                        problems.append(f"{where}: {count} people from {c}, at most {cap} allowed")
            for x, a in enumerate(members):
                for b in members[x + 1 :]:
                    key = frozenset((a.id, b.id))
                    why = pair_conflict(a, b, settings)
                    if why and why != "same country":  # the country rule is checked per room
                        problems.append(f"{where}: {a.id} and {b.id}: {why}")
                    if key in met:
                        problems.append(
                            f"{where}: {a.id} and {b.id} already met in round {met[key]}"
                        )
                    met.setdefault(key, rnd.number)
                    together_round.setdefault(key, rnd.number)
        for pid in rnd.sitting_out:
            if pid in seen:
                problems.append(f"{label}: {pid} is both seated and sitting out")
        seated = len([i for room in rnd.rooms for i in room.participants])
        big = sum(len(room.participants) == k + 1 for room in rnd.rooms)
        if rnd.rooms and big != seated % k:
            rooms = "room" if big == 1 else "rooms"
            problems.append(
                f"{label}: {big} {rooms} of {k + 1}, but {seated} seated needs exactly {seated % k}"
            )
    for pin in pins:
        key = frozenset((pin.a, pin.b))
        if not pin.together and key in met:
            problems.append(f"pin: {pin.a} and {pin.b} must never meet (round {met[key]})")
        elif pin.together and key not in met:
            problems.append(f"pin: {pin.a} and {pin.b} must meet")
        elif pin.together and pin.round is not None and together_round[key] != pin.round:
            problems.append(f"pin: {pin.a} and {pin.b} must meet in round {pin.round}")
    return problems
