"""Database tables. The database is the single source of truth for every event.

No `from __future__ import annotations` here: SQLModel needs real annotations (sqlmodel#196).
Times are stored as naive UTC datetimes (SQLite keeps no zone); convert at the edges. They are
annotated `NaiveDatetime` because SQLModel >= 0.0.50 otherwise demands timezone-aware values.
"""

import secrets
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, cast

from pydantic import NaiveDatetime
from sqlalchemy import JSON, Column, MetaData, Table, UniqueConstraint
from sqlmodel import Field, SQLModel

# Stable constraint names so Alembic autogenerate and batch migrations agree across databases.
SQLModel.metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def table_of(model: type[SQLModel]) -> Table:
    """A table model's Core table, for statements built once (no ORM cost per run)."""
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


def new_id() -> str:
    return secrets.token_hex(8)


class EventPhase(StrEnum):
    DRAFT = "draft"
    OPEN = "open"  # registration open
    SCHEDULED = "scheduled"  # plan stored, not started
    LIVE = "live"
    FINISHED = "finished"


class RoundStatus(StrEnum):
    PLANNED = "planned"
    RUNNING = "running"
    PAUSED = "paused"
    ENDED = "ended"


class AttendanceStatus(StrEnum):
    EXPECTED = "expected"
    PRESENT = "present"
    ABSENT = "absent"  # marked absent or a no-show: left out of the remaining rounds
    LATE = "late"  # arrived after the start: added from the next round on


