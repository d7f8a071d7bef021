"""The short human explanation of why a room suits one participant."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from matching.codes import COUNTRY_NAMES
from matching.types import Participant

_SECTOR_NOUN = {"primary": "primary", "secondary": "secondary", "specialised": "specialised"}


def country_name(code: str) -> str:
    return COUNTRY_NAMES.get(code, code)


def explain(
    a: Participant, room_mates: Sequence[Participant], met_countries_before: Iterable[str]
) -> str:
    """E.g. "both specialised schools; shared: inclusion; first meeting with Denmark"."""
    parts: list[str] = []
    same = [m for m in room_mates if m.sector == a.sector]
    sector = _SECTOR_NOUN[a.sector.value]
    if same and len(same) == len(room_mates) == 1:
        parts.append(f"both {sector} schools")
    elif same and len(same) == len(room_mates):
        parts.append(f"all {sector} schools")
    elif same:
        parts.append(f"{len(same)} of {len(room_mates)} also from {sector} schools")
    shared_interests = sorted({t for m in room_mates for t in a.interests & m.interests})
    if shared_interests:
        parts.append("shared: " + ", ".join(shared_interests))
    shared_programmes = sorted({t for m in room_mates for t in a.programmes & m.programmes})
    if shared_programmes:
        parts.append("same programme: " + ", ".join(shared_programmes))
    asked = [m.name for m in room_mates if m.id in a.requests]
    if asked:
        parts.append("you asked to meet " + ", ".join(asked))
    asked_by = [m.name for m in room_mates if a.id in m.requests and m.id not in a.requests]
    if asked_by:
        parts.append(", ".join(asked_by) + " asked to meet you")
    seen = set(met_countries_before) | {a.country}
    new: list[str] = []
    for m in room_mates:
        if m.country not in seen:
            seen.add(m.country)
            new.append(country_name(m.country))
    if new:
        parts.append("first meeting with " + ", ".join(new))
    common = sorted(set.intersection(*(set(m.languages) for m in room_mates)) & a.languages)
    if not parts and common:
        parts.append("common language: " + ", ".join(common))
    return "; ".join(parts) if parts else "a new contact from another school"
