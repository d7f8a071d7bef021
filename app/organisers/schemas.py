"""Organiser API shapes."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$"
    ),
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    password: str = Field(min_length=1, max_length=1000)
    code: str | None = Field(
        default=None, max_length=12, description="Authenticator code, with two-step sign-in on"
    )


class InviteExchange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=128)


MIN_PASSWORD_LENGTH = 10


class NewPassword(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=1000)
    # Needed once a password is set; an invited colleague setting a first one has none.
    current_password: str = Field(default="", max_length=1000)


class InviteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    name: Name


class OrganiserPublic(BaseModel):
    id: str
    email: str
    name: str
    has_password: bool


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

    @field_validator("created_at", "last_used_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        # Stored naive in UTC; the schema promises RFC 3339 date-times (with an offset).
        return value.replace(tzinfo=UTC) if value and not value.tzinfo else value


class ApiTokenCreated(ApiTokenPublic):
    token: str = Field(description="The bearer token; shown only once.")
