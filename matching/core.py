"""Plans a run of rounds for a set of people, whatever came before (the shared engine of
plan_event and replan).

Room size 2: choose the meeting set with CP-SAT, split it into rounds, cut off sets that cannot
be split and re-solve (matching.decomposition); a round-by-round greedy plan is both the hint and
the fallback. Rooms of 3-6: the greedy, then an event-wide anneal
(matching.group_plan). Either way the bound comes from the relaxation (CP-SAT's own bound
when the graph is complete, else the Lagrangian bound of matching.bounds); group rooms also
get the room LP of matching.room_bound in the time left, and the smaller bound is kept.
"""

from __future__ import annotations

import copy
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from matching import notes as planner_notes
from matching.decomposition import RESTRICT_FROM, decompose
from matching.euler_split import split_in_rounds
from matching.feasibility import max_seated
from matching.greedy import plan_greedy, repair_rounds
from matching.group_plan import GROUP_SEARCH_MAX, improve_groups, keep_rounds
from matching.meetings import MeetingChoice
from matching.pairs import Graph, build_graph
from matching.participant_index import Index, Pair, pair
from matching.pin_dealing import deal_anytime
from matching.pin_repair import repair_pins
from matching.plan_state import Rooms, State
from matching.planned import evaluate, honours, key, pairs_of, ranking
from matching.policy import country_cap
from matching.pricing import Budget, ColumnGeneration, restricted
from matching.room_bound import plan_bound
from matching.small_seating import SMALL_MAX, seat_all_rounds
from matching.types import ProgressInfo

EDGE_LIMIT = 5_000  # above this many allowed pairs, keep each person's best candidates only
LEAD = 1000  # bonus that makes a round-by-round plan take the meetings it is led to
# Rooms of 2: column generation stops early only if the next solve would leave less than this
# share of the limit (n = 5,000: seven passes converge it by 63 s of 120 s; n = 1,000: 1 s).
PRICING_KEEP_FREE = 0.3
ROOM_LP_MIN_S = 0.2  # group rooms: the room LP is not started with less time left
ROOM_LP_MAX = 400  # nor for more people (n = 1000: one pricing pass takes over 10 s)
CP_SEATING_SHARE = 0.5  # of the time left, at most, for seating start rounds by CP-SAT
SMALL_SHARE = 0.2  # of the time left, at most, for seating a small group event at once


@dataclass
class Outcome:
    rounds: list[Rooms]
    bound: int  # proven bound on the score gained in these rounds
    optimal: bool = False
    notes: list[str] = field(default_factory=list)


