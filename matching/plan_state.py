"""The working shapes of a plan in progress: a round's rooms, and what earlier rounds fixed.

Both hold positions in the participant list (matching.participant_index), not ids.
"""

from __future__ import annotations

from dataclasses import dataclass

from matching.participant_index import Pair

Rooms = list[list[int]]


@dataclass
class State:
    """What earlier rounds fixed: pairs met, countries met per person, sit-outs per person."""

    met: set[Pair]
    met_countries: dict[int, set[int]]
    sat_out: dict[int, int]
