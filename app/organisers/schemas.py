"""Organiser API shapes."""

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

# Limits shared with the web forms (app/web/auth.py checks them there, to answer with the page).
EMAIL_MAX_LENGTH = 320
PASSWORD_MAX_LENGTH = 1000  # argon2 hashes the whole password: no megabyte-long ones
CODE_MAX_LENGTH = 12  # six digits, with room for spaces

Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=3,
        max_length=EMAIL_MAX_LENGTH,
        pattern=r"^[^@\s]+@[^@\s]+$",
    ),
]
NAME_MAX_LENGTH = 200
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX_LENGTH)
]


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    password: str = Field(min_length=1, max_length=PASSWORD_MAX_LENGTH)
    code: str | None = Field(
        default=None,
        max_length=CODE_MAX_LENGTH,
        description="Authenticator code, with two-step sign-in on",
    )


class InviteExchange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=128)


MIN_PASSWORD_LENGTH = 10


class NewPassword(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=PASSWORD_MAX_LENGTH)
    # Needed once a password is set; an invited colleague setting a first one has none.
    current_password: str = Field(default="", max_length=PASSWORD_MAX_LENGTH)


class InviteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    name: Name


class OrganiserPublic(BaseModel):
    id: str
    email: str
    name: str
    has_password: bool


def _as_utc(value: datetime | None) -> datetime | None:
    # Stored naive in UTC; the schema promises RFC 3339 date-times (with an offset).
    return value.replace(tzinfo=UTC) if value and not value.tzinfo else value


class ColleaguePublic(OrganiserPublic):
    """An organiser account as its colleagues see it: never a secret (no hashes, no links)."""

    status: Literal["invited", "invite_expired", "active"] = Field(
        description="`invited`: invite link not used yet; `invite_expired`: not used, and "
        "too old to work (invite them again); `active`: signed in at least once"
    )
    two_step: bool = Field(description="Two-step sign-in on")
    created_at: datetime
    invite_expires_at: datetime | None = Field(description="Until when the invite link works")
    events: int = Field(description="Events the account owns")

    _utc = field_validator("created_at", "invite_expires_at")(_as_utc)


class InviteCreated(BaseModel):
    organiser: OrganiserPublic
    invite_link: str


class ApiTokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name


class ApiTokenPublic(BaseModel):
    id: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool

    _utc = field_validator("created_at", "last_used_at")(_as_utc)


class ApiTokenCreated(ApiTokenPublic):
    token: str = Field(description="The bearer token; shown only once.")
