"""A proven lower bound on sit-outs per round in group rooms (3-6).

Two reasons force sit-outs. Someone may have no valid room at all (`feasibility.roomless`): they
sit out every round. The others fill at most `max_seated` seats a round under the country cap.
Neither looks at who met in the rounds being planned, so the bound holds in every round.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from matching.feasibility import max_seated
from matching.participant_index import Index
from matching.policy import country_cap


def forced_sit_outs(ix: Index, people: Sequence[int], never: Sequence[int] = ()) -> int:
    """At least this many of `people` sit out in every round; `never`: their roomless ones."""
    gone = set(never)
    rest = [p for p in people if p not in gone]
    counts = Counter(ix.country[p] for p in rest)
    k = ix.settings.room_size
    return len(people) - max_seated(list(counts.values()), len(rest), k, country_cap(ix.settings))
