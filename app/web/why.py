""" "Why you were matched" in the reader's language.

The planner stores its explanation in English (matching.explain, RoomMember.why) and the socket
sends that text. The page finds the same facts again (matching.explain.facts) from the rooms
and people, words them in the reader's language, and gives the page a map from each stored
text to its words: the server-rendered card and participant.js look the socket's text up in
it. Interests and programmes are free tags, shown as typed.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, col, select

from app.errors import for_participants
from app.models import Participant, Room, RoomMember, Round
from app.schedule.convert import to_people
from app.web import i18n
from app.web.strings import country_name, language_name
from matching.codes import COUNTRY_NAMES
from matching.explain import Facts, facts

# The why of a seat the organiser set during the event (app.live.attendance): no planner facts.
MOVED = for_participants("Moved by the organiser.")
SEP = "; "  # between facts, as matching.explain joins them
LIST = ", "


def _sector_words(f: Facts, _: Callable[[str], str]) -> str:
    # One text per kind of school and case: adjectives agree with their noun in most languages.
    if f.same_sector == 0:
        return ""
    every = f.same_sector == f.mates
    if f.sector == "primary":
        if every:
            return _("both primary schools") if f.mates == 1 else _("all primary schools")
        return _("{n} of {total} also from primary schools")
    if f.sector == "secondary":
        if every:
            return _("both secondary schools") if f.mates == 1 else _("all secondary schools")
        return _("{n} of {total} also from secondary schools")
    if every:
        return _("both specialised schools") if f.mates == 1 else _("all specialised schools")
    return _("{n} of {total} also from specialised schools")


def words(f: Facts, locale: str) -> str:
    """The facts as one line in `locale` (in English, matching.explain's own words)."""
    _ = i18n.translations(locale).gettext
    parts: list[str] = []
    sector = _sector_words(f, _)
    if sector:
        parts.append(sector.replace("{n}", str(f.same_sector)).replace("{total}", str(f.mates)))
    if f.interests:
        parts.append(_("shared: {list}").replace("{list}", LIST.join(f.interests)))
    if f.programmes:
        parts.append(_("same programme: {list}").replace("{list}", LIST.join(f.programmes)))
    if f.asked:
        parts.append(_("you asked to meet {names}").replace("{names}", LIST.join(f.asked)))
    if len(f.asked_by) == 1:
        parts.append(_("{name} asked to meet you").replace("{name}", f.asked_by[0]))
    elif f.asked_by:
        parts.append(_("{names} asked to meet you").replace("{names}", LIST.join(f.asked_by)))
    if f.new_countries:
        # English in the planner's words ("the Netherlands"), other languages in babel's.
        english = locale == i18n.DEFAULT_LOCALE
        names = LIST.join(
            COUNTRY_NAMES.get(c, c) if english else country_name(c, locale) for c in f.new_countries
        )
        parts.append(_("first meeting with {countries}").replace("{countries}", names))
    if not parts and f.common_languages:
        names = LIST.join(language_name(c, locale) for c in f.common_languages)
        parts.append(_("common language: {list}").replace("{list}", names))
    return SEP.join(parts) if parts else _("a new contact from another school")


def localised_whys(session: Session, participant: Participant, locale: str) -> dict[str, str]:
    """Each stored why of this person's rooms (every round) → the same facts in `locale`.

    A stored text not in the map (a re-plan after the page was built) is shown as sent."""
    _ = i18n.translations(locale).gettext
    out = {MOVED: _(MOVED)}
    mine = session.exec(
        select(Round.number, RoomMember.room_id, RoomMember.why)
        .join(Room, col(Room.id) == col(RoomMember.room_id))
        .join(Round, col(Round.id) == col(Room.round_id))
        .where(RoomMember.participant_id == participant.id)
        .order_by(col(Round.number))
    ).all()
    if not mine:
        return out
    rows = session.exec(
        select(RoomMember.room_id, Participant)
        .join(Participant, col(Participant.id) == col(RoomMember.participant_id))
        .where(col(RoomMember.room_id).in_([room_id for _n, room_id, _w in mine]))
        .where(col(Participant.deleted).is_(False))
    ).all()
    people = {p.id: p for _r, p in rows} | {participant.id: participant}
    planner = {p.id: p for p in to_people(list(people.values()))}
    in_room: dict[str, list[str]] = {}
    for room_id, p in rows:
        if p.id != participant.id:
            in_room.setdefault(room_id, []).append(p.id)
    me = planner[participant.id]
    met: set[str] = set()  # countries met in earlier rounds, as the planner counts them
    for _number, room_id, why in mine:
        mates = [planner[pid] for pid in sorted(in_room.get(room_id, []))]
        if why and why != MOVED:
            # Alone in a room (a played round kept with an organiser's move): matching.explain
            # says so instead of explaining.
            said = (
                words(facts(me, mates, met), locale) if mates else _("alone in the room this round")
            )
            out.setdefault(why, said)
        met |= {m.country for m in mates}
    return out
