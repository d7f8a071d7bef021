"""A rule break (matching.Violation) in the reader's language, naming people by name.

The planner's English text of a break (Violation.text) is what plans store and the API sends;
organiser pages word the same break from its kind, place, people and numbers instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from babel.support import NullTranslations
from fastapi import Request
from sqlmodel import Session, select

import matching
from app.live.noshow import round_breaks, stored_rounds
from app.models import Event, Participant
from app.web import i18n
from app.web.strings import country_name
from app.web.templating import request_locale

K = matching.ViolationKind
_PINS = (K.PIN_NEVER, K.PIN_MUST, K.PIN_ROUND)
# The planner's prefix for a must-meet pin it could not keep (matching.solve).
NOT_KEPT = "not kept: "


def words(
    v: matching.Violation,
    locale: str,
    who: Callable[[str], str],
    translations: NullTranslations | None = None,
    *,
    now: bool = False,
) -> str:
    """The break in `locale` (`translations`: its catalog, by default the app's); `who` gives a
    participant's name for an id; `now`: rooms as a live move just left them."""
    t = translations or i18n.translations(locale)
    _ = t.gettext
    problem = _problem(v, t, now=now) % _values(v, locale, who)
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


def move_messages(
    request: Request, session: Session, event_id: str, number: int, room: int
) -> list[str]:
    """move_words in the request's language: the live API's `details.messages` after a move
    (app.live.control.MoveMessages, wired by app.main: app/live does not import app/web)."""
    return move_words(session, event_id, number, room, request_locale(request))


def move_words(session: Session, event_id: str, number: int, room: int, locale: str) -> list[str]:
    """The breaks in round `number` as stored after a live move into `room`, in `locale` (the
    organiser's live page shows them): rooms by their size now, and a room of k + 1 that the
    round's people do not call for named by the room the move filled."""
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
    sizes = {
        seated.number: len(seated.participants)
        for rnd in stored_rounds(session, event_id, number)
        if rnd.number == number
        for seated in rnd.rooms
    }
    said = []
    for v in round_breaks(session, event, number):
        if v.kind == K.BIG_ROOMS and v.count < v.needed:
            # Too few rooms of k + 1 only ever comes with a room too big or too small, each told
            # on its own: the count would only repeat them in the planner's terms.
            continue
        if v.kind == K.BIG_ROOMS and sizes.get(room) == v.limit + 1:
            v = replace(v, room=room)  # one too many rooms of k + 1: the one the move made
        said.append(words(v, locale, lambda pid: names.get(pid, removed), now=True))
    return said


def edit_messages(
    request: Request, session: Session, event_id: str, breaks: list[matching.Violation]
) -> list[str]:
    """edit_words in the request's language: the answer to an organiser's edit while live
    (app.live.edit_news.EditMessages, wired by app.main: app/live does not import app/web)."""
    return edit_words(session, event_id, breaks, request_locale(request))


def edit_words(
    session: Session, event_id: str, breaks: list[matching.Violation], locale: str
) -> list[str]:
    """`breaks` an edit of someone's details left in live rooms, in `locale`; a room over the
    country cap also names who is from that country there (the break itself names nobody)."""
    if not breaks:
        return []
    _ = i18n.translations(locale).gettext
    rows = session.exec(
        select(Participant.id, Participant.name, Participant.country, Participant.deleted).where(
            Participant.event_id == event_id
        )
    ).all()
    names = {pid: _("(erased)") if deleted else name for pid, name, _country, deleted in rows}
    countries = {row[0]: row[2] for row in rows}
    removed = _("(removed)")

    def who(pid: str) -> str:
        return names.get(pid, removed)

    first = min(v.round or 1 for v in breaks)
    rooms = {
        (rnd.number, room.number): room.participants
        for rnd in stored_rounds(session, event_id, first)
        for room in rnd.rooms
    }
    said = []
    for v in breaks:
        text = words(v, locale, who)
        if v.kind == K.COUNTRY_CAP:
            room = rooms.get((v.round or 0, v.room or 0), ())
            from_there = ", ".join(who(pid) for pid in room if countries.get(pid) == v.country)
            text = _("%(problem)s: %(names)s") % {"problem": text, "names": from_there}
        said.append(text)
    return said


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


def _problem(v: matching.Violation, t: NullTranslations, *, now: bool = False) -> str:
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
        case K.ROOM_SIZE if now:
            return ngettext(
                "%(num)s person now, but rooms are planned for %(size)s (%(bigger)s at most)",
                "%(num)s people now, but rooms are planned for %(size)s (%(bigger)s at most)",
                n,
            )
        case K.ROOM_SIZE:
            return ngettext(
                "%(num)s person, rooms hold %(size)s or %(bigger)s",
                "%(num)s people, rooms hold %(size)s or %(bigger)s",
                n,
            )
        case K.BIG_ROOMS:
            return _big_rooms(v, t)
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


def _big_rooms(v: matching.Violation, t: NullTranslations) -> str:
    """A round's rooms of k + 1 against the count its seated people call for (seated % k): the
    room a move filled when it is known (v.room), else how many rooms have k + 1."""
    _ = t.gettext
    ngettext = t.ngettext
    if v.room is not None:
        rooms = ngettext("%(bigger)s person now", "%(bigger)s people now", v.limit + 1)
    else:
        rooms = ngettext(
            "%(num)s room has %(bigger)s people", "%(num)s rooms have %(bigger)s people", v.count
        )
    if v.needed == 0:
        plan = _("with %(seated)s seated every room is planned for %(size)s")
    else:
        plan = ngettext(
            "with %(seated)s seated %(needed)s room is planned for %(bigger)s "
            "(the others for %(size)s)",
            "with %(seated)s seated %(needed)s rooms are planned for %(bigger)s "
            "(the others for %(size)s)",
            v.needed,
        )
    # Two counts, each with its own plural: two messages, then joined.
    return _("%(rooms)s, but %(plan)s") % {"rooms": rooms, "plan": plan}
