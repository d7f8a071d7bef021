"""The country-by-country meeting matrix of a plan, laid out for an inline SVG heatmap.

Every cell carries its number as text, so nothing is told by colour alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

CELL = 44
LABEL = 48


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    count: int
    fill: str
    text_fill: str
    row: str
    col: str


@dataclass(frozen=True)
class Heatmap:
    countries: list[str]
    cells: list[Cell]
    size: int
    total_meetings: int
    max_count: int

    @property
    def label_offset(self) -> int:
        return LABEL

    @property
    def cell(self) -> int:
        return CELL


def meeting_counts(rooms: Iterable[Sequence[str]]) -> Counter[tuple[str, str]]:
    """Meetings per unordered country pair; each room of k people holds k*(k-1)/2 meetings."""
    counts: Counter[tuple[str, str]] = Counter()
    for countries in rooms:
        for a, b in combinations(countries, 2):
            counts[(a, b)] += 1
            if a != b:
                counts[(b, a)] += 1
    return counts


def _shade(count: int, top: int) -> tuple[str, str]:
    """Light to dark blue; dark cells get white text (contrast stays above 4.5:1 either way)."""
    if count == 0 or top == 0:
        return "#ffffff", "#1a1a1a"
    share = count / top
    steps = [("#dbe9f6", "#1a1a1a"), ("#9cc3e6", "#1a1a1a"), ("#2f6aa8", "#ffffff")]
    steps.append(("#0b3f75", "#ffffff"))
    index = min(len(steps) - 1, int(share * len(steps) - 1e-9))
    return steps[index]


def build(rooms: Iterable[Sequence[str]]) -> Heatmap:
    """Lay out the matrix for the given rooms (each room: its members' country codes)."""
    room_list = [list(room) for room in rooms]
    countries = sorted({c for room in room_list for c in room})
    counts = meeting_counts(room_list)
    top = max(counts.values(), default=0)
    cells = []
    for i, row in enumerate(countries):
        for j, col in enumerate(countries):
            count = counts.get((row, col), 0)
            fill, text_fill = _shade(count, top)
            cells.append(Cell(LABEL + j * CELL, LABEL + i * CELL, count, fill, text_fill, row, col))
    total = sum(len(r) * (len(r) - 1) // 2 for r in room_list)
    return Heatmap(countries, cells, LABEL + CELL * len(countries), total, top)
