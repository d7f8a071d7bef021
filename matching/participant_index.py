"""Participants compiled to integer arrays (positions in the participant list), for pair checks.

`Index` holds each person's country, school, languages and tags as small integers or bit masks,
with the sparse rules (avoid, met before, organiser "never" pins) and requests as sets; `Pair` is
a meeting of two positions, smaller first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from matching.policy import country_cap, school_key
from matching.types import EventSettings, Participant, Sector

Pair = tuple[int, int]


def pair(i: int, j: int) -> Pair:
    return (i, j) if i < j else (j, i)


@dataclass
class Index:
    """Participants as integer arrays (positions in `people`), for fast pair checks."""

    people: list[Participant]
    settings: EventSettings
    pos: dict[str, int]
    country: list[int]
    country_codes: list[str]
    school: list[int]
    lang: list[int]
    interests: list[int]
    programmes: list[int]
    sector: list[int]
    requests: list[frozenset[int]]
    avoid: list[frozenset[int]]
    never: set[Pair] = field(default_factory=set)
    met: set[Pair] = field(default_factory=set)

    @property
    def n(self) -> int:
        return len(self.people)

    @cached_property
    def arrays(self) -> Arrays:
        return Arrays(
            country=np.array(self.country, dtype=np.int64),
            school=np.array(self.school, dtype=np.int64),
            lang=mask_array(self.lang),
            interests=mask_array(self.interests),
            programmes=mask_array(self.programmes),
            sector=np.array(self.sector, dtype=np.int64),
        )

    @cached_property
    def excluded(self) -> list[frozenset[int]]:
        """Per person, those the sparse rules rule out: avoid (either way), met, never pins."""
        out: list[set[int]] = [set(a) for a in self.avoid]
        for i, avoided in enumerate(self.avoid):
            for j in avoided:
                out[j].add(i)
        for i, j in self.met | self.never:
            out[i].add(j)
            out[j].add(i)
        return [frozenset(s) for s in out]

    @cached_property
    def requested(self) -> list[tuple[IntArray, IntArray]]:
        """Per person i: (sorted j, how many of i and j requested the other), for bonuses."""
        counts: list[dict[int, int]] = [dict.fromkeys(r, 1) for r in self.requests]
        for i, wanted in enumerate(self.requests):
            for j in wanted:
                counts[j][i] = counts[j].get(i, 0) + 1
        out = []
        for c in counts:
            js = np.array(sorted(c), dtype=np.int64)
            out.append((js, np.array([c[j] for j in js.tolist()], dtype=np.int64)))
        return out

    def allowed(self, i: int, j: int) -> bool:
        """Pairwise hard rules H1-H5 plus organiser 'never' pins."""
        if i == j or self.school[i] == self.school[j] or not self.lang[i] & self.lang[j]:
            return False
        if self.country[i] == self.country[j] and country_cap(self.settings) == 1:
            return False
        if j in self.avoid[i] or i in self.avoid[j]:
            return False
        key = pair(i, j)
        return key not in self.met and key not in self.never

    def score(self, i: int, j: int) -> int:
        w = self.settings.weights
        s = w.same_sector if self.sector[i] == self.sector[j] else 0
        s += w.shared_interest * min(
            (self.interests[i] & self.interests[j]).bit_count(), w.max_shared_interests
        )
        s += w.shared_programme * min(
            (self.programmes[i] & self.programmes[j]).bit_count(), w.max_shared_programmes
        )
        s += w.request * ((j in self.requests[i]) + (i in self.requests[j]))
        return s


IntArray = NDArray[np.int64]
# Bit masks: one int64 per person while every value fits in 63 bits (the usual case: seven
# countries' languages, a dozen tags); else one row of uint64 words per person, since tags are
# free text and an event can use more than 63 of them.
MaskArray = NDArray[np.int64] | NDArray[np.uint64]


@dataclass(frozen=True)
class Arrays:
    """The Index's per-person columns as numpy arrays (bit masks for languages and tags)."""

    country: IntArray
    school: IntArray
    lang: MaskArray
    interests: MaskArray
    programmes: MaskArray
    sector: IntArray


def mask_array(masks: Sequence[int]) -> MaskArray:
    """Per-person bit masks as an array: 1-D int64 if they fit in 63 bits, else 2-D words."""
    width = max((m.bit_length() for m in masks), default=0)
    if width < 64:
        return np.array(masks, dtype=np.int64)
    words = (width + 63) // 64
    low = (1 << 64) - 1
    return np.array([[(m >> (64 * w)) & low for w in range(words)] for m in masks], dtype=np.uint64)


def share_any(masks: MaskArray, others: IntArray, i: int) -> NDArray[np.bool_]:
    """Whether each of `others` has a bit in common with i."""
    nonzero: NDArray[np.bool_] = (masks[others] & masks[i]) != 0
    return nonzero if nonzero.ndim == 1 else np.any(nonzero, axis=1)


def shared_count(masks: MaskArray, others: IntArray, i: int) -> IntArray:
    """How many bits each of `others` has in common with i."""
    counts: IntArray = np.bitwise_count(masks[others] & masks[i]).astype(np.int64)
    return counts if counts.ndim == 1 else counts.sum(axis=1)


def _interner() -> dict[str, int]:
    return {}


def _mask(values: Iterable[str], table: dict[str, int]) -> int:
    m = 0
    for v in sorted(values):  # sorted: the same bits for the same event in every run
        m |= 1 << table.setdefault(v, len(table))
    return m


def build_index(
    people: Sequence[Participant],
    settings: EventSettings,
    *,
    never: Iterable[tuple[str, str]] = (),
    met: Iterable[tuple[str, str]] = (),
) -> Index:
    pos = {p.id: k for k, p in enumerate(people)}
    countries, schools, langs, tags, progs = (_interner() for _ in range(5))
    sectors = {s: k for k, s in enumerate(Sector)}
    ix = Index(
        people=list(people),
        settings=settings,
        pos=pos,
        country=[countries.setdefault(p.country, len(countries)) for p in people],
        country_codes=[],
        school=[schools.setdefault(school_key(p), len(schools)) for p in people],
        lang=[_mask(p.languages, langs) for p in people],
        interests=[_mask(p.interests, tags) for p in people],
        programmes=[_mask(p.programmes, progs) for p in people],
        sector=[sectors[p.sector] for p in people],
        requests=[frozenset(pos[r] for r in p.requests if r in pos) for p in people],
        avoid=[frozenset(pos[r] for r in p.avoid if r in pos) for p in people],
    )
    ix.country_codes = sorted(countries, key=countries.__getitem__)
    ix.never = {pair(pos[a], pos[b]) for a, b in never if a in pos and b in pos}
    ix.met = {pair(pos[a], pos[b]) for a, b in met if a in pos and b in pos}
    return ix
