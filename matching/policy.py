"""Policy v1: hard rules H1-H5 for a pair and the pair score s(a, b); the policy's one home."""

from __future__ import annotations

from matching.types import EventSettings, Participant, Weights


def school_key(p: Participant) -> str:
    return " ".join(p.school.split()).casefold()


def country_cap(settings: EventSettings) -> int | None:
    """How many people of one country may share a room (None: no limit)."""
    if settings.max_per_country is not None:
        return settings.max_per_country
    return 1 if settings.distinct_countries else None


def pair_conflict(a: Participant, b: Participant, settings: EventSettings) -> str | None:
    """Why a and b may never share a room (H1, H2 when the cap is 1, H3, H5), or None."""
    if school_key(a) == school_key(b):
        return "same school"  # H1
    if a.country == b.country and country_cap(settings) == 1:
        return "same country"  # H2
    if not a.languages & b.languages:
        return "no shared language"  # H3
    if b.id in a.avoid or a.id in b.avoid:
        return "asked not to meet"  # H5
    return None


def pair_score(a: Participant, b: Participant, weights: Weights) -> int:
    """s(a, b): same sector, shared interests (capped), shared programmes (capped), requests."""
    score = weights.same_sector if a.sector == b.sector else 0
    score += weights.shared_interest * min(
        len(a.interests & b.interests), weights.max_shared_interests
    )
    score += weights.shared_programme * min(
        len(a.programmes & b.programmes), weights.max_shared_programmes
    )
    score += weights.request * ((b.id in a.requests) + (a.id in b.requests))
    return score
