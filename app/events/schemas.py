"""Event API shapes: what an organiser sends and what the API returns."""

import re
from dataclasses import fields
from datetime import UTC, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from app.errors import for_participants
from app.models import EventPhase
from app.validators import no_nul
from matching import Weights

UI_LANGUAGES = ("en", "nl", "de", "da", "pt", "es", "fr")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_ALLOWED_PLACEHOLDERS = {"event", "round", "room"}
WEIGHT_NAMES = tuple(f.name for f in fields(Weights))

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
RoomName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


def check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        message = f"unknown time zone {value!r}; use an IANA name like Europe/Brussels"
        raise ValueError(message) from None
    return value


# A start outside these years is a typo; near year 9999 it would overflow later date arithmetic
# (the UTC conversion, the retention period, the calendar invite) and answer 500.
START_YEARS = (2000, 2100)


def check_start(value: datetime) -> datetime:
    first, last = START_YEARS
    if not first <= value.year <= last:
        raise ValueError(f"the start must be in the years {first} to {last}")
    return value


NO_SUCH_TIME = for_participants(
    "This time does not exist in the event's time zone: the clocks go forward then. "
    "Choose another time."
)


def check_local_time(value: datetime, timezone: str) -> datetime:
    """A start without offset is read in the event's zone; a time skipped when the clocks go
    forward (02:30 on the last Sunday of March in Europe) would be stored an hour later."""
    if value.tzinfo is None:
        local = value.replace(tzinfo=ZoneInfo(timezone))
        back = local.astimezone(UTC).astimezone(local.tzinfo).replace(tzinfo=None)
        if back != value:
            raise ValueError(NO_SUCH_TIME)
    return value


def check_link_template(value: str | None) -> str | None:
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    if not value.startswith(("https://", "http://")):
        raise ValueError("the room link must start with https:// or http://")
    unknown = set(_PLACEHOLDER.findall(value)) - _ALLOWED_PLACEHOLDERS
    if unknown:
        names = ", ".join(sorted("{" + u + "}" for u in unknown))
        raise ValueError(f"unknown placeholder(s) {names}; use {{event}}, {{round}}, {{room}}")
    return value


def check_weights(value: dict[str, int]) -> dict[str, int]:
    unknown = set(value) - set(WEIGHT_NAMES)
    if unknown:
        raise ValueError(
            f"unknown weight(s) {', '.join(sorted(unknown))}; known: {', '.join(WEIGHT_NAMES)}"
        )
    for key, number in value.items():
        if not 0 <= number <= 100:
            raise ValueError(f"weight {key} must be between 0 and 100")
    return value


def check_languages(value: list[str]) -> list[str]:
    unknown = [code for code in value if code not in UI_LANGUAGES]
    if unknown:
        raise ValueError(f"unsupported UI language(s) {unknown}; use {', '.join(UI_LANGUAGES)}")
    if not value:
        raise ValueError("at least one UI language is needed")
    return list(dict.fromkeys(value))


class _EventFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _text(cls, value: object) -> object:
        return no_nul(value)

    @field_validator("timezone", check_fields=False)
    @classmethod
    def _tz(cls, value: str | None) -> str | None:
        return None if value is None else check_timezone(value)

    @field_validator("starts_at", check_fields=False)
    @classmethod
    def _start(cls, value: datetime | None, info: ValidationInfo) -> datetime | None:
        # `timezone` is declared before `starts_at`, so it is checked by now (when valid).
        if value is None:
            return None
        timezone = info.data.get("timezone")
        value = check_start(value)
        return value if timezone is None else check_local_time(value, timezone)

    @field_validator("room_link_template", check_fields=False)
    @classmethod
    def _template(cls, value: str | None) -> str | None:
        return check_link_template(value)

    @field_validator("weights", check_fields=False)
    @classmethod
    def _weights(cls, value: dict[str, int] | None) -> dict[str, int] | None:
        return None if value is None else check_weights(value)

    @field_validator("ui_languages", check_fields=False)
    @classmethod
    def _languages(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else check_languages(value)


class EventCreate(_EventFields):
    """A new event. A `starts_at` without offset is read in the event's time zone."""

    name: Name
    timezone: str = "Europe/Brussels"
    starts_at: datetime
    rounds: int = Field(default=4, ge=1, le=12)
    round_seconds: int = Field(default=480, ge=60, le=7200)
    break_seconds: int = Field(default=120, ge=0, le=3600)
    auto_advance: bool = False
    room_size: int = Field(default=2, ge=2, le=6)
    distinct_countries: bool = True
    max_per_country: int | None = Field(default=None, ge=1, le=6)
    weights: dict[str, int] = Field(default_factory=dict)
    room_link_template: str | None = Field(default=None, max_length=500)
    room_names: list[RoomName] = Field(default_factory=list, max_length=500)
    ui_languages: list[str] = Field(default_factory=lambda: ["en"], max_length=10)
    mutual_consent: bool = True
    retention_days: int | None = Field(default=None, ge=1, le=3650)


class EventUpdate(_EventFields):
    """Fields to change; omitted fields stay as they are."""

    name: Name | None = None
    timezone: str | None = None
    starts_at: datetime | None = None
    rounds: int | None = Field(default=None, ge=1, le=12)
    round_seconds: int | None = Field(default=None, ge=60, le=7200)
    break_seconds: int | None = Field(default=None, ge=0, le=3600)
    auto_advance: bool | None = None
    room_size: int | None = Field(default=None, ge=2, le=6)
    distinct_countries: bool | None = None
    max_per_country: int | None = Field(default=None, ge=1, le=6)
    weights: dict[str, int] | None = None
    room_link_template: str | None = Field(default=None, max_length=500)
    room_names: list[RoomName] | None = Field(default=None, max_length=500)
    ui_languages: list[str] | None = Field(default=None, max_length=10)
    mutual_consent: bool | None = None
    retention_days: int | None = Field(default=None, ge=1, le=3650)


class PhaseChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phase: EventPhase


class EventPublic(BaseModel):
    id: str
    name: str
    starts_at: datetime
    timezone: str
    rounds: int
    round_seconds: int
    break_seconds: int
    auto_advance: bool
    room_size: int
    distinct_countries: bool
    max_per_country: int | None
    weights: dict[str, Any]
    room_link_template: str | None
    room_names: list[str]
    ui_languages: list[str]
    phase: EventPhase
    current_round: int
    state_version: int
    mutual_consent: bool
    retention_days: int | None
    registration_slug: str
    participant_count: int
    created_at: datetime

    @field_validator("starts_at", "created_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value if value.tzinfo else value.replace(tzinfo=UTC)


class AuditEntry(BaseModel):
    id: int
    actor: str
    action: str
    detail: dict[str, Any]
    created_at: datetime

    @field_validator("created_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value if value.tzinfo else value.replace(tzinfo=UTC)
