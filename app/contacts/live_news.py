"""A contact decision, and the open pages of those whose "my contacts" it changed told so.

Only whose list changed is told (the consent rule, before and after), never what changed: the
other side's page learns nothing of a "no" that changes nothing it may see. The decider's own
other pages are not told (a push per save ran the connection pool dry in the soak run); a save
from a stale one is refused instead (app.contacts.seen).
"""

from __future__ import annotations

import logging

from anyio import from_thread
from fastapi import FastAPI
from sqlmodel import Session

from app.contacts import service
from app.contacts.seen import Seen
from app.live.changes import Change
from app.models import ContactDecision, Participant

log = logging.getLogger("speedmatch.contacts")


def lists_changed(
    session: Session, participant: Participant, other_id: str, *, share: bool
) -> tuple[str, ...]:
    """Whose "my contacts" (of `participant` and `other_id`) a share choice would change."""
    event = service.event_of(session, participant)
    before = service.decisions(session, event, participant_id=participant.id)
    mine = ContactDecision(
        event_id=event.id,
        from_participant_id=participant.id,
        to_participant_id=other_id,
        share=share,
    )
    after = {**before, (participant.id, other_id): mine}
    pair = ((participant.id, other_id), (other_id, participant.id))
    return tuple(
        viewer
        for viewer, other in pair
        if service.visible(event, before, viewer, other)
        != service.visible(event, after, viewer, other)
    )


def record_decision(
    app: FastAPI,
    session: Session,
    participant: Participant,
    other_id: str,
    *,
    share: bool,
    met: bool | None,
    note: str,
    seen: Seen | None = None,
) -> ContactDecision:
    """`service.record_decision`, then a push to the pages whose list it changed.

    Called from a synchronous route (a worker thread): the live runtime runs on the loop."""
    changed = lists_changed(session, participant, other_id, share=share)
    decision = service.record_decision(
        session, participant, other_id, share=share, met=met, note=note, seen=seen
    )
    runtime = getattr(app.state, "live", None)
    if changed and runtime is not None:
        change = Change(
            event_id=participant.event_id,
            version=service.event_of(session, participant).state_version,
            kind="contacts",
            participants=changed,
        )
        try:
            from_thread.run(runtime.publish, change)
        except Exception:  # saved all the same; the page's refresh button still shows it
            log.exception("telling open pages of a contacts change failed")
    return decision
