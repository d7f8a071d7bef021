"""Schedule API shapes."""

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _as_utc(value: datetime) -> datetime:
    """Stored naive in UTC; sent with its offset so browsers do not read it as local time."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]


class PinIn(BaseModel):
    """Two people who must meet (`together`) or never share a room; ids or CSV ids."""

    model_config = ConfigDict(extra="forbid")

    a: str = Field(min_length=1, max_length=64)
    b: str = Field(min_length=1, max_length=64)
    together: bool
    round: int | None = Field(default=None, ge=1, le=12)


class GenerateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    time_limit_s: float | None = Field(default=None, gt=0, le=120)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    pins: list[PinIn] | None = Field(
        default=None, max_length=500, description="Omit to keep the pins of the current plan."
    )


class SwapRequest(BaseModel):
    """Swap two people (participant ids) within one round that has not started."""

    model_config = ConfigDict(extra="forbid")

    round: int = Field(ge=1, le=12)
    a: str = Field(min_length=1, max_length=64)
    b: str = Field(min_length=1, max_length=64)
    force: bool = Field(default=False, description="Store even when the result breaks a rule.")


class MoveRequest(BaseModel):
    """Move one person to room `room` (0 = sit out) in a round that has not started."""

    model_config = ConfigDict(extra="forbid")

    round: int = Field(ge=1, le=12)
    participant: str = Field(min_length=1, max_length=64)
    room: int = Field(ge=0, le=10_000)
    force: bool = False


class MemberOut(BaseModel):
    id: str
    external_id: str
    name: str
    school: str
    country: str
    sector: str
    why: str


class RoomOut(BaseModel):
    number: int
    name: str | None
    link: str | None
    members: list[MemberOut]


class RoundOut(BaseModel):
    number: int
    status: str
    starts_at: UtcDatetime | None
    ends_at: UtcDatetime | None
    sitting_out: list[str]
    rooms: list[RoomOut]


class ScheduleOut(BaseModel):
    plan_id: str
    version: int
    score: dict[str, Any]
    upper_bound: int
    gap: int = Field(description="upper_bound - score.total: how far from optimal at most")
    elapsed_s: float
    warnings: list[str]
    unplaceable: list[dict[str, str]]
    pins: list[dict[str, Any]]
    created_at: UtcDatetime
    rounds: list[RoundOut]