def plan_rounds(
    ix: Index,
    people: Sequence[int],
    n_rounds: int,
    state: State,
    *,
    base_score: dict[int, int],
    together: dict[int, list[Pair]],
    anytime: Sequence[Pair],
    hint: set[Pair] | None,
    time_limit_s: float,
    seed: int,
    workers: int,
    progress: Callable[[ProgressInfo], None] | None,
    previous: Sequence[Rooms] = (),
) -> Outcome:
    budget = Budget(time.monotonic(), time_limit_s)
    k = ix.settings.room_size
    pinned_rounds = {**{p: r for r, ps in together.items() for p in ps}}
    greedy_together = deal_anytime(ix, together, anytime, n_rounds)
    # Large events keep each person's best partners only. Twice the most anyone can meet: with
    # just 16 for rooms of 5 (up to 20 meetings) the pair bound at n = 1000 was 105,181; 61,307
    # with 40, as the left-out pairs' reduced costs no longer dominate it.
    graph = build_graph(
        ix, people, edge_limit=EDGE_LIMIT, keep=max(4 * n_rounds, 16, 2 * n_rounds * k)
    )
    searched = k > 2 and len(people) <= GROUP_SEARCH_MAX  # improve_groups then takes over
    # Group rooms: the round-by-round start seats large events well, the event-wide search
    # does better with the time on small ones (measured at n = 60, 200 and 1000).
    greedy_share = (0.1 if len(people) < 500 else 0.25) if searched else 0.6
    greedy_edges = [(i, j, s) for (i, j), s in zip(graph.edges, graph.scores, strict=True)]

    def round_by_round(
        edges: Sequence[tuple[int, int, int]],
        limit_s: float,
        by_round: Sequence[Sequence[tuple[int, int, int]]] = (),
    ) -> list[Rooms]:
        return plan_greedy(
            ix, people, n_rounds, copy.deepcopy(state), together=greedy_together, seed=seed,
            time_limit_s=limit_s, edges=edges, edges_by_round=by_round,
            # Many rounds (20 at 100 people: 6.5 s of CP-SAT models against a 3 s limit):
            # past half the time left, the rest are seated without it.
            seat_by_cp_until=time.monotonic() + budget.left() * CP_SEATING_SHARE,
        )  # fmt: skip

    def standing(rounds: list[Rooms]) -> tuple[int, ...]:
        """Pins kept first, then the plan's ranking (matching.planned)."""
        return honours(rounds, together, anytime), *ranking(ix, state, rounds, people, base_score)

    if searched and len(previous) == n_rounds:
        # Group re-plan: start from the previous rounds without the absent. Building rounds
        # afresh took 2.2 s of a 5 s limit at n = 1000, and the search ended lower from it
        # (n = 60-1000, rooms of 3-5; docs/benchmarks.md).
        greedy = keep_rounds(ix, people, previous, copy.deepcopy(state), greedy_together, seed)
    else:
        greedy = round_by_round(
            greedy_edges,
            budget.left() * greedy_share
            if k > 2
            else min(budget.left() * 0.15, 0.02 * len(people) ** 0.5),
        )
    if searched and len(people) <= SMALL_MAX:
        greedy = _seat_small(
            ix, people, n_rounds, state, greedy_together, greedy, budget, seed, workers
        )
    if searched:
        improved = improve_groups(
            ix,
            people,
            greedy,
            copy.deepcopy(state),
            together=greedy_together,
            seed=seed,
            deadline=time.monotonic() + budget.left() * 0.9 - _bound_s(len(people)),
            base_score=base_score,
            workers=workers,
        )
        if standing(improved) >= standing(greedy):
            greedy = improved  # never worse than the greedy plan it started from
    if k == 2 and len(previous) == n_rounds:
        # Re-plan: the previous rounds with only the broken rooms re-paired.
        repaired = repair_rounds(
            ix, people, previous, copy.deepcopy(state), edges=greedy_edges, seed=seed
        )
        mine = (honours(repaired, together, anytime), *key(evaluate(ix, state, repaired, people)))
        theirs = (honours(greedy, together, anytime), *key(evaluate(ix, state, greedy, people)))
        if mine >= theirs:
            greedy = repaired
    if progress:
        value = evaluate(ix, state, greedy, people)[1]
        progress(ProgressInfo("greedy", time.monotonic() - budget.start, value))
    best = greedy
    choice: MeetingChoice | None = None
    notes: list[str] = []
    forced = {pair(*p) for p in [*pinned_rounds, *anytime]}
    graph = _with_edges(ix, graph, forced)
    # The LP bound for plans that seat everyone every round, with column generation. Group
    # rooms need it only if their plan seats everyone (below): at n = 1000 it takes 0.7 s.
    target = 0
    lp: ColumnGeneration | None = None
    if k == 2:
        lp = ColumnGeneration(ix, graph, n_rounds, state, people)
        target = lp.run(budget, keep_free=PRICING_KEEP_FREE)
        graph, support, whole = lp.graph, lp.support, lp.whole
        fill_s = 0.05 * len(people) ** 0.5
        planned = pairs_of(greedy)
        if len(people) > RESTRICT_FROM and budget.left() >= 2 * fill_s:
            # Large events: the LP's whole meetings, split into rounds, guide a round-by-round
            # plan (at n = 5,000 the meeting model below finds no meeting set in time).
            lead = lead_edges(graph, whole, n_rounds)
            led = round_by_round((), fill_s, lead) if lead is not None else None
            if led is not None and standing(led) > standing(greedy):
                greedy = best = led
                planned |= pairs_of(led)
        # The plans' meetings join the graph: the round-by-round matching may use pairs the
        # pruned graph left out, and the meeting model's hint must be feasible.
        graph = _with_edges(ix, graph, planned)
        search = graph
        if len(people) > RESTRICT_FROM:
            # Large events: CP-SAT searches the LP's support plus the plans' meetings (both
            # plans': with the LP-led plan's alone, at n = 1,000 its best total was lower).
            search = restricted(graph, support | planned | forced)
        choice, split = decompose(
            ix, search, n_rounds, state, base_score, forced, pinned_rounds,
            hint if hint is not None else pairs_of(greedy), budget, seed, workers, progress, notes,
            target,
        )  # fmt: skip
        if split is None and choice is not None and budget.left() >= 0.5 * fill_s:
            # Guided round-by-round: the chosen meetings first, other pairs to fill the gaps.
            # (Not when too little time is left: the greedy plan then stands.)
            chosen = set(choice.edges)
            guided = [
                (i, j, s + LEAD * ((i, j) in chosen))
                for (i, j), s in zip(graph.edges, graph.scores, strict=True)
            ]
            filled = round_by_round(guided, min(budget.left(), fill_s))
            notes.append(planner_notes.FILLED_ROUND_BY_ROUND)
            split = [[tuple(room) for room in rooms] for rooms in filled]
        if split is not None:
            cand = [[list(room) for room in rooms] for rooms in split]
            if standing(cand) > standing(greedy):
                best = cand
            else:
                notes.append(planner_notes.ROUND_BY_ROUND_AT_LEAST_AS_GOOD)
    if k > 2 and not honours(best, together, anytime):
        best = repair_pins(ix, [[list(room) for room in rooms] for rooms in best], state, together)
    sit, total = evaluate(ix, state, best, people)
    seated_per_round = [sum(len(room) for room in rooms) for rooms in best]
    if sit == 0 and seated_per_round == [len(people)] * n_rounds:
        if lp is None:  # group rooms
            lp = ColumnGeneration(ix, graph, n_rounds, state, people)
            target = lp.run(budget, keep_free=0.05)
        bound = target
        if not lp.converged and budget.left() > max(0.1 * budget.limit, 1.5 * lp.last_s):
            # Time left: more column generation tightens the proven bound. (Not when the next
            # solve would not fit: at n = 5,000 one can take 18-23 s.)
            lp.include(graph)
            bound = min(bound, lp.run(budget, keep_free=0.05))
    else:
        lp = ColumnGeneration(ix, graph, n_rounds, state, people, plan=best)
        bound = lp.run(budget, keep_free=0)
    if k > 2 and budget.left() > ROOM_LP_MIN_S and len(people) <= ROOM_LP_MAX:
        # The room LP (rooms are cliques) in the time left. It bounds every plan seating at
        # least as many person-rounds as this one; the pair bound above, plans seated alike.
        room = plan_bound(
            ix, people, n_rounds, state.met_countries, best,
            deadline=time.monotonic() + budget.left(),
        )  # fmt: skip
        if room is not None:
            bound = min(bound, room)
    if (
        choice is not None
        and graph.exact
        and choice.total == total
        and sum(choice.sit.values()) == sit
    ):
        bound = min(bound, choice.bound)
    bound = max(
        bound, total
    )  # only if a rounding slack hid it; the relaxation is never below a plan
    return Outcome(best, bound, optimal=bound == total, notes=notes)


