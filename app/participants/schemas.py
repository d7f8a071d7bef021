"""Participant API shapes, validated with the same code lists as the CSV import."""

import unicodedata
from datetime import UTC, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from app.models import AttendanceStatus
from app.validators import no_nul, normalise_email
from matching import Sector
from matching.codes import COUNTRIES, LANGUAGES

SHARE_FIELDS = ("email", "school", "role", "phone")


def visible(value: str) -> str:
    """Refuses a text of only invisible characters (zero-width spaces, marks): a name like that
    shows as nothing in the list, on room cards and in exports."""
    if not any(unicodedata.category(c)[0] in "LNPS" for c in value):
        raise ValueError("must contain a visible character")
    return value


Text200 = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(visible),
]


def _plain_email(value: object) -> object:
    # A copied address brings invisible characters along (a zero-width space from a mail
    # signature): kept, the same person could register twice and the link mail would bounce.
    return normalise_email(value) if isinstance(value, str) else value


Email = Annotated[
    str,
    BeforeValidator(_plain_email),
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        max_length=320,
        pattern=r"^[^@\s,;<>\"]+@[^@\s]+\.\S+$",
    ),
]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, max_length=100)]
Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


def _country(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip().upper()
    if code not in COUNTRIES:
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return code


def _languages(value: list[str] | None) -> list[str] | None:
    if value is None:
        return None
    codes = [code.strip().lower() for code in value]
    bad = [code for code in codes if code not in LANGUAGES]
    if bad:
        raise ValueError(f"not ISO 639-1 language code(s): {', '.join(bad)}")
    if not codes:
        raise ValueError("at least one language is needed")
    return sorted(set(codes))


def _share(value: list[str] | None) -> list[str] | None:
    if value is None:
        return None
    bad = [f for f in value if f not in SHARE_FIELDS]
    if bad:
        raise ValueError(f"unknown contact field(s) {bad}; use {', '.join(SHARE_FIELDS)}")
    return sorted(set(value))


class _Checks(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _text(cls, value: object) -> object:
        return no_nul(value)

    @field_validator("country", check_fields=False)
    @classmethod
    def _c(cls, value: str | None) -> str | None:
        return _country(value)

    @field_validator("languages", check_fields=False)
    @classmethod
    def _l(cls, value: list[str] | None) -> list[str] | None:
        return _languages(value)

    @field_validator("share_fields", check_fields=False)
    @classmethod
    def _s(cls, value: list[str] | None) -> list[str] | None:
        return _share(value)

    @field_validator("external_id", check_fields=False)
    @classmethod
    def _id(cls, value: str | None) -> str | None:
        # As in the CSV import: requests and avoid lists could never name such an id.
        if value is not None and ";" in value:
            raise ValueError(
                "must not contain ';', which separates the entries of requests and avoid"
            )
        return value

    @field_validator("interests", "programmes", check_fields=False)
    @classmethod
    def _tags(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else sorted({" ".join(t.split()) for t in value if t})


class ParticipantCreate(_Checks):
    """One participant; `external_id` (the CSV `id`) is generated when left out."""

    external_id: Ref | None = None
    name: Text200
    email: Email
    school: Text200
    country: str = Field(max_length=8)
    sector: Sector
    languages: list[str] = Field(min_length=1, max_length=20)
    interests: list[Tag] = Field(default_factory=list, max_length=30)
    programmes: list[Tag] = Field(default_factory=list, max_length=30)
    requests: list[Ref] = Field(default_factory=list, max_length=30)
    avoid: list[Ref] = Field(default_factory=list, max_length=30)
    role: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=64)
    share_fields: list[str] = Field(default_factory=lambda: ["email", "school"])
    locale: str | None = Field(default=None, max_length=8)


class ParticipantUpdate(_Checks):
    name: Text200 | None = None
    email: Email | None = None
    school: Text200 | None = None
    country: str | None = Field(default=None, max_length=8)
    sector: Sector | None = None
    languages: list[str] | None = Field(default=None, max_length=20)
    interests: list[Tag] | None = Field(default=None, max_length=30)
    programmes: list[Tag] | None = Field(default=None, max_length=30)
    requests: list[Ref] | None = Field(default=None, max_length=30)
    avoid: list[Ref] | None = Field(default=None, max_length=30)
    role: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=64)
    share_fields: list[str] | None = None
    locale: str | None = Field(default=None, max_length=8)


class MeUpdate(_Checks):
    """What a participant may change about themself."""

    share_fields: list[str] | None = None
    locale: str | None = Field(default=None, max_length=8)


class ParticipantPublic(BaseModel):
    id: str
    event_id: str
    external_id: str
    name: str
    email: str
    school: str
    country: str
    sector: str
    languages: list[str]
    interests: list[str]
    programmes: list[str]
    requests: list[str]
    avoid: list[str]
    role: str | None
    phone: str | None
    share_fields: list[str]
    locale: str | None
    attendance: AttendanceStatus
    joined_round: int
    has_link: bool
    created_at: datetime

    @field_validator("created_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value if value.tzinfo else value.replace(tzinfo=UTC)


class ParticipantEdited(ParticipantPublic):
    """An edit's answer. While live, the rooms of the running and the next round holding them
    that now break a rule: reported, not refused (the correction is true)."""

    warnings: list[str] = Field(
        default=[], description="The rules broken, in the planner's English with ids"
    )
    messages: list[str] = Field(
        default=[], description="The same breaks in the request's language, people by name"
    )


class ImportResult(BaseModel):
    imported: int
    participants: list[ParticipantPublic]


class PersonalLink(BaseModel):
    participant_id: str
    external_id: str
    name: str
    email: str
    token: str
    link: str


class SessionExchange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=128)


class MeEvent(BaseModel):
    id: str
    name: str
    starts_at: datetime
    timezone: str
    rounds: int
    round_seconds: int
    break_seconds: int
    phase: str
    current_round: int
    state_version: int

    @field_validator("starts_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value if value.tzinfo else value.replace(tzinfo=UTC)


class Me(BaseModel):
    participant: ParticipantPublic
    event: MeEvent


class RoomMate(BaseModel):
    id: str
    name: str
    school: str
    country: str
    sector: str
    shared_interests: list[str]


class MyRoom(BaseModel):
    """Where the participant is (or will be) now; `room` is null when they sit out."""

    event_id: str
    phase: str
    round: int | None
    round_status: str | None
    starts_at: datetime | None
    ends_at: datetime | None
    state_version: int
    room_number: int | None
    room_name: str | None
    link: str | None
    why: str | None
    members: list[RoomMate]

    @field_validator("starts_at", "ends_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return value.replace(tzinfo=UTC) if value and not value.tzinfo else value
