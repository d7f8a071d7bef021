""" "Why you were matched" in the reader's language.

The planner stores its explanation in English (matching.explain, RoomMember.why) and the socket
sends that text with the facts it tells (`why_facts`, matching.explain.facts). Pages word the
facts in the reader's language: the server-rendered card here, participant.js with the same
texts (`page_words`), so a room planned after the page loaded is worded too. Interests and
programmes are free tags, shown as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from app.errors import for_participants
from app.web import i18n
from app.web.strings import country_name, language_name
from matching.codes import COUNTRY_NAMES
from matching.explain import Facts

# The why of a seat the organiser set during the event (app.live.attendance): no planner facts.
MOVED = for_participants("Moved by the organiser.")
SEP = "; "  # between facts, as matching.explain joins them
LIST = ", "
# The facts that are lists (`why_facts` in a `state` holds them as JSON arrays).
LISTS = ("interests", "programmes", "asked", "asked_by", "new_countries", "common_languages")


def _sector_texts(_: Callable[[str], str]) -> dict[str, dict[str, str]]:
    # One text per kind of school and case: adjectives agree with their noun in most languages.
    return {
        "primary": {
            "both": _("both primary schools"),
            "all": _("all primary schools"),
            "some": _("{n} of {total} also from primary schools"),
        },
        "secondary": {
            "both": _("both secondary schools"),
            "all": _("all secondary schools"),
            "some": _("{n} of {total} also from secondary schools"),
        },
        "specialised": {
            "both": _("both specialised schools"),
            "all": _("all specialised schools"),
            "some": _("{n} of {total} also from specialised schools"),
        },
    }


def texts(locale: str) -> dict[str, Any]:
    """Every text a why is worded from, in `locale` (participant.js gets the same)."""
    _ = i18n.translations(locale).gettext
    return {
        "sectors": _sector_texts(_),
        "shared": _("shared: {list}"),
        "programmes": _("same programme: {list}"),
        "asked": _("you asked to meet {names}"),
        "asked_by_one": _("{name} asked to meet you"),
        "asked_by": _("{names} asked to meet you"),
        "new_countries": _("first meeting with {countries}"),
        "languages": _("common language: {list}"),
        "nothing": _("a new contact from another school"),
        "alone": _("alone in the room this round"),
        "moved": _(MOVED),
    }


def country_names(codes: Iterable[str], locale: str) -> dict[str, str]:
    # English in the planner's words ("the Netherlands"), other languages in babel's.
    english = locale == i18n.DEFAULT_LOCALE
    return {c: COUNTRY_NAMES.get(c, c) if english else country_name(c, locale) for c in codes}


def _worded(
    f: Facts, said: dict[str, Any], countries: dict[str, str], langs: dict[str, str]
) -> str:
    parts: list[str] = []
    if f.same_sector:
        kind = said["sectors"].get(f.sector, said["sectors"]["specialised"])
        case = ("both" if f.mates == 1 else "all") if f.same_sector == f.mates else "some"
        parts.append(kind[case].replace("{n}", str(f.same_sector)).replace("{total}", str(f.mates)))
    if f.interests:
        parts.append(said["shared"].replace("{list}", LIST.join(f.interests)))
    if f.programmes:
        parts.append(said["programmes"].replace("{list}", LIST.join(f.programmes)))
    if f.asked:
        parts.append(said["asked"].replace("{names}", LIST.join(f.asked)))
    if len(f.asked_by) == 1:
        parts.append(said["asked_by_one"].replace("{name}", f.asked_by[0]))
    elif f.asked_by:
        parts.append(said["asked_by"].replace("{names}", LIST.join(f.asked_by)))
    if f.new_countries:
        names = LIST.join(countries.get(c, c) for c in f.new_countries)
        parts.append(said["new_countries"].replace("{countries}", names))
    if not parts and f.common_languages:
        names = LIST.join(langs.get(c, c) for c in f.common_languages)
        parts.append(said["languages"].replace("{list}", names))
    return SEP.join(parts) if parts else str(said["nothing"])


def words(f: Facts, locale: str) -> str:
    """The facts as one line in `locale` (in English, matching.explain's own words)."""
    countries = country_names(f.new_countries, locale)
    langs = {c: language_name(c, locale) for c in f.common_languages}
    return _worded(f, texts(locale), countries, langs)


def card_words(why: str, told: dict[str, Any] | None, locale: str) -> str:
    """The room card's why from a `state` (its `why` and `why_facts`), in `locale`."""
    if why == MOVED:
        return i18n.translations(locale).gettext(MOVED)
    if told is None:
        return why  # no facts behind it: shown as sent
    if not told["mates"]:
        return str(texts(locale)["alone"])
    lists = {k: tuple(told[k]) for k in LISTS}
    return words(
        Facts(
            sector=str(told["sector"]),
            same_sector=int(told["same_sector"]),
            mates=int(told["mates"]),
            interests=lists["interests"],
            programmes=lists["programmes"],
            asked=lists["asked"],
            asked_by=lists["asked_by"],
            new_countries=lists["new_countries"],
            common_languages=lists["common_languages"],
        ),
        locale,
    )


def page_words(locale: str, countries: Iterable[str], languages: Iterable[str]) -> dict[str, Any]:
    """What participant.js words `why_facts` with: the texts, and the names of the event's
    countries and of the reader's languages (a common language is always one of theirs)."""
    return {
        **texts(locale),
        "countries": country_names(countries, locale),
        "languages": {c: language_name(c, locale) for c in languages},
    }
