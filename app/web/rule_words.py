"""A rule break (matching.Violation) in the reader's language, naming people by name.

The planner's English text of a break (Violation.text) is what plans store and the API sends;
organiser pages word the same break from its kind, place, people and numbers instead.
"""

from __future__ import annotations

from collections.abc import Callable

from babel.support import NullTranslations
from sqlmodel import Session, select

import matching
from app.live.noshow import round_breaks
from app.models import Event, Participant
from app.web import i18n
from app.web.strings import country_name

K = matching.ViolationKind
_PINS = (K.PIN_NEVER, K.PIN_MUST, K.PIN_ROUND)
# The planner's prefix for a must-meet pin it could not keep (matching.solve).
NOT_KEPT = "not kept: "


def words(
    v: matching.Violation,
    locale: str,
    who: Callable[[str], str],
    translations: NullTranslations | None = None,
) -> str:
    """The break in `locale` (`translations`: its catalog, by default the app's); `who` gives a
    participant's name for an id."""
    t = translations or i18n.translations(locale)
    _ = t.gettext
    problem = _problem(v, t) % _values(v, locale, who)
    if v.kind in _PINS:
        return _("pin: %(problem)s") % {"problem": problem}
    if v.round is None:
        return problem
    if v.room is None:
        return _("round %(round)s: %(problem)s") % {"round": v.round, "problem": problem}
    return _("round %(round)s, room %(room)s: %(problem)s") % {
        "round": v.round,
        "room": v.room,
        "problem": problem,
    }


def warning_words(
    warning: str,
    kept: dict[str, matching.Violation],
    locale: str,
    who: Callable[[str], str],
) -> str | None:
    """A stored warning that is one of the plan's breaks (`kept`, by English text) in `locale`;
    None for any other warning."""
    _ = i18n.translations(locale).gettext
    if warning in kept:
        return words(kept[warning], locale, who)
    rest = warning.removeprefix(NOT_KEPT)
    if rest != warning and rest in kept:
        return _("not kept: %(problem)s") % {"problem": words(kept[rest], locale, who)}
    return None


def round_words(session: Session, event_id: str, number: int, locale: str) -> list[str]:
    """The breaks in round `number` as stored now, in `locale` (a move during the event: the
    organiser's live page shows them)."""
    event = session.get(Event, event_id)
    if event is None:
        return []
    _ = i18n.translations(locale).gettext
    rows = session.exec(
        select(Participant.id, Participant.name, Participant.deleted).where(
            Participant.event_id == event_id
        )
    ).all()
    names = {pid: _("(erased)") if deleted else name for pid, name, deleted in rows}
    removed = _("(removed)")
    return [
        words(v, locale, lambda pid: names.get(pid, removed))
        for v in round_breaks(session, event, number)
    ]


def _values(v: matching.Violation, locale: str, who: Callable[[str], str]) -> dict[str, object]:
    names = [who(pid) for pid in v.people]
    return {
        "a": names[0] if names else "",
        "b": names[1] if len(names) > 1 else "",
        "name": names[0] if names else "",
        "num": v.count,
        "country": country_name(v.country, locale) if v.country else "",
        "cap": v.limit,
        "size": v.limit,
        "bigger": v.limit + 1,
        "seated": v.seated,
        "needed": v.needed,
        "rounds": v.limit,
        "round": v.other_round,
    }


def _problem(v: matching.Violation, t: NullTranslations) -> str:
    """The break's own words as a template for _values (without where it is)."""
    _ = t.gettext
    ngettext = t.ngettext
    n = v.count
    match v.kind:
        case K.SAME_SCHOOL:
            return _("%(a)s and %(b)s are from the same school")
        case K.NO_SHARED_LANGUAGE:
            return _("%(a)s and %(b)s have no language in common")
        case K.AVOID:
            return _("%(a)s and %(b)s: one of them asked not to meet the other")
        case K.MET_BEFORE:
            return _("%(a)s and %(b)s already met in round %(round)s")
        case K.COUNTRY_CAP:
            return ngettext(
                "%(num)s person from %(country)s, at most %(cap)s allowed",
                "%(num)s people from %(country)s, at most %(cap)s allowed",
                n,
            )
        case K.ROOM_SIZE:
            return ngettext(
                "%(num)s person, rooms hold %(size)s or %(bigger)s",
                "%(num)s people, rooms hold %(size)s or %(bigger)s",
                n,
            )
        case K.BIG_ROOMS:
            return ngettext(
                "%(num)s room of %(bigger)s, but %(seated)s seated needs exactly %(needed)s",
                "%(num)s rooms of %(bigger)s, but %(seated)s seated needs exactly %(needed)s",
                n,
            )
        case K.SEATED_TWICE:
            return _("%(name)s is seated twice in this round")
        case K.SEATED_AND_OUT:
            return _("%(name)s is both seated and sitting out")
        case K.UNKNOWN_PARTICIPANT:
            return _("%(name)s has a seat but is not a participant any more")
        case K.PIN_NEVER:
            return _("%(a)s and %(b)s must never meet, but meet in round %(round)s")
        case K.PIN_MUST:
            return _("%(a)s and %(b)s must meet, but never do")
        case K.PIN_ROUND:
            return _("%(a)s and %(b)s must meet in round %(round)s, but do not meet then")
        case K.ROUND_COUNT:
            return ngettext(
                "the plan has %(num)s round, the event %(rounds)s",
                "the plan has %(num)s rounds, the event %(rounds)s",
                n,
            )
