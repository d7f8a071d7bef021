"""The short human explanation of why a room suits one participant.

`facts` finds what is worth saying; `explain` says it in English (stored with the room, sent
to the pages). Pages in other languages word the same facts themselves (app.web.why).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from matching.codes import COUNTRY_NAMES
from matching.types import Participant

# Said, not explained: nobody to be matched with (the organiser moves someone in, or not).
ALONE = "alone in the room this round"


@dataclass(frozen=True)
class Facts:
    """What is worth saying about one room for one person."""

    sector: str
    same_sector: int  # room-mates from the same kind of school
    mates: int
    interests: tuple[str, ...]  # shared with any room-mate
    programmes: tuple[str, ...]
    asked: tuple[str, ...]  # names of room-mates this person asked to meet
    asked_by: tuple[str, ...]  # names of room-mates who asked to meet them (and not asked back)
    new_countries: tuple[str, ...]  # codes, in room order, of countries not met before
    common_languages: tuple[str, ...]  # codes; told only when nothing else is


def country_name(code: str) -> str:
    return COUNTRY_NAMES.get(code, code)


def facts(
    a: Participant, room_mates: Sequence[Participant], met_countries_before: Iterable[str]
) -> Facts:
    seen = set(met_countries_before) | {a.country}
    new: list[str] = []
    for m in room_mates:
        if m.country not in seen:
            seen.add(m.country)
            new.append(m.country)
    common = set.intersection(*(set(m.languages) for m in room_mates)) if room_mates else set()
    return Facts(
        sector=a.sector.value,
        same_sector=sum(1 for m in room_mates if m.sector == a.sector),
        mates=len(room_mates),
        interests=tuple(sorted({t for m in room_mates for t in a.interests & m.interests})),
        programmes=tuple(sorted({t for m in room_mates for t in a.programmes & m.programmes})),
        asked=tuple(m.name for m in room_mates if m.id in a.requests),
        asked_by=tuple(m.name for m in room_mates if a.id in m.requests and m.id not in a.requests),
        new_countries=tuple(new),
        common_languages=tuple(sorted(common & a.languages)),
    )


def explain(
    a: Participant, room_mates: Sequence[Participant], met_countries_before: Iterable[str]
) -> str:
    """E.g. "both specialised schools; shared: inclusion; first meeting with Denmark"."""
    if not room_mates:
        # A played round kept as it was may hold a room of one (an organiser's move left them).
        return ALONE
    return in_english(facts(a, room_mates, met_countries_before))


def in_english(f: Facts) -> str:
    parts: list[str] = []
    if f.same_sector and f.same_sector == f.mates == 1:
        parts.append(f"both {f.sector} schools")
    elif f.same_sector and f.same_sector == f.mates:
        parts.append(f"all {f.sector} schools")
    elif f.same_sector:
        parts.append(f"{f.same_sector} of {f.mates} also from {f.sector} schools")
    if f.interests:
        parts.append("shared: " + ", ".join(f.interests))
    if f.programmes:
        parts.append("same programme: " + ", ".join(f.programmes))
    if f.asked:
        parts.append("you asked to meet " + ", ".join(f.asked))
    if f.asked_by:
        parts.append(", ".join(f.asked_by) + " asked to meet you")
    if f.new_countries:
        parts.append("first meeting with " + ", ".join(map(country_name, f.new_countries)))
    if not parts and f.common_languages:
        parts.append("common language: " + ", ".join(f.common_languages))
    return "; ".join(parts) if parts else "a new contact from another school"
