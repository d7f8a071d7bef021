"""Request and response bodies of the contact-exchange API."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, field_validator

from app.validators import no_nul


def _as_utc(value: datetime) -> datetime:
    """Stored naive in UTC; sent with its offset so browsers do not read it as local time."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]


class DecisionIn(BaseModel):
    """After a meeting: share my details with this person, a private note, did we meet."""

    share: bool = False
    met: bool | None = Field(
        default=None, description='true "we met", false "they did not show up"'
    )
    note: str = Field(default="", max_length=1000)
    seen_updated_at: datetime | None = Field(
        default=None,
        description=(
            "The decision's `updated_at` as last read, sent back unchanged (null: there was no"
            " decision yet). When the stored decision differs (changed on another device) the"
            " save is refused with 409 `stale_decision`. Left out: no check (last write wins)."
        ),
    )

    @field_validator("note")
    @classmethod
    def _no_nul(cls, value: str) -> str:
        no_nul(value)
        return value


class DecisionPublic(BaseModel):
    to_participant_id: str
    round_number: int | None
    share: bool
    met: bool | None
    note: str
    updated_at: UtcDatetime


class RoommatePublic(BaseModel):
    """Someone I sat with, my decision, and whether their details are visible to me.

    Their own decision is never shown: under mutual consent a "yes" stays hidden until I say yes.
    """

    participant_id: str
    name: str
    country: str
    sector: str
    round: int
    room: int
    room_name: str
    decision: DecisionPublic | None
    contact_visible: bool


class ContactPublic(BaseModel):
    id: str
    name: str
    round: int
    room_name: str
    country: str
    sector: str
    shared_interests: list[str]
    programmes: list[str]
    note: str
    email: str | None
    school: str | None
    role: str | None
    phone: str | None


class RoomPublic(BaseModel):
    """Where to go in a round: the room name to pick (Zoom/Teams) and/or a video link."""

    round: int
    room: int
    room_name: str
    link: str | None


class ExportClosedIn(BaseModel):
    closed: bool


class ContactSettingsIn(BaseModel):
    mutual_consent: bool | None = None
    retention_days: int | None = Field(default=None, ge=1, le=3650)
    clear_retention: bool = False


class ContactSettingsPublic(BaseModel):
    event_id: str
    mutual_consent: bool
    export_closed: bool
    retention_days: int | None
    retention_ends: UtcDatetime | None


class PurgeResult(BaseModel):
    erased_participants: int = 0
    purged_events: list[str] = Field(default_factory=list)
