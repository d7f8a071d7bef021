"""A save is refused when its page (or API client) did not see the decision as it is now.

Anna's laptop and phone both show her answer about Eva. Without this check the phone, still
showing an old "yes", would silently turn a "no" saved on the laptop back into "yes". A save
therefore carries the stamp of the decision it was based on (its `updated_at`, or none when there
was no decision yet); a save without one keeps the old last-write-wins behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from app.errors import Conflict, for_participants
from app.models import ContactDecision


class StaleDecision(Conflict):
    """The decision changed (on another device) since the saving page or client read it."""

    type = "stale_decision"


STALE = for_participants(
    "Nothing was saved: this answer was changed on another device since you last read it."
    " Read it again and save again."
)
# Not "": FastAPI reads an empty form field as one left out (a save with no check).
NONE = "none"


def stamp(decision: ContactDecision | None) -> str:
    """The version a page shows of a decision: its `updated_at` in UTC, NONE when there is none."""
    return NONE if decision is None else decision.updated_at.isoformat()


@dataclass(frozen=True)
class Seen:
    """The stamp of the decision a save is based on (`stamp`): NONE means "there was none"."""

    stamp: str

    @classmethod
    def of(cls, updated_at: datetime | None) -> Seen:
        """From an API client's `updated_at` (any offset; without one it is taken as UTC)."""
        if updated_at is None:
            return cls(NONE)
        if updated_at.tzinfo is not None:
            updated_at = updated_at.astimezone(UTC).replace(tzinfo=None)
        return cls(updated_at.isoformat())


def check(current: ContactDecision | None, seen: Seen | None) -> None:
    """Refuse a save based on another version than the stored one (None: no base, no check)."""
    if seen is not None and seen.stamp != stamp(current):
        raise StaleDecision(STALE)
