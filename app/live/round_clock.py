"""A round's clock as stored (naive UTC columns) and as `rooms.RoundClock` (timezone-aware)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from app.models import RoundStatus
from rooms import RoundClock, Status


def aware(value: datetime | None) -> datetime | None:
    """Stored naive UTC → timezone-aware UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def naive(value: datetime | None) -> datetime | None:
    """Timezone-aware → naive UTC for storage."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


class StoredClock(Protocol):
    """A round's clock as stored: a `Round` row, or the round start's `RoundRow`."""

    @property
    def number(self) -> int: ...
    @property
    def status(self) -> RoundStatus: ...
    @property
    def starts_at(self) -> datetime | None: ...
    @property
    def ends_at(self) -> datetime | None: ...
    @property
    def paused_remaining_s(self) -> float | None: ...
    @property
    def break_held_s(self) -> float: ...


def clock_of(row: StoredClock) -> RoundClock:
    return RoundClock(
        number=row.number,
        status=Status(row.status),
        starts_at=aware(row.starts_at),
        ends_at=aware(row.ends_at),
        paused_remaining_s=row.paused_remaining_s,
        break_held_s=row.break_held_s,
    )
