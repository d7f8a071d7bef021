"""Rounds not yet started keep the hard rules after someone's details change while live.

An organiser may correct a school, a country or the languages, or add to an avoid list, during the
event ("she asked me not to be paired with him again"); the rounds not yet started were planned
with the old details. So each round start checks the rounds from it on against the details as
stored now and, where a room now breaks a rule that the plan in force does not already name in
its warnings (a break an organiser kept with `force`), re-plans them as for no-shows
(app.live.noshow): played and running rounds stay as they are. The edit itself stays quick: it
stores, and tells the organiser which rooms holding that person break a rule now
(app.live.edit_news). A start that took an edit made during its own re-plan leaves it to the
next start.
A move during a round is such an edit too: the pair it made meet may be planned together again
later, so the check reads the played and running rounds with the rest, and counts a repeat
meeting in a round not yet started. What those rounds break themselves (a room of one left by a
move) is history: it triggers nothing.

The check reads the plan and every participant (as plan_fit's, 12 ms at 60 people, 0.1 s or more
at 1,000) while every participant waits for the start; so each process makes it ahead, with the
next round (app.live.prepared), and the start reuses the verdict while the stamps it was made at
(statements.PlanStamps) are still the stored ones. An edit is audited, which moves them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

import matching
from app.live import noshow, statements
from app.models import Event, EventPhase, Participant
from app.schedule import store
from app.schedule.convert import settings_for, to_people

# The breaks a change of someone's details or a move can cause: pairs that may never meet (H1
# school, H3 language, H5 avoid), the room's country cap (H2) and a pair meeting again (H4). Room
# sizes and who is seated are the no-show re-plan's concern.
_DETAIL_RULES = frozenset(
    {
        matching.ViolationKind.SAME_SCHOOL,
        matching.ViolationKind.NO_SHARED_LANGUAGE,
        matching.ViolationKind.AVOID,
        matching.ViolationKind.COUNTRY_CAP,
        matching.ViolationKind.MET_BEFORE,
    }
)


@dataclass(frozen=True)
class RuleFit:
    """The rule breaks in the rounds from `first_round` on, as read at `stamps`."""

    stamps: statements.PlanStamps
    first_round: int
    breaks: tuple[str, ...]


def needs_check(event: statements.EventRounds) -> bool:
    # While scheduled, going live and the first start refuse a plan that breaks a rule instead
    # (app.live.plan_fit): no round has been played that a new "generate" would lose. As there,
    # rounds written without a stored plan (test and bench fixtures) have no warnings to go by.
    return event.phase == EventPhase.LIVE and event.stamps.plan_version is not None


def check_ahead(session: Session, event_id: str) -> RuleFit | None:
    """The verdict for the next round's start as stored now; None when a start would not check."""
    # The stamps before the plan: a change committed in between then shows as newer stamps.
    event = statements.event_rounds(session.connection(), event_id)
    if event is None or not needs_check(event):
        return None
    first = event.current_round + 1
    return RuleFit(event.stamps, first, tuple(breaks_from(session, event_id, first)))


def breaks_at_start(
    session: Session, event: statements.EventRounds, first_round: int, ahead: RuleFit | None
) -> list[str]:
    """The rule breaks from `first_round` on; `ahead`'s when it is still current."""
    if not needs_check(event):
        return []
    if ahead is not None and ahead.stamps == event.stamps and ahead.first_round == first_round:
        return list(ahead.breaks)
    return breaks_from(session, event.id, first_round)


def breaks_from(session: Session, event_id: str, first_round: int) -> list[str]:
    """The texts of `detail_breaks` in the stored rounds from `first_round` on."""
    return [
        v.text
        for v in detail_breaks(session, event_id)
        if v.round is not None and v.round >= first_round
    ]


def detail_breaks(session: Session, event_id: str) -> list[matching.Violation]:
    """Rule breaks (of _DETAIL_RULES) in every stored round with everyone's details as stored
    now, less those the plan in force names in its warnings: those were kept on purpose (an
    organiser's `force`) and are not re-planned at every start. Each has its round; the played
    rounds count for whom each pair already met.
    """
    event = session.get(Event, event_id)
    if event is None:
        return []
    rounds = noshow.stored_rounds(session, event_id)
    people = session.exec(
        select(Participant).where(
            col(Participant.event_id) == event_id, col(Participant.deleted).is_(False)
        )
    ).all()
    # Converted together, so that avoid lists (CSV ids) resolve to database ids.
    found = matching.round_violations(to_people(list(people)), settings_for(event), rounds)
    row = store.latest_plan(session, event_id=event_id)
    # Stored warnings are the breaks' English texts.
    accepted = {w.removeprefix("not kept: ") for w in row.warnings} if row else set()
    return [
        v
        for v in found
        if v.kind in _DETAIL_RULES and v.round is not None and v.text not in accepted
    ]
