"""After an organiser edits someone's details: open pages told at once, and the rooms of the
running and the next round that the edit leaves breaking a rule.

An edit bumps the event's version; without a notification, open pages would wait for the
version tick, which repairs only a version already stored at the previous tick (5-10 s, more
with a page's own reconnect). So the edit publishes a `state` change after its commit, as live
actions do.

The running round is not re-planned (it is being played), and the next round is re-planned only
when it starts (app.live.rule_fit): so the organiser is told which of their rooms now break a
rule, to move someone or let the start re-plan. The correction stays saved: it is true.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from anyio import from_thread
from fastapi import FastAPI, Request
from sqlmodel import Session, col, select

import matching
from app.live import noshow, rule_fit
from app.live.changes import Change
from app.models import Event, EventPhase, Participant, Round, RoundStatus

log = logging.getLogger("speedmatch.live")

# The details whose change can make a room break a rule (H1 school, H2 country, H3 language,
# H5 avoid), and the breaks each can cause.
RULE_FIELDS = ("school", "country", "languages", "avoid")
_EDIT_RULES = frozenset(
    {
        matching.ViolationKind.SAME_SCHOOL,
        matching.ViolationKind.COUNTRY_CAP,
        matching.ViolationKind.NO_SHARED_LANGUAGE,
        matching.ViolationKind.AVOID,
    }
)

# The breaks in the reader's language, people by name: (request, session, event id, breaks) ->
# texts. The web layer words them (app.web.rule_words.edit_messages, set as
# `app.state.edit_messages` by app.main), as for a move (app.live.control.MoveMessages).
EditMessages = Callable[[Request, Session, str, list[matching.Violation]], list[str]]


def rule_details(participant: Participant) -> tuple[object, ...]:
    """What of `participant` the rules read, copied: compare before and after an edit."""
    return tuple(
        tuple(value) if isinstance(value, list) else value
        for value in (getattr(participant, name) for name in RULE_FIELDS)
    )


def change_after_edit(session: Session, event_id: str) -> Change:
    """The notification for an edit just committed: everyone re-reads their `state`."""
    version = session.exec(select(Event.state_version).where(col(Event.id) == event_id)).one()
    return Change(event_id=event_id, version=int(version), kind="state")


async def publish(app: FastAPI, change: Change) -> None:
    """Push `change` to open pages now (every process), not at the next version tick."""
    runtime = getattr(app.state, "live", None)
    if runtime is not None:
        await runtime.publish(change)


def publish_from_thread(app: FastAPI, change: Change) -> None:
    """`publish` from a synchronous route (a worker thread): the live runtime runs on the loop."""
    try:
        from_thread.run(publish, app, change)
    except Exception:  # saved all the same; the version tick brings it a few seconds later
        log.exception("telling open pages of a participant's edit failed")


def rooms_breaking(
    session: Session, event_id: str, participant_id: str
) -> list[matching.Violation]:
    """The rule breaks, as stored now, in the rooms holding `participant_id` in the running round
    (running or paused) and the next one; none unless the event is live. Breaks the plan in
    force names in its warnings (kept on purpose) are left out."""
    event = session.get(Event, event_id)
    if event is None or event.phase != EventPhase.LIVE:
        return []
    status = session.exec(
        select(Round.status).where(
            col(Round.event_id) == event_id, col(Round.number) == event.current_round
        )
    ).first()
    running = status in (RoundStatus.RUNNING, RoundStatus.PAUSED)
    first = event.current_round if running else event.current_round + 1
    rooms = {
        (rnd.number, room.number)
        for rnd in noshow.stored_rounds(session, event_id, first)
        if rnd.number <= event.current_round + 1
        for room in rnd.rooms
        if participant_id in room.participants
    }
    if not rooms:
        return []
    return [
        v
        for v in rule_fit.detail_breaks(session, event_id)
        if v.kind in _EDIT_RULES and (v.round, v.room) in rooms
    ]
