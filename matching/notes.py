"""The planner's notes on how it solved (plan warnings that ask nothing of the organiser).

matching.core and matching.decomposition write them; the schedule page (app/web/plan_notes.py)
folds them away from the warnings by these texts. A note may gain detail after a colon, so the
page matches them as prefixes.
"""

from __future__ import annotations

FILLED_ROUND_BY_ROUND = "rounds were filled from the chosen meetings round by round"
ROUND_BY_ROUND_AT_LEAST_AS_GOOD = (
    "the round-by-round plan was at least as good as the decomposition"
)
NO_MEETING_SOLUTION = "the meeting model found no solution in time; used the round-by-round plan"
MEETINGS_SWAPPED = "a few chosen meetings were swapped to split them into rounds"
NO_SPLIT_IN_TIME = "the chosen meetings could not be split into rounds in time"

SOLVER_NOTES: tuple[str, ...] = (
    FILLED_ROUND_BY_ROUND,
    ROUND_BY_ROUND_AT_LEAST_AS_GOOD,
    NO_MEETING_SOLUTION,
    MEETINGS_SWAPPED,
    NO_SPLIT_IN_TIME,
)
