"""What check_feasibility finds, one structured `Finding` each: who cannot be placed and why,
who must sit out some rounds, how many must sit out every round, and a setting to relax.
Callers decide by kind and word findings in their own language; each finding's English `text`
is the wording plans store (in warnings, or as an unplaceable person's reason) and the API
sends: it must not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from matching.codes import COUNTRY_NAMES


class FindingKind(StrEnum):
    """What a finding says."""

    # Cannot be placed at all (the text is the reason an Unplaceable carries):
    ALONE = "alone"  # the only participant
    NO_LANGUAGE = "no_language"  # lists no language
    NOBODY_SPEAKS = "nobody_speaks"  # nobody else speaks any of their languages
    NO_ROOM_MATE = "no_room_mate"  # every other person is ruled out, by the counts
    FEW_ROOM_MATES = "few_room_mates"  # fewer possible room-mates than a room needs
    NO_GROUP = "no_group"  # no room_size - 1 possible room-mates fit with each other
    # Sits out some rounds (a plan warning):
    FEW_PARTNERS = "few_partners"  # rooms of 2: fewer possible partners than rounds
    FEW_GROUPS = "few_groups"  # fewer disjoint groups of possible room-mates than rounds
    # Some must sit out every round (a plan warning):
    ROOM_SIZES = "room_sizes"  # rooms of k or k + 1 cannot hold everyone
    COUNTRY_SHARE = "country_share"  # one country has too many people for the country rule
    # A setting that would seat more (a plan warning, among the suggestions):
    RELAX_COUNTRY = "relax_country"


UNPLACEABLE_KINDS = frozenset(
    {
        FindingKind.ALONE,
        FindingKind.NO_LANGUAGE,
        FindingKind.NOBODY_SPEAKS,
        FindingKind.NO_ROOM_MATE,
        FindingKind.FEW_ROOM_MATES,
        FindingKind.NO_GROUP,
    }
)
# A finding that says someone sits out at least `rounds - count` rounds.
SOME_ROUNDS_KINDS = frozenset({FindingKind.FEW_PARTNERS, FindingKind.FEW_GROUPS})
# A finding that says `count` people must sit out in every round, not who.
EVERY_ROUND_KINDS = frozenset({FindingKind.ROOM_SIZES, FindingKind.COUNTRY_SHARE})


@dataclass(frozen=True)
class Finding:
    """One finding. `people`: the one person it is about (none for ROOM_SIZES, COUNTRY_SHARE,
    RELAX_COUNTRY). `room_size` is the event's k throughout. The numbers by kind: `count` is
    the possible room-mates (few_room_mates), the possible partners (few_partners), the most
    rounds with a room (few_groups) or how many must sit out every round (room_sizes,
    country_share); `rounds` the event's rounds (few_partners, few_groups); `total` the people
    who can be placed and `fit` how many of them rooms hold (room_sizes, country_share,
    relax_country); `country` and `country_count` the largest country and its people,
    `cap` the country rule's limit per room (country_share; relax_country: the limit
    suggested); `languages` the person's languages (nobody_speaks, no_room_mate); no_room_mate
    counts the others by why they are ruled out: `no_shared_language`, `same_country` (then
    `country` is the person's), `same_school`, `avoid`."""

    kind: FindingKind
    people: tuple[str, ...] = ()
    room_size: int = 0
    count: int = 0
    rounds: int = 0
    total: int = 0
    fit: int = 0
    country: str = ""
    country_count: int = 0
    cap: int = 0
    languages: tuple[str, ...] = ()
    no_shared_language: int = 0
    same_country: int = 0
    same_school: int = 0
    avoid: int = 0

    @property
    def person(self) -> str:
        return self.people[0] if self.people else ""

    @property
    def unplaceable(self) -> bool:
        return self.kind in UNPLACEABLE_KINDS

    @property
    def suggestion(self) -> bool:
        return self.kind is FindingKind.RELAX_COUNTRY

    @property
    def least_sit_outs(self) -> int:
        """few_partners, few_groups: the rounds the person sits out at least."""
        return self.rounds - self.count if self.kind in SOME_ROUNDS_KINDS else 0

    @property
    def text(self) -> str:
        """The English wording, kept as it was when findings were strings."""
        k = self.room_size
        langs = ", ".join(self.languages)
        rotate = "must sit out in every round (not always the same: sit-outs rotate)"
        match self.kind:
            case FindingKind.ALONE:
                return "is the only participant"
            case FindingKind.NO_LANGUAGE:
                return "has no language listed (a room needs one language in common)"
            case FindingKind.NOBODY_SPEAKS:
                return f"nobody else speaks {langs}"
            case FindingKind.NO_ROOM_MATE:
                return "no possible room-mate: of the others, " + ", ".join(self._blocked())
            case FindingKind.FEW_ROOM_MATES:
                mates = _count(self.count, "possible room-mate")
                return f"only {mates}; a room of {k} needs {k - 1}"
            case FindingKind.NO_GROUP:
                return (
                    f"no {k - 1} of their possible room-mates may also share a room with "
                    "each other (languages, schools, countries, avoid lists)"
                )
            case FindingKind.FEW_PARTNERS:
                return (
                    f"{self.person} can meet only {self.count} different people in "
                    f"{self.rounds} rounds and will sit out at least "
                    f"{_count(self.least_sit_outs, 'round')}"
                )
            case FindingKind.FEW_GROUPS:
                most = self.count
                return (
                    f"{self.person} can sit in a room in at most {most} of "
                    f"{self.rounds} rounds: nobody meets anyone twice, and only {most} "
                    f"{'group' if most == 1 else 'groups'} of {k - 1} possible room-mates with "
                    f"no one in common {'exists' if most == 1 else 'exist'} "
                    "(languages, schools, countries, avoid lists)"
                )
            case FindingKind.ROOM_SIZES:
                return (
                    f"{_count(self.count, 'participant')} {rotate}: rooms hold {k} or {k + 1} "
                    f"people (at most {k - 1} rooms of {k + 1} a round), so at most {self.fit} "
                    f"of {self.total} fit"
                )
            case FindingKind.COUNTRY_SHARE:
                name = COUNTRY_NAMES.get(self.country, self.country)
                return (
                    f"{_count(self.count, 'participant')} {rotate}: {name} has "
                    f"{self.country_count} of {self.total} people and rooms of {k} allow at "
                    f"most {self.cap} per country"
                )
            case FindingKind.RELAX_COUNTRY:
                whom = (
                    "everyone"
                    if self.fit == self.total
                    else f"{self.fit} of {self.total}, as many as rooms of {k} hold"
                )
                return (
                    f"set max_per_country={self.cap} to seat {whom} "
                    f"(at most {self.cap} per country in a room)"
                )

    def _blocked(self) -> list[str]:
        langs = ", ".join(self.languages)
        parts = []
        if self.no_shared_language:
            parts.append(f"{self.no_shared_language} share no language ({langs})")
        if self.same_country:
            parts.append(f"{self.same_country} are from the same country ({self.country})")
        if self.same_school:
            parts.append(f"{self.same_school} are from the same school")
        if self.avoid:
            parts.append(f"{self.avoid} are on an avoid list")
        return parts


def _count(n: int, noun: str) -> str:
    """ "1 round", "2 rounds": the text is read by organisers, not parsed."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
