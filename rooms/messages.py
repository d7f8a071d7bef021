"""Every websocket message, both ways, as pydantic models discriminated on `type`.

Server messages carry `server_time` (UTC) so clients count down from the server's clock, and
`version` (the event's state version) so a client can ignore a push older than what it has.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

MAX_CLIENT_MESSAGE_BYTES = 4096


def now_utc() -> datetime:
    return datetime.now(UTC)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Member(_Model):
    """A person in a room, as their room-mates see them (no contact details before consent)."""

    id: str
    name: str
    school: str
    country: str
    sector: str
    shared_interests: list[str] = []


class RoomView(_Model):
    number: int
    name: str | None = None
    link: str | None = None
    members: list[Member]


class WhyFacts(_Model):
    """What `why` says, as facts (matching.explain.Facts): pages word them in their language.
    Codes for countries and languages, tags and names as typed; `mates` 0 means alone."""

    sector: str
    same_sector: int
    mates: int
    interests: list[str] = []
    programmes: list[str] = []
    asked: list[str] = []
    asked_by: list[str] = []
    new_countries: list[str] = []
    common_languages: list[str] = []


class RoundView(_Model):
    number: int
    status: Literal["planned", "running", "paused", "ended"]
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    remaining_s: float | None = None
    # Ended, with the break after it on hold (auto-advance): the break's time left, which runs
    # again from a release. Null otherwise: the next round then starts at `ends_at` + the break
    # + `break_held_s`.
    held_break_s: float | None = None
    # Ended: the seconds the break after it was held and released; `ends_at` stays the real end.
    break_held_s: float = 0.0


class Decision(_Model):
    """My contact decision about someone I met."""

    to_participant_id: str
    share: bool
    met: bool | None = None


class PresenceEntry(_Model):
    participant_id: str
    name: str
    connected: bool
    attendance: str
    room: int | None = None


class ServerMessage(_Model):
    server_time: datetime = Field(default_factory=now_utc)
    version: int = 0


class BroadcastMessage(ServerMessage):
    type: Literal["broadcast"] = "broadcast"
    text: str
    room: int | None = None


class StateMessage(ServerMessage):
    """The full snapshot: always the first message on a connection, and the resync answer."""

    type: Literal["state"] = "state"
    event_id: str
    event_name: str
    phase: str
    current_round: int
    rounds_total: int
    round: RoundView | None = None
    # Participant view: my id, my room in the current round (null when sitting out or between).
    participant_id: str | None = None
    room: RoomView | None = None
    why: str = ""
    # The facts `why` tells, for pages in other languages (null for an organiser's move).
    why_facts: WhyFacts | None = None
    # Why my room changed after the plan was made in the current round, as the `assignment` said
    # (English; pages translate): a reload or a reconnect shows it again.
    notice: str | None = None
    decisions: list[Decision] = []
    # The current round's organiser messages to me (to everyone or my room), oldest first, each
    # with its `server_time` as sent: a page that was reconnecting still shows them.
    broadcasts: list[BroadcastMessage] = []
    # Organiser view: every room of the current round and who is connected.
    rooms: list[RoomView] = []
    presence: list[PresenceEntry] = []


class AssignmentMessage(ServerMessage):
    type: Literal["assignment"] = "assignment"
    round: int
    starts_at: datetime | None
    ends_at: datetime | None
    room: RoomView | None
    why: str = ""
    why_facts: WhyFacts | None = None  # as in `state`
    # Set when the room changed after the plan was made (no-shows, a move by the organiser).
    notice: str | None = None


class RoundStartedMessage(ServerMessage):
    type: Literal["round_started"] = "round_started"
    round: int
    starts_at: datetime | None
    ends_at: datetime | None


class RoundEndingMessage(ServerMessage):
    type: Literal["round_ending"] = "round_ending"
    round: int
    ends_at: datetime | None
    seconds_left: float


class RoundEndedMessage(ServerMessage):
    type: Literal["round_ended"] = "round_ended"
    round: int
    next_round_at: datetime | None = None


class PresenceMessage(ServerMessage):
    """Someone connected or left. Organisers get everyone; room-mates get their own room."""

    type: Literal["presence"] = "presence"
    participant_id: str
    name: str = ""
    connected: bool
    room: int | None = None
    connected_count: int | None = None


class ContactsChangedMessage(ServerMessage):
    """Sent only to a participant whose "my contacts" changed (someone's decision completed or
    withdrew a share): the page fetches its own list and answers again. It carries nobody's
    details."""

    type: Literal["contacts_changed"] = "contacts_changed"


class EventFinishedMessage(ServerMessage):
    type: Literal["event_finished"] = "event_finished"


class ErrorMessage(ServerMessage):
    type: Literal["error"] = "error"
    code: str
    detail: str


class PongMessage(ServerMessage):
    type: Literal["pong"] = "pong"


OutboundMessage = Annotated[
    StateMessage
    | AssignmentMessage
    | RoundStartedMessage
    | RoundEndingMessage
    | RoundEndedMessage
    | BroadcastMessage
    | PresenceMessage
    | ContactsChangedMessage
    | EventFinishedMessage
    | ErrorMessage
    | PongMessage,
    Field(discriminator="type"),
]


# Client → server.


class PingMessage(_Model):
    """App-level heartbeat; answered with `pong` carrying the current version."""

    type: Literal["ping"]


class HelloMessage(_Model):
    """Sent on (re)connect: the server answers with `state` when `last_version` is behind."""

    type: Literal["hello"]
    last_version: int = Field(default=0, ge=0)


class ResyncMessage(_Model):
    """Ask for a fresh `state` snapshot."""

    type: Literal["resync"]


InboundMessage = Annotated[PingMessage | HelloMessage | ResyncMessage, Field(discriminator="type")]

_inbound: TypeAdapter[PingMessage | HelloMessage | ResyncMessage] = TypeAdapter(InboundMessage)
_outbound: TypeAdapter[ServerMessage] = TypeAdapter(OutboundMessage)


class MessageError(ValueError):
    """A client message that must close the connection; `reason` fits a websocket close frame."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        # A close frame's reason may hold at most 123 bytes of UTF-8, whatever the client sent.
        self.reason = reason.encode()[:120].decode(errors="ignore")


