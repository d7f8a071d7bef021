"""Helpers on planned rounds (lists of rooms of participant indices): score, pins, order."""

from __future__ import annotations

from collections.abc import Sequence

from matching.participant_index import Index, Pair, pair
from matching.plan_state import Rooms, State


def _walk(
    ix: Index, state: State, rounds: Sequence[Rooms], people: Sequence[int]
) -> tuple[int, int, dict[int, int]]:
    """(sit-outs, total, each person's own score in these rounds) on top of `state`."""
    met_countries = {v: set(c) for v, c in state.met_countries.items()}
    own = dict.fromkeys(people, 0)
    total = sit = 0
    w = ix.settings.weights.new_country
    for rooms in rounds:
        seated = {v for room in rooms for v in room}
        sit += sum(1 for v in people if v not in seated)
        for room in rooms:
            for x, a in enumerate(room):
                for b in room[x + 1 :]:
                    s = ix.score(a, b)
                    total += s
                    own[a] = own.get(a, 0) + s
                    own[b] = own.get(b, 0) + s
            for a in room:
                new = {ix.country[b] for b in room if b != a} - met_countries[a]
                total += w * len(new)
                own[a] = own.get(a, 0) + w * len(new)
                met_countries[a] |= new
    return sit, total, own


def evaluate(
    ix: Index, state: State, rounds: Sequence[Rooms], people: Sequence[int]
) -> tuple[int, int]:
    """(sit-outs, score) of planned rounds on top of `state`."""
    sit, total, _ = _walk(ix, state, rounds, people)
    return sit, total


def ranking(
    ix: Index,
    state: State,
    rounds: Sequence[Rooms],
    people: Sequence[int],
    base_score: dict[int, int],
) -> tuple[int, int]:
    """How plans are ranked: (-sit-outs, total + fairness x the worst-off person's score)."""
    sit, total, own = _walk(ix, state, rounds, people)
    fairness = ix.settings.weights.fairness
    if fairness == 0:
        return -sit, total
    worst = min((base_score.get(v, 0) + own[v] for v in people), default=0)
    return -sit, total + fairness * worst


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
