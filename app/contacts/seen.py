"""A save is refused when its page (or API client) did not see the decision as it is now.

Anna's laptop and phone both show her answer about Eva. Without this check the phone, still
showing an old "yes", would silently turn a "no" saved on the laptop back into "yes". A save
therefore carries the stamp of the decision it was based on (its `updated_at`, or none when there
was no decision yet); a save without one keeps the old last-write-wins behaviour.

The check and the write are one step in the database: an update is made only if the stored stamp
is still the one read (`WHERE updated_at = :read`), and a first save meeting one stored meanwhile
is refused by the unique (from, to) pair. Two saves based on the same version, sent at the same
moment, therefore store one and refuse the other (until 2026-11-29 both answered "saved", the
later silently overwriting the other, and two first saves gave the second a bare 500).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import UniqueConstraint, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.errors import Conflict, for_participants
from app.models import ContactDecision, table_of, utcnow


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


# One decision per (from, to): the constraint a first save meets when another one came first.
PAIR = next(c for c in table_of(ContactDecision).constraints if isinstance(c, UniqueConstraint))
_TRIES = 3  # without a base: a clash, then the update; a third for a decision erased meanwhile


def pair_taken(error: IntegrityError) -> bool:
    """Whether `error` is the (from, to) pair's unique constraint, and not another one."""
    diag = getattr(error.orig, "diag", None)
    if diag is not None:  # PostgreSQL (psycopg) names the constraint
        return bool(getattr(diag, "constraint_name", None) == PAIR.name)
    columns = ", ".join(f"{PAIR.table.name}.{column.name}" for column in PAIR.columns)
    return str(error.orig) == f"UNIQUE constraint failed: {columns}"


def save(
    session: Session,
    *,
    event_id: str,
    from_id: str,
    to_id: str,
    values: dict[str, Any],
    seen: Seen | None,
) -> ContactDecision:
    """Store `values` as `from_id`'s decision about `to_id` unless it changed since `seen`.

    Raises StaleDecision (nothing written) when the stored decision is not the one `seen` names,
    now or at the moment of writing. Without `seen` the last write wins.
    Nothing is committed: the caller adds its audit entry and commits.
    """
    for _ in range(_TRIES):
        stored = session.exec(
            select(ContactDecision).where(
                ContactDecision.from_participant_id == from_id,
                ContactDecision.to_participant_id == to_id,
            )
        ).first()
        check(stored, seen)
        if stored is None:
            decision = ContactDecision(
                event_id=event_id, from_participant_id=from_id, to_participant_id=to_id, **values
            )
            session.add(decision)
            try:
                session.flush()
            except IntegrityError as error:
                session.rollback()
                if not pair_taken(error):
                    raise
            else:
                return decision
        else:
            # Always a newer stamp than the one read, so a page that saw that one is refused.
            now = max(utcnow(), stored.updated_at + timedelta(microseconds=1))
            statement = update(ContactDecision).where(col(ContactDecision.id) == stored.id)
            if seen is not None:
                statement = statement.where(col(ContactDecision.updated_at) == stored.updated_at)
            changed = session.connection().execute(statement.values(**values, updated_at=now))
            if changed.rowcount == 1:
                session.refresh(stored)
                return stored
            session.rollback()
        if seen is not None:  # another save came first, between the read and the write
            raise StaleDecision(STALE)
    raise StaleDecision(STALE)
