"""speedmatch's optimiser: plans every round of a partner-finding event. Pure: no web, no database."""

from matching.types import (
    EventSettings,
    Participant,
    Pin,
    Plan,
    Room,
    RoundPlan,
    Score,
    Sector,
    Unplaceable,
    Weights,
)

__all__ = [
    "EventSettings",
    "Participant",
    "Pin",
    "Plan",
    "Room",
    "RoundPlan",
    "Score",
    "Sector",
    "Unplaceable",
    "Weights",
]
