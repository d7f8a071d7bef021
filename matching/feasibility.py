"""Checks before solving: who cannot be placed and why, and sit-outs forced by the country rule."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace

import numpy as np

from matching.findings import EVERY_ROUND_KINDS, Finding, FindingKind
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
    # The same, structured (matching.findings): pages word them in their own language.
    findings: tuple[Finding, ...] = field(default=(), compare=False)

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


def _why_alone(p: Participant, others: Sequence[Participant], settings: EventSettings) -> Finding:
    reasons = Counter(pair_conflict(p, q, settings) for q in others)
    if not others:
        return Finding(FindingKind.ALONE, (p.id,), settings.room_size)
    if not p.languages:
        return Finding(FindingKind.NO_LANGUAGE, (p.id,), settings.room_size)
    langs = tuple(sorted(p.languages))
    if reasons["no shared language"] == len(others):
        return Finding(FindingKind.NOBODY_SPEAKS, (p.id,), settings.room_size, languages=langs)
    return Finding(
        FindingKind.NO_ROOM_MATE,
        (p.id,),
        settings.room_size,
        languages=langs,
        country=p.country,
        no_shared_language=reasons["no shared language"],
        same_country=reasons["same country"],
        same_school=reasons["same school"],
        avoid=reasons["asked not to meet"],
    )


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
    found: list[Finding] = []
    for p, mates in zip(participants, counts_ok, strict=True):
        if not mates:
            found.append(_why_alone(p, [q for q in participants if q.id != p.id], settings))
        elif mates < k - 1:
            found.append(Finding(FindingKind.FEW_ROOM_MATES, (p.id,), k, count=mates))
        elif k == 2 and mates < settings.rounds:
            found.append(
                Finding(FindingKind.FEW_PARTNERS, (p.id,), k, count=mates, rounds=settings.rounds)
            )
    gone = {f.person for f in found if f.unplaceable}
    if k > 2:
        rest = np.array([ix.pos[p.id] for p in participants if p.id not in gone], dtype=np.int64)
        for v in rest.tolist():  # roomless(ix, rest), and the rounds each can sit in, one scan
            near = partners(ix, v, rest)
            pid = ix.people[v].id
            if not _has_room(ix, near, k):
                found.append(Finding(FindingKind.NO_GROUP, (pid,), k))
                gone.add(pid)
            elif (most := most_rounds(ix, near, settings.rounds)) is not None:
                found.append(
                    Finding(FindingKind.FEW_GROUPS, (pid,), k, count=most, rounds=settings.rounds)
                )
    seatable = [p for p in participants if p.id not in gone]
    counts = Counter(p.country for p in seatable)
    n = len(seatable)
    best = max_seated(list(counts.values()), n, k, cap)
    # Room sizes alone can leave people out (5 people, rooms of 3: one room of 3 or 4); the
    # rest of `n - best` is the country rule's, and only that part is the country's to explain.
    fit = max_seated([n], n, k, None)
    if n > fit:
        found.append(Finding(FindingKind.ROOM_SIZES, (), k, count=n - fit, total=n, fit=fit))
    if best < fit:
        top, top_n = counts.most_common(1)[0]
        found.append(
            Finding(
                FindingKind.COUNTRY_SHARE,
                (),
                k,
                count=fit - best,
                total=n,
                fit=fit,
                country=top,
                country_count=top_n,
                cap=cap or 0,
            )
        )
        for looser in range((cap or 1) + 1, k + 1):
            if max_seated(list(counts.values()), n, k, looser) == fit:
                found.append(
                    Finding(FindingKind.RELAX_COUNTRY, (), k, total=n, fit=fit, cap=looser)
                )
                break
    return _report(found, placeable=n)


def _report(found: Sequence[Finding], *, placeable: int) -> FeasibilityReport:
    """The report whose parts (unplaceable reasons, warnings, suggestions) are `found`'s texts,
    each part in `found`'s order."""
    unplaceable = tuple(Unplaceable(f.person, f.text) for f in found if f.unplaceable)
    return FeasibilityReport(
        unplaceable=unplaceable,
        forced_sit_outs_per_round=sum(f.count for f in found if f.kind in EVERY_ROUND_KINDS),
        warnings=tuple(f.text for f in found if not f.unplaceable and not f.suggestion),
        suggestions=tuple(f.text for f in found if f.suggestion),
        placeable=placeable,
        reasons={u.participant_id: u.reason for u in unplaceable},
        findings=tuple(found),
    )


def relaxed(settings: EventSettings, max_per_country: int) -> EventSettings:
    return replace(settings, max_per_country=max_per_country)
