"""Checks before solving: who cannot be placed and why, and sit-outs forced by the country rule."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace

import numpy as np

from matching.codes import COUNTRY_NAMES
from matching.pairs import partner_counts, partners
from matching.participant_index import Index, build_index
from matching.policy import country_cap, pair_conflict
from matching.scarce import group_among, most_rounds
from matching.types import EventSettings, Participant, Pin, Unplaceable


@dataclass(frozen=True)
class FeasibilityReport:
    unplaceable: tuple[Unplaceable, ...] = ()
    forced_sit_outs_per_round: int = 0
    warnings: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    placeable: int = 0
    reasons: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def ok(self) -> bool:
        return not self.unplaceable and not self.forced_sit_outs_per_round

    def summary(self) -> str:
        lines = [f"{u.participant_id}: {u.reason}" for u in self.unplaceable]
        lines += list(self.warnings) + list(self.suggestions)
        return "\n".join(lines)


class InfeasibleError(ValueError):
    """Nothing sensible can be planned; `.report` says who cannot be placed and why."""

    def __init__(self, message: str, report: FeasibilityReport) -> None:
        super().__init__(message)
        self.report = report


# Weights are whole numbers from 0 to this (the service allows 0-100). Above it the search's
# penalties for a broken rule, scaled to the weights (matching.group_objective), no longer fit
# the int32 pair values of the compiled search; negative weights would make a seat cost points.
MAX_WEIGHT = 1000


def check_settings(settings: EventSettings) -> None:
    """Raise ValueError for settings outside policy v1's ranges."""
    if not 1 <= settings.rounds <= 20:
        raise ValueError(f"rounds must be between 1 and 20, got {settings.rounds}")
    if not 2 <= settings.room_size <= 6:
        raise ValueError(f"room_size must be between 2 and 6, got {settings.room_size}")
    if settings.max_per_country is not None and settings.max_per_country < 1:
        raise ValueError("max_per_country must be at least 1")
    for f in fields(settings.weights):
        name, value = f.name, getattr(settings.weights, f.name)
        if not isinstance(value, int) or not 0 <= value <= MAX_WEIGHT:
            raise ValueError(
                f"weight {name} must be a whole number between 0 and {MAX_WEIGHT}, got {value!r}"
            )


def check_participants(participants: Sequence[Participant]) -> None:
    """Raise ValueError if two participants share an id (ids name people in plans and pins)."""
    seen: set[str] = set()
    for p in participants:
        if p.id in seen:
            raise ValueError(f"participant id {p.id!r} is used twice; ids must be unique")
        seen.add(p.id)


def _why_alone(p: Participant, others: Sequence[Participant], settings: EventSettings) -> str:
    reasons = Counter(pair_conflict(p, q, settings) for q in others)
    if not others:
        return "is the only participant"
    if not p.languages:
        return "has no language listed (a room needs one language in common)"
    langs = ", ".join(sorted(p.languages))
    if reasons["no shared language"] == len(others):
        return f"nobody else speaks {langs}"
    parts = []
    if reasons["no shared language"]:
        parts.append(f"{reasons['no shared language']} share no language ({langs})")
    if reasons["same country"]:
        parts.append(f"{reasons['same country']} are from the same country ({p.country})")
    if reasons["same school"]:
        parts.append(f"{reasons['same school']} are from the same school")
    if reasons["asked not to meet"]:
        parts.append(f"{reasons['asked not to meet']} are on an avoid list")
    return "no possible room-mate: of the others, " + ", ".join(parts)


def max_seated(counts: Sequence[int], n: int, k: int, cap: int | None) -> int:
    """Most people seatable in one round when each room holds at most `cap` per country."""
    for seated in range(n, -1, -1):
        rooms = seated // k
        big = seated - k * rooms
        if big > min(rooms, k - 1):
            continue
        room_cap = rooms * cap if cap is not None else seated
        if sum(min(c, room_cap) for c in counts) >= seated:
            return seated
    return 0


SEARCH_BUDGET = 20_000  # room-search steps per person; past it, assume a room exists


def _has_room(ix: Index, near: Sequence[int], k: int) -> bool:
    """Whether k - 1 of `near` (someone's possible room-mates) may share a room with them."""
    group, finished = group_among(ix, near, k - 1, SEARCH_BUDGET)
    return group is not None or not finished  # not proven roomless: bounds built on it hold


def roomless(
    ix: Index, people: Sequence[int], near_of: Callable[[int], Sequence[int]] | None = None
) -> list[int]:
    """People who fit no room of room_size at all: having enough possible room-mates is not
    enough, they must also be allowed with each other (at the generated n=200 event three
    people speak only Spanish and Portuguese, and no room of 3 seats them). `near_of(p)`: p's
    possible room-mates among `people` in their order, where the caller has them already."""
    k = ix.settings.room_size
    among = np.array(people, dtype=np.int64)
    near = near_of or (lambda p: partners(ix, p, among))
    return [p for p in people if not _has_room(ix, near(p), k)]