def parse_client_message(
    raw: str | bytes, *, max_bytes: int = MAX_CLIENT_MESSAGE_BYTES
) -> PingMessage | HelloMessage | ResyncMessage:
    """Parse one inbound frame; raise MessageError with a readable reason when it is bad."""
    size = len(raw.encode() if isinstance(raw, str) else raw)
    if size > max_bytes:
        raise MessageError(f"message too large: {size} bytes, limit {max_bytes}")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise MessageError("malformed message: not JSON") from None
    if not isinstance(data, dict) or "type" not in data:
        raise MessageError("malformed message: expected an object with a 'type'")
    try:
        return _inbound.validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "message"
        raise MessageError(f"invalid message: {where}: {first['msg']}") from None


def parse_server_message(raw: str | bytes) -> ServerMessage:
    """Parse a server message (for clients, tests and the bench)."""
    return _outbound.validate_json(raw)


def encode(message: ServerMessage) -> str:
    return message.model_dump_json()


_ROOM_SLOT = '"room":null,"why":"","why_facts":null'


def room_part(room: RoomView | None, why: str, facts: WhyFacts | None = None) -> str:
    """One person's `room`, `why` and `why_facts` fields, encoded for `assignment_encoder`."""
    encoded = room.model_dump_json() if room is not None else "null"
    told = facts.model_dump_json() if facts is not None else "null"
    return f'"room":{encoded},"why":{json.dumps(why, ensure_ascii=False)},"why_facts":{told}'


def assignment_encoder(envelope: AssignmentMessage) -> Callable[[str], str]:
    """Encodes a round start's assignments, which differ only in `room` and `why` (its facts).

    Encoding a whole message per person was a third of a 1,000-person round start. Here the
    validated envelope is encoded once and each person's `room_part` (encoded once per view)
    is put in its place: the same JSON as `encode`, at a string join per person.
    """
    text = encode(envelope.model_copy(update={"room": None, "why": "", "why_facts": None}))
    head, tail = text.split(_ROOM_SLOT, 1)
    return lambda part: head + part + tail
