"""A feasibility finding (matching.Finding) or an unexplained sit-out (matching.SitOut) in the
reader's language, naming people by name.

The planner's English text of a finding (Finding.text) is what plans store and the API sends;
the organiser's schedule page words the same finding from its kind, people and numbers instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from babel.lists import format_list
from babel.support import NullTranslations

import matching
from app.web import i18n
from app.web.strings import country_name, language_name

K = matching.FindingKind
R = matching.SitOutReason


def words(
    f: matching.Finding,
    locale: str,
    who: Callable[[str], str],
    translations: NullTranslations | None = None,
) -> str:
    """The finding in `locale` (`translations`: its catalog, by default the app's); `who` gives
    a participant's name for an id. An unplaceable person's reason does not name them: the page
    puts their name before it."""
    t = translations or i18n.translations(locale)
    values = _values(f, locale, who)
    if f.kind is K.NO_ROOM_MATE:
        return t.gettext("no possible room-mate: of the others, %(reasons)s") % {
            "reasons": format_list(_blocked(f, t, values), locale=locale)
        }
    return _template(f, t) % values


def warning_words(
    warning: str, found: Mapping[str, matching.Finding], locale: str, who: Callable[[str], str]
) -> str | None:
    """A stored warning that is one of the plan's findings (`found`, by English text) in
    `locale`; None for any other warning."""
    return words(found[warning], locale, who) if warning in found else None


def unplaceable_words(
    stored: Sequence[Mapping[str, str]],
    found: Mapping[str, matching.Finding],
    locale: str,
    who: Callable[[str], str],
) -> list[tuple[str, str]]:
    """(name, reason) for each stored unplaceable person: the reason in `locale` where `found`
    has its finding (by person), else as stored."""
    out = []
    for u in stored:
        pid = str(u.get("participant_id"))
        reason = words(found[pid], locale, who) if pid in found else str(u.get("reason"))
        out.append((who(pid), reason))
    return out


def sit_out_words(
    s: matching.SitOut,
    locale: str,
    who: Callable[[str], str],
    translations: NullTranslations | None = None,
) -> str:
    """Why `s.person` sits out `s.round`, from the plan's rooms of that round."""
    t = translations or i18n.translations(locale)
    values = {
        "name": who(s.person),
        "round": s.round,
        "rooms": format_list([str(n) for n in s.rooms], locale=locale),
    }
    match s.reason:
        case R.NO_ROOM:
            text = t.gettext(
                "%(name)s sits out in round %(round)s: no room that round could take them without "
                "breaking a rule (country, school, language, avoid or meeting twice)"
            )
        case R.ROOMS_FULL:
            text = t.gettext(
                "%(name)s sits out in round %(round)s: the rooms that could take them without "
                "breaking a rule were full, so the planner left them out to seat others"
            )
        case R.ROOM_FREE:
            text = t.ngettext(
                "%(name)s sits out in round %(round)s, although room %(rooms)s could take them "
                "without breaking a rule: move them there, or generate the schedule again",
                "%(name)s sits out in round %(round)s, although rooms %(rooms)s could take them "
                "without breaking a rule: move them to one, or generate the schedule again",
                len(s.rooms),
            )
    return text % values


def _values(f: matching.Finding, locale: str, who: Callable[[str], str]) -> dict[str, object]:
    langs = [language_name(code, locale) for code in f.languages]
    return {
        "name": who(f.person) if f.people else "",
        "num": f.count,
        "rounds": f.rounds,
        "size": f.room_size,
        "needed": f.room_size - 1,
        "bigger": f.room_size + 1,
        "most_big": f.room_size - 1,
        "least": f.least_sit_outs,
        "fit": f.fit,
        "total": f.total,
        "country": country_name(f.country, locale) if f.country else "",
        "country_count": f.country_count,
        "cap": f.cap,
        "languages": format_list(langs, style="or", locale=locale) if langs else "",
        "all_languages": format_list(langs, locale=locale) if langs else "",
    }


def _template(f: matching.Finding, t: NullTranslations) -> str:
    """The finding's words as a template for _values."""
    _ = t.gettext
    ngettext = t.ngettext
    n = f.count
    match f.kind:
        case K.ALONE:
            return _("is the only participant")
        case K.NO_LANGUAGE:
            return _("has no language listed (a room needs one language in common)")
        case K.NOBODY_SPEAKS:
            return _("nobody else speaks %(languages)s")
        case K.FEW_ROOM_MATES:
            return ngettext(
                "only %(num)s possible room-mate; a room of %(size)s needs %(needed)s",
                "only %(num)s possible room-mates; a room of %(size)s needs %(needed)s",
                n,
            )
        case K.NO_GROUP:
            return _(
                "no %(needed)s of their possible room-mates may also share a room with each "
                "other (languages, schools, countries, avoid lists)"
            )
        case K.FEW_PARTNERS:
            return ngettext(
                "%(name)s can meet only %(num)s other person in %(rounds)s rounds and will sit "
                "out at least %(least)s of them",
                "%(name)s can meet only %(num)s different people in %(rounds)s rounds and will "
                "sit out at least %(least)s of them",
                n,
            )
        case K.FEW_GROUPS:
            return ngettext(
                "%(name)s can sit in a room in at most %(num)s of %(rounds)s rounds: nobody meets "
                "anyone twice, and only %(num)s group of %(needed)s possible room-mates with no "
                "one in common exists (languages, schools, countries, avoid lists)",
                "%(name)s can sit in a room in at most %(num)s of %(rounds)s rounds: nobody meets "
                "anyone twice, and only %(num)s groups of %(needed)s possible room-mates with no "
                "one in common exist (languages, schools, countries, avoid lists)",
                n,
            )
        case K.ROOM_SIZES:
            return ngettext(
                "%(num)s participant must sit out in every round (not always the same: sit-outs "
                "rotate): rooms hold %(size)s or %(bigger)s people (at most %(most_big)s rooms "
                "of %(bigger)s a round), so at most %(fit)s of %(total)s fit",
                "%(num)s participants must sit out in every round (not always the same: sit-outs "
                "rotate): rooms hold %(size)s or %(bigger)s people (at most %(most_big)s rooms "
                "of %(bigger)s a round), so at most %(fit)s of %(total)s fit",
                n,
            )
        case K.COUNTRY_SHARE:
            return ngettext(
                "%(num)s participant must sit out in every round (not always the same: sit-outs "
                "rotate): %(country)s has %(country_count)s of %(total)s people and rooms of "
                "%(size)s allow at most %(cap)s per country",
                "%(num)s participants must sit out in every round (not always the same: sit-outs "
                "rotate): %(country)s has %(country_count)s of %(total)s people and rooms of "
                "%(size)s allow at most %(cap)s per country",
                n,
            )
        case K.RELAX_COUNTRY:
            if f.fit == f.total:
                return _(
                    "allow %(cap)s people per country in a room (the event's settings) to seat "
                    "everyone"
                )
            return _(
                "allow %(cap)s people per country in a room (the event's settings) to seat "
                "%(fit)s of %(total)s, as many as rooms of %(size)s hold"
            )
        case K.NO_ROOM_MATE:  # worded by words(), from its parts
            return ""


def _blocked(f: matching.Finding, t: NullTranslations, values: dict[str, object]) -> list[str]:
    """no_room_mate's counts of the others, each with why they are ruled out."""
    ngettext = t.ngettext
    parts = []
    if f.no_shared_language:
        parts.append(
            ngettext(
                "%(num)s shares none of %(all_languages)s",
                "%(num)s share none of %(all_languages)s",
                f.no_shared_language,
            )
            % {**values, "num": f.no_shared_language}
        )
    if f.same_country:
        parts.append(
            ngettext(
                "%(num)s is from the same country (%(country)s)",
                "%(num)s are from the same country (%(country)s)",
                f.same_country,
            )
            % {**values, "num": f.same_country}
        )
    if f.same_school:
        parts.append(
            ngettext(
                "%(num)s is from the same school",
                "%(num)s are from the same school",
                f.same_school,
            )
            % {**values, "num": f.same_school}
        )
    if f.avoid:
        parts.append(
            ngettext("%(num)s is on an avoid list", "%(num)s are on an avoid list", f.avoid)
            % {**values, "num": f.avoid}
        )
    return parts
