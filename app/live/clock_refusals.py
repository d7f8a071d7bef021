"""The round clock's refusals (rooms.TimelineError) in organisers' words.

rooms says which refusal it is (`code`) and in English only; these templates are what the API's
`detail` says and what organisers' pages show in their own language (app.errors: the round's
status as its translated label).
"""

from __future__ import annotations

from typing import Any

from app.errors import InvalidTransition, for_organisers
from rooms import ClockRefusal, TimelineError

_SAID = {
    ClockRefusal.STARTED_BEFORE: for_organisers(
        "Round %(n)s is %(round_status)s: it cannot start again."
    ),
    ClockRefusal.NO_LENGTH: for_organisers("A round needs a length of at least one second."),
    ClockRefusal.NOT_RUNNING: for_organisers(
        "Round %(n)s is %(round_status)s: only a running round can be paused."
    ),
    ClockRefusal.NOT_PAUSED: for_organisers(
        "Round %(n)s is %(round_status)s: only a paused round can be resumed."
    ),
    ClockRefusal.NO_SECONDS: for_organisers("Extend the round by at least one second."),
    ClockRefusal.NOT_EXTENDABLE: for_organisers(
        "Round %(n)s is %(round_status)s: only a running or paused round can be extended."
    ),
    ClockRefusal.NOT_LIVE: for_organisers(
        "Round %(n)s is %(round_status)s: only a running or paused round can end."
    ),
    ClockRefusal.BREAK_HELD: for_organisers("The break before round %(n)s is on hold."),
    ClockRefusal.NO_BREAK: for_organisers(
        "Round %(n)s is %(round_status)s: only the break after an ended round can be held."
    ),
    ClockRefusal.BREAK_NOT_HELD: for_organisers("The break before round %(n)s is not on hold."),
}
_NO_ROUND = {ClockRefusal.NO_LENGTH, ClockRefusal.NO_SECONDS}
_THE_NEXT = {ClockRefusal.BREAK_HELD, ClockRefusal.BREAK_NOT_HELD}  # named for the round after


def refused(exc: TimelineError) -> InvalidTransition:
    """The refusal as the API and the organisers' pages say it."""
    params: dict[str, Any] = {}
    if exc.code in _THE_NEXT:
        params = {"n": exc.number + 1}
    elif exc.code not in _NO_ROUND:
        params = {"n": exc.number, "round_status": exc.status.value}
    return InvalidTransition(_SAID[exc.code], **params)
