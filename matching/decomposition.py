"""Room size 2: choose the meeting set with CP-SAT, then split it into rounds, until a split exists.

The meeting model (matching.meetings) picks who meets whom over the whole event; the split
(matching.rounds) colours those meetings into rounds. A choice that cannot be split gets its odd
sets cut off (matching.cuts), or a few of its meetings swapped, and the model is solved again.
Sit-outs are allowed step by step: only where a person lacks partners, then at most one each,
then freely.
"""

from __future__ import annotations

from collections.abc import Callable

from matching import notes as planner_notes
from matching.cuts import candidate_triangles, odd_groups
from matching.meetings import MeetingChoice, MeetingProblem, solve_meetings
from matching.pairs import Graph
from matching.participant_index import Index, Pair
from matching.plan_state import State
from matching.policy import country_cap
from matching.pricing import Budget
from matching.rounds import split_rounds
from matching.types import ProgressInfo

MAX_SPLIT_ATTEMPTS = 8
RESTRICT_FROM = 300  # larger events search only the LP support (matching.core), more briefly
TRIANGLES = 60  # candidate rooms of three given to the meeting model


def decompose(
    ix: Index,
    graph: Graph,
    n_rounds: int,
    state: State,
    base_score: dict[int, int],
    forced: set[Pair],
    pinned_rounds: dict[Pair, int],
    hint: set[Pair],
    budget: Budget,
    seed: int,
    workers: int,
    progress: Callable[[ProgressInfo], None] | None,
    notes: list[str],
    target: int,
) -> tuple[MeetingChoice | None, list[list[tuple[int, ...]]] | None]:
    """The chosen meetings and their split into rounds (None where none was found in time);
    `notes` says why; `target` is the LP bound, at which CP-SAT may stop."""
    around = graph.neighbours()
    cap = country_cap(ix.settings)
    nodes = graph.nodes
    sit_min = {v: max(0, n_rounds - len(around[v])) for v in nodes}
    top = sum(sorted(graph.scores, reverse=True)[: len(nodes) * (n_rounds + 1)])
    problem = MeetingProblem(
        graph=graph,
        rounds=n_rounds,
        country=ix.country,
        met_countries={v: set(state.met_countries[v]) for v in nodes},
        base_score=base_score,
        sit_min=sit_min,
        sit_max=sit_min,
        triples=(0, n_rounds),
        triangles=[],
        tri_max=1 if len(nodes) >= 3 * n_rounds else n_rounds,
        forced={e for e in forced if e in set(graph.edges)},
        weights=ix.settings.weights,
        penalty=top + ix.settings.weights.new_country * n_rounds * len(nodes) + 1,
    )
    # Levels: sit-outs only where a person lacks partners; then at most one each; then free.
    levels = [
        dict(sit_min),
        {v: max(m, 1) for v, m in sit_min.items()},
        dict.fromkeys(nodes, n_rounds),
    ]
    level = 0
    problem.sit_max = levels[0]
    all_triangles = True
    if len(nodes) % 2 or any(sit_min.values()):
        problem.triangles, all_triangles = candidate_triangles(graph, TRIANGLES, ix.country, cap)
    if not any(sit_min.values()):
        t = n_rounds if len(nodes) % 2 else 0  # one room of three per round for odd counts
        problem.triples = (t, t)
        problem.target = target  # the LP bound is often tight: stop CP-SAT once it is reached

    def split_chosen(
        chosen: MeetingChoice, share: float, repair: dict[Pair, int] | None = None
    ) -> list[list[tuple[int, ...]]] | None:
        """The chosen meetings split into rounds in `share` of the time left (None if not)."""
        return split_rounds(
            nodes, chosen.edges, n_rounds, chosen.sit, chosen.tri, chosen.triangles,
            pinned_rounds, time_limit_s=budget.left() * share, seed=seed, workers=workers,
            repair=repair,
        )  # fmt: skip

    for attempt in range(MAX_SPLIT_ATTEMPTS + 2):
        choice = solve_meetings(
            problem,
            time_limit_s=budget.left() * (0.7 if len(nodes) <= RESTRICT_FROM else 0.45),
            seed=seed + attempt,
            workers=workers,
            hint=hint,
            progress=progress,
        )
        if choice is None and level < 2 and budget.left() > 0.1:
            level += 1
            problem.sit_max = levels[level]
            problem.triples = (0, n_rounds)
            problem.target = None
            if not problem.triangles:
                problem.triangles, all_triangles = candidate_triangles(
                    graph, TRIANGLES, ix.country, cap
                )
            continue
        if choice is None:
            notes.append(planner_notes.NO_MEETING_SOLUTION)
            return None, None
        odd = odd_groups(choice, nodes, n_rounds, seed + attempt)
        if odd:
            problem.odd_sets += odd
            hint = set(choice.edges)
            continue
        split = split_chosen(choice, 0.6)
        if split is not None:
            if not all_triangles:
                choice.bound = 10**12  # the model saw only some rooms of three: not a proof
            return choice, split
        if budget.left() < 0.15 * budget.limit:
            break  # building another split model would overrun the time limit
        if attempt >= 1 or budget.left() < 0.3 * budget.limit:
            # No split exists and no cut explains why: let the split swap a few meetings.
            spare = dict(zip(graph.edges, graph.scores, strict=True))
            split = split_chosen(choice, 0.7, repair=spare)
            if split is not None:
                notes.append(planner_notes.MEETINGS_SWAPPED)
                return choice, split
        problem.cuts.append(choice.edges)
        hint = set(choice.edges)
        if budget.left() < 0.1:
            break
    notes.append(planner_notes.NO_SPLIT_IN_TIME)
    return choice, None