def _seat_small(
    ix: Index,
    people: Sequence[int],
    n_rounds: int,
    state: State,
    together: dict[int, list[Pair]],
    start: list[Rooms],
    budget: Budget,
    seed: int,
    workers: int,
) -> list[Rooms]:
    """Small group events: every round's seating chosen at once (matching.small_seating) where
    it seats more than the round-by-round `start`, which is returned otherwise (also when no
    round can seat more than it does)."""
    seats = sum(len(room) for rooms in start for room in rooms)
    counts = Counter(ix.country[p] for p in people)
    most = max_seated(
        list(counts.values()), len(people), ix.settings.room_size, country_cap(ix.settings)
    )
    if seats >= n_rounds * most:
        return start
    found = seat_all_rounds(
        ix, people, n_rounds, state, together, start,
        time_limit_s=budget.left() * SMALL_SHARE, seed=seed, workers=workers,
    )  # fmt: skip
    if found is None or sum(len(room) for rooms in found for room in rooms) <= seats:
        return start
    return found


def _bound_s(n: int) -> float:
    """Time kept for the pair bound after a group search: its LP grows faster than n (dual
    simplex, 2 cores: 1.5 s at n = 1,000 with rooms of 4, 23 s at 5,000)."""
    return 0.0015 * n * float(max(1.0, n / 1000) ** 0.7)


def _with_edges(ix: Index, graph: Graph, extra: set[Pair]) -> Graph:
    known = set(graph.edges)
    missing = [e for e in extra if e not in known and ix.allowed(*e)]
    if not missing:
        return graph
    edges = graph.edges + missing
    return Graph(graph.nodes, edges, graph.scores + [ix.score(*e) for e in missing], graph.exact)


def lead_edges(
    graph: Graph, whole: set[Pair], n_rounds: int
) -> list[list[tuple[int, int, int]]] | None:
    """Each round's edges for a round-by-round plan led by the LP's whole meetings, split into
    rounds along Euler circuits (matching.euler_split): that round's share gets a bonus of
    LEAD. None where the round count is not a power of two."""
    score = dict(zip(graph.edges, graph.scores, strict=True))
    meetings = sorted(e for e in whole if e in score)
    split = split_in_rounds(meetings, [score[e] for e in meetings], n_rounds)
    if split is None:
        return None
    lead = [set(rooms) for rooms in split]
    return [[(i, j, s + LEAD * ((i, j) in mine)) for (i, j), s in score.items()] for mine in lead]