def check_feasibility(
    participants: Sequence[Participant], settings: EventSettings, pins: Sequence[Pin] = ()
) -> FeasibilityReport:
    """Who cannot be placed at all and why; forced sit-outs per round; a relaxed rule to offer."""
    check_settings(settings)
    check_participants(participants)
    k, cap = settings.room_size, country_cap(settings)
    ix = build_index(participants, settings, never=[(p.a, p.b) for p in pins if not p.together])
    counts_ok = partner_counts(ix)
    unplaceable: list[Unplaceable] = []
    warnings: list[str] = []
    for p, mates in zip(participants, counts_ok, strict=True):
        if not mates:
            others = [q for q in participants if q.id != p.id]
            unplaceable.append(Unplaceable(p.id, _why_alone(p, others, settings)))
        elif mates < k - 1:
            unplaceable.append(
                Unplaceable(
                    p.id, f"only {_count(mates, 'possible room-mate')}; a room of {k} needs {k - 1}"
                )
            )
        elif k == 2 and mates < settings.rounds:
            warnings.append(
                f"{p.id} can meet only {mates} different people in {settings.rounds} rounds "
                f"and will sit out at least {_count(settings.rounds - mates, 'round')}"
            )
    gone = {u.participant_id for u in unplaceable}
    if k > 2:
        rest = np.array([ix.pos[p.id] for p in participants if p.id not in gone], dtype=np.int64)
        for v in rest.tolist():  # roomless(ix, rest), and the rounds each can sit in, one scan
            near = partners(ix, v, rest)
            if not _has_room(ix, near, k):
                unplaceable.append(
                    Unplaceable(
                        ix.people[v].id,
                        f"no {k - 1} of their possible room-mates may also share a room with "
                        "each other (languages, schools, countries, avoid lists)",
                    )
                )
                gone.add(ix.people[v].id)
            elif (most := most_rounds(ix, near, settings.rounds)) is not None:
                warnings.append(
                    f"{ix.people[v].id} can sit in a room in at most {most} of "
                    f"{settings.rounds} rounds: nobody meets anyone twice, and only {most} "
                    f"{'group' if most == 1 else 'groups'} of {k - 1} possible room-mates with no "
                    f"one in common {'exists' if most == 1 else 'exist'} "
                    "(languages, schools, countries, avoid lists)"
                )
    seatable = [p for p in participants if p.id not in gone]
    counts = Counter(p.country for p in seatable)
    n = len(seatable)
    best = max_seated(list(counts.values()), n, k, cap)
    forced = n - best
    # Room sizes alone can leave people out (5 people, rooms of 3: one room of 3 or 4); the
    # rest of `forced` is the country rule's, and only that part is the country's to explain.
    fit = max_seated([n], n, k, None)
    suggestions: list[str] = []
    if n > fit:
        warnings.append(
            f"{_count(n - fit, 'participant')} must sit out in every round (not always the same: "
            f"sit-outs rotate): rooms hold {k} or {k + 1} people (at most {k - 1} rooms of "
            f"{k + 1} a round), so at most {fit} of {n} fit"
        )
    if best < fit:
        top, top_n = counts.most_common(1)[0]
        name = COUNTRY_NAMES.get(top, top)
        warnings.append(
            f"{_count(fit - best, 'participant')} must sit out in every round (not always the "
            f"same: sit-outs rotate): {name} has {top_n} of {n} people and rooms of {k} allow at "
            f"most {cap} per country"
        )
        for relaxed in range((cap or 1) + 1, k + 1):
            if max_seated(list(counts.values()), n, k, relaxed) == fit:
                whom = "everyone" if fit == n else f"{fit} of {n}, as many as rooms of {k} hold"
                suggestions.append(
                    f"set max_per_country={relaxed} to seat {whom} "
                    f"(at most {relaxed} per country in a room)"
                )
                break
    return FeasibilityReport(
        unplaceable=tuple(unplaceable),
        forced_sit_outs_per_round=forced,
        warnings=tuple(warnings),
        suggestions=tuple(suggestions),
        placeable=n,
        reasons={u.participant_id: u.reason for u in unplaceable},
    )


def relaxed(settings: EventSettings, max_per_country: int) -> EventSettings:
    return replace(settings, max_per_country=max_per_country)


def _count(n: int, noun: str) -> str:
    """ "1 round", "2 rounds": the report is read by organisers, not parsed."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
