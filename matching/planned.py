"""Helpers on planned rounds (lists of rooms of participant indices): score, pins, order."""

from __future__ import annotations

from collections.abc import Sequence

from matching.greedy import Rooms, State
from matching.pairs import Index, Pair, pair


def evaluate(
    ix: Index, state: State, rounds: Sequence[Rooms], people: Sequence[int]
) -> tuple[int, int]:
    """(sit-outs, score) of planned rounds on top of `state`."""
    met_countries = {v: set(c) for v, c in state.met_countries.items()}
    total = sit = 0
    w = ix.settings.weights.new_country
    for rooms in rounds:
        seated = {v for room in rooms for v in room}
        sit += sum(1 for v in people if v not in seated)
        for room in rooms:
            for x, a in enumerate(room):
                for b in room[x + 1 :]:
                    total += ix.score(a, b)
            for a in room:
                new = {ix.country[b] for b in room if b != a} - met_countries[a]
                total += w * len(new)
                met_countries[a] |= new
    return sit, total


def ranking(
    ix: Index,
    state: State,
    rounds: Sequence[Rooms],
    people: Sequence[int],
    base_score: dict[int, int],
) -> tuple[int, int]:
    """How plans are ranked: (-sit-outs, total + fairness x the worst-off person's score)."""
    sit, total = evaluate(ix, state, rounds, people)
    fairness = ix.settings.weights.fairness
    if fairness == 0:
        return -sit, total
    own = {v: base_score.get(v, 0) for v in people}
    met_countries = {v: set(c) for v, c in state.met_countries.items()}
    for rooms in rounds:
        for room in rooms:
            for a in room:
                new = {ix.country[b] for b in room if b != a} - met_countries[a]
                met_countries[a] |= new
                own[a] += sum(ix.score(a, b) for b in room if b != a)
                own[a] += ix.settings.weights.new_country * len(new)
    return -sit, total + fairness * min(own.values(), default=0)


def pairs_of(rounds: Sequence[Rooms]) -> set[Pair]:
    return {pair(a, b) for rooms in rounds for room in rooms for a in room for b in room if a < b}


def honours(
    plan: Sequence[Rooms], together: dict[int, list[Pair]], anytime: Sequence[Pair]
) -> bool:
    """Whether the planned rounds keep the organiser's must-meet pins."""
    met = [{pair(a, b) for room in rooms for a in room for b in room if a < b} for rooms in plan]
    in_round = all(pair(*p) in met[r] for r, ps in together.items() if r < len(met) for p in ps)
    return in_round and all(any(pair(*p) in m for m in met) for p in anytime)


def key(value: tuple[int, int]) -> tuple[int, int]:
    sit, total = value
    return (-sit, total)