class Organiser(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    email: str = Field(index=True, unique=True, max_length=320)
    name: str = Field(max_length=200)
    password_hash: str | None = Field(default=None, max_length=255)
    # Invite-link sign-in: hash of a one-time token, cleared when used.
    invite_token_hash: str | None = Field(default=None, index=True, max_length=128)
    # UTC; when the current invite link was made (the link carries it too, for its expiry): the
    # colleagues list tells an unused link from an expired one without the link.
    invite_issued_at: NaiveDatetime | None = None
    # Part of every session cookie; bumped on sign-out and password change so that copies of
    # old cookies stop working on the server, not only in the browser that signed out.
    session_version: int = 0
    # Two-step sign-in (TOTP, RFC 6238): the shared secret, sealed (app.organisers.sealed), once
    # the organiser starts setting it up; `totp_enabled` once a first code proved the app has
    # it; and the last time step used, so that no code works twice.
    totp_secret: str | None = Field(default=None, max_length=255)
    totp_enabled: bool = False
    totp_last_step: int | None = None
    created_at: NaiveDatetime = Field(default_factory=utcnow)


class ApiToken(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    organiser_id: str = Field(foreign_key="organiser.id", index=True, max_length=32)
    name: str = Field(max_length=200)
    token_hash: str = Field(index=True, unique=True, max_length=128)
    created_at: NaiveDatetime = Field(default_factory=utcnow)
    last_used_at: NaiveDatetime | None = None
    revoked: bool = False


class Event(SQLModel, table=True):
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    organiser_id: str = Field(foreign_key="organiser.id", index=True, max_length=32)
    name: str = Field(max_length=200)
    starts_at: NaiveDatetime  # UTC
    timezone: str = Field(default="Europe/Brussels", max_length=64)
    rounds: int = 4
    round_seconds: int = 480
    break_seconds: int = 120
    auto_advance: bool = False
    room_size: int = 2
    distinct_countries: bool = True
    max_per_country: int | None = None
    weights: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # "{event}", "{round}", "{room}" placeholders, e.g. https://meet.jit.si/sm-{event}-r{round}-{room}
    room_link_template: str | None = Field(default=None, max_length=500)
    # Fixed breakout room names for Zoom / Teams ("Room 07"); used when set.
    room_names: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    ui_languages: list[str] = Field(
        default_factory=lambda: ["en"], sa_column=Column(JSON, nullable=False)
    )
    phase: EventPhase = Field(default=EventPhase.DRAFT, max_length=16)
    current_round: int = 0  # 0 = no round started yet
    # Bumped on every organiser action that changes what clients see (live versioning).
    state_version: int = 0
    mutual_consent: bool = True  # False: one-way sharing allowed
    export_closed: bool = False
    retention_days: int | None = None
    registration_slug: str = Field(
        default_factory=lambda: secrets.token_urlsafe(9), index=True, unique=True, max_length=32
    )
    created_at: NaiveDatetime = Field(default_factory=utcnow)
    finished_at: NaiveDatetime | None = None
    # UTC; when registration first opened: a draft before that "opens soon", after it "closed".
    registration_opened_at: NaiveDatetime | None = None


class Participant(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("event_id", "external_id"),
        UniqueConstraint("event_id", "email"),
    )

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    event_id: str = Field(foreign_key="event.id", index=True, max_length=32)
    external_id: str = Field(max_length=64)  # the CSV `id` column
    name: str = Field(max_length=200)
    email: str = Field(max_length=320)
    school: str = Field(max_length=200)
    country: str = Field(max_length=2)
    sector: str = Field(max_length=16)
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    interests: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    programmes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    requests: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    avoid: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    role: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=64)
    # Which contact fields this person agreed to share: subset of email, school, role, phone.
    share_fields: list[str] = Field(
        default_factory=lambda: ["email", "school"], sa_column=Column(JSON, nullable=False)
    )
    locale: str | None = Field(default=None, max_length=8)
    token_hash: str | None = Field(default=None, index=True, max_length=128)
    token_version: int = 0  # bumped on re-issue: invalidates old links and session cookies
    # Set when a link is issued to go out by e-mail, cleared once the SMTP server took that
    # message: still set after a crash mid-batch means the link may never have arrived.
    link_mail_pending_since: NaiveDatetime | None = None
    attendance: AttendanceStatus = Field(default=AttendanceStatus.EXPECTED, max_length=16)
    # The organiser marked them absent (not a no-show): their page reconnecting after a network
    # blip does not seat them again; only "Mark present" does.
    absence_marked: bool = False
    joined_round: int = 1  # late arrivals are seated from this round on
    deleted: bool = False  # personal data erased; row kept so counts stay consistent
    created_at: NaiveDatetime = Field(default_factory=utcnow)


class SchedulePlan(SQLModel, table=True):
    """One stored plan for an event; the newest row is the one in force."""

    # One row per version: two schedule changes at once cannot both store "the next" one.
    __table_args__ = (UniqueConstraint("event_id", "version"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    event_id: str = Field(foreign_key="event.id", index=True, max_length=32)
    version: int = 1
    score: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    upper_bound: int = 0
    elapsed_s: float = 0.0
    warnings: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    unplaceable: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    # Organiser pins in force for this plan: {"a", "b", "together", "round"} (participant ids).
    pins: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # The scoring weights of the generate it came from (re-plans and edits carry them on), so
    # going back to scheduled can tell a plan scored for other weights. None: not recorded.
    weights: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    created_at: NaiveDatetime = Field(default_factory=utcnow)


class Round(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("event_id", "number"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    event_id: str = Field(foreign_key="event.id", index=True, max_length=32)
    number: int
    status: RoundStatus = Field(default=RoundStatus.PLANNED, max_length=16)
    starts_at: NaiveDatetime | None = None  # UTC
    ends_at: NaiveDatetime | None = None  # UTC
    paused_remaining_s: float | None = None
    # How long the break after this round was held: added to the break, so the round's own end
    # stays when it ended.
    break_held_s: float = 0.0
    # Participant ids sitting this round out.
    sitting_out: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Those of `sitting_out` whose sitting out the organiser set by hand (app.schedule.kept_edits).
    hand_set_out: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    # Who was told their room changed in this round without a room in it (sitting out, left
    # out), by notice code (app.live.snapshot); the seated are told in `RoomMember.notice`.
    notices_unseated: dict[str, str] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}")
    )


class Room(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("round_id", "number"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    round_id: str = Field(foreign_key="round.id", index=True, max_length=32)
    number: int
    link: str | None = Field(default=None, max_length=500)
    name: str | None = Field(default=None, max_length=100)


class RoomMember(SQLModel, table=True):
    room_id: str = Field(foreign_key="room.id", primary_key=True, max_length=32)
    # Indexed on its own: "my current room" looks members up by participant.
    participant_id: str = Field(
        foreign_key="participant.id", primary_key=True, index=True, max_length=32
    )
    why: str = Field(default="", max_length=500)
    # Seat set by hand by the organiser (app.schedule.kept_edits): a removal's re-plan keeps it.
    hand_set: bool = False
    # For a hand-set seat a re-plan kept: the room-mates it was kept with (others the planner
    # added are not wanted). None: the seat as it stands now.
    kept_with: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # Why this person was told their room changed in this round (app.live.snapshot), if told.
    notice: str | None = Field(default=None, max_length=16)


class ContactDecision(SQLModel, table=True):
    """What `from_participant` decided about sharing with `to_participant` after meeting."""

    __table_args__ = (UniqueConstraint("from_participant_id", "to_participant_id"),)

    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    event_id: str = Field(foreign_key="event.id", index=True, max_length=32)
    from_participant_id: str = Field(foreign_key="participant.id", index=True, max_length=32)
    to_participant_id: str = Field(foreign_key="participant.id", index=True, max_length=32)
    round_number: int | None = None
    share: bool = False
    met: bool | None = None  # True "we met", False "they did not show up"
    note: str = Field(default="", max_length=1000)
    updated_at: NaiveDatetime = Field(default_factory=utcnow)


class AuditLog(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    event_id: str | None = Field(default=None, foreign_key="event.id", index=True, max_length=32)
    actor: str = Field(max_length=100)  # "organiser:<id>", "system", "participant:<id>"
    action: str = Field(max_length=64)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: NaiveDatetime = Field(default_factory=utcnow, index=True)


class SigninAttempt(SQLModel, table=True):
    """A failed organiser sign-in, kept for rate limiting across restarts and instances."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True, max_length=400)  # "email:<address>" or "ip:<address>"
    created_at: NaiveDatetime = Field(default_factory=utcnow, index=True)
