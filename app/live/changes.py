"""The notification every live action publishes after its commit: small, versioned, no secrets."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Kind = Literal[
    "state",  # anything changed: everyone re-reads their snapshot
    "round_started",
    "round_ended",
    "clock",  # pause / resume / extend
    "moved",
    "absent",
    "attendance",  # someone left out arrived after all
    "broadcast",
    "finished",
    "presence",
    "contacts",  # someone's "my contacts" changed: `participants` are told to fetch theirs
]

CHANNEL = "speedmatch:live"
# Changes that leave the event's state as it was: no presence read, nothing to prepare again.
NOT_STATE = ("presence", "broadcast", "contacts")


@dataclass(frozen=True)
class Change:
    event_id: str
    version: int
    kind: Kind
    round: int = 0
    # People to tell individually (their room changed, or they are the subject of the change).
    participants: tuple[str, ...] = ()
    text: str = ""
    room: int | None = None
    connected: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # The process that published it: that process has already served its own sockets.
    publisher: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str) -> Change:
        data = json.loads(raw)
        data["participants"] = tuple(data.get("participants", ()))
        return cls(**data)
