"""Inputs and outputs of the planner: frozen dataclasses, ids are str, rounds and rooms 1-based."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Sector(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    SPECIALISED = "specialised"


@dataclass(frozen=True)
class Participant:
    """One person to seat. Tags are already normalised (trimmed, lower-case)."""

    id: str
    name: str
    school: str
    country: str  # ISO 3166-1 alpha-2, upper-case
    sector: Sector
    languages: frozenset[str]  # ISO 639-1, lower-case, at least one
    interests: frozenset[str] = frozenset()
    programmes: frozenset[str] = frozenset()
    requests: frozenset[str] = frozenset()  # ids this person hopes to meet
    avoid: frozenset[str] = frozenset()  # ids this person must never be seated with
    email: str = ""


@dataclass(frozen=True)
class Weights:
    """Policy v1 weights; every number is configurable per event."""

    same_sector: int = 3
    shared_interest: int = 2
    max_shared_interests: int = 3
    shared_programme: int = 1
    max_shared_programmes: int = 2
    request: int = 4  # per direction: a requested b, b requested a
    new_country: int = 1  # diversity bonus per room-mate from a country not met before
    # Fairness trade-off: total points the plan may give up per point more for the worst-off
    # participant. 0 = the total first (ties broken for the worst-off); higher = protect them more.
    fairness: int = 5


@dataclass(frozen=True)
class EventSettings:
    rounds: int = 4
    room_size: int = 2  # 2..6; (seated mod room_size) rooms get one extra person
    distinct_countries: bool = True  # H2: no two people from one country in a room
    # Relaxed H2 for group rooms: at most this many per country in a room (None = H2 as set).
    max_per_country: int | None = None
    weights: Weights = field(default_factory=Weights)


@dataclass(frozen=True)
class Pin:
    """An organiser's instruction: two people must meet (in `round`, or any round) or never."""

    a: str
    b: str
    together: bool  # True: must meet; False: never in one room
    round: int | None = None


@dataclass(frozen=True)
class Room:
    number: int
    participants: tuple[str, ...]
    # participant id -> short human explanation of why this room suits them
    explanations: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class RoundPlan:
    number: int
    rooms: tuple[Room, ...]
    sitting_out: tuple[str, ...] = ()


@dataclass(frozen=True)
class Score:
    total: int
    pair: int
    diversity: int
    min_participant: int
    violations: int
    sit_outs: int


@dataclass(frozen=True)
class Unplaceable:
    """Someone who cannot be seated in a valid room at all, and why."""

    participant_id: str
    reason: str


@dataclass(frozen=True)
class Plan:
    rounds: tuple[RoundPlan, ...]
    score: Score
    upper_bound: int  # proven bound on score.total
    elapsed_s: float
    unplaceable: tuple[Unplaceable, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProgressInfo:
    """Reported while planning: the phase, the best total so far and the proven bound."""

    phase: str
    elapsed_s: float
    objective: int | None = None
    bound: int | None = None
    message: str = ""
