"""A round start's database work, in one worker-thread trip (`LiveRuntime.start_next`)."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from app.db import session_scope
from app.errors import Conflict, NotFound, for_organisers
from app.live import noshow, plan_fit, rule_fit, service, statements
from app.live.changes import Change

# Checks an organiser's credentials and ownership of the event read (None: no such event) in
# the round start's session; returns the audit actor or raises.
Authorise = Callable[[Session, statements.EventRounds | None], str]


def start_transaction(
    event_id: str,
    actor: str | Authorise,
    *,
    connected: Callable[[], set[str]],
    replan_time_limit_s: float,
    expected: int | None = None,
    ahead: plan_fit.PlanFit | None = None,
    rules_ahead: rule_fit.RuleFit | None = None,
    automatic: bool = False,
) -> Change:
    """`LiveRuntime.start_next`'s database work, run in a worker thread (`bench start-path`).

    One worker-thread trip and, unless a re-plan was computed, one session of 6 statements:
    every extra hop or read delays the round start for all clients. `ahead`: the first start's
    plan check, made when the round was prepared (app.live.plan_fit); `rules_ahead`: a later
    start's check of the rounds left against everyone's details (app.live.rule_fit).
    """
    with session_scope() as session:
        found = statements.event_rounds(session.connection(), event_id)
        # The credentials are checked before anything about the event is told.
        who = actor if isinstance(actor, str) else actor(session, found)
        if found is None:
            raise NotFound(for_organisers("No such event."))
        row = service.next_round(found)
        if expected is not None and row.number != expected:
            raise Conflict(
                for_organisers("Round %(n)s is not the next round any more."), n=expected
            )
        before = found.rounds.get(row.number - 1)
        if automatic and before is not None and before.clock().break_held:
            raise Conflict(for_organisers("The break before round %(n)s is on hold."), n=row.number)
        plan_fit.require_fit(session, found, ahead)
        breaks = rule_fit.breaks_at_start(session, found, row.number, rules_ahead)
        replan = noshow.compute_replan(
            session, event_id, row.number, connected, replan_time_limit_s, breaks
        )
        if replan is None:
            return service.start_round(
                session, event_id, who, number=row.number, checked=found, automatic=automatic
            )
    # A re-plan may have taken seconds: start in a fresh session, which checks again.
    with session_scope() as session:
        return service.start_round(
            session, event_id, who, number=row.number, replan=replan, automatic=automatic
        )
