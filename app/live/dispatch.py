"""Turns one `Change` plus the event's fresh view into a message per local connection.

Pure and synchronous: no database, no awaits, so a fan-out to thousands of sockets is one tight
loop that only encodes and enqueues (the per-socket pumps do the sending).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from app.errors import for_participants
from app.live.changes import Change
from app.live.event_view import EventView
from rooms import (
    BroadcastMessage,
    Connection,
    ContactsChangedMessage,
    Decision,
    EventFinishedMessage,
    Hub,
    PresenceMessage,
    RoundEndedMessage,
    RoundEndingMessage,
    RoundStartedMessage,
    assignment_encoder,
    encode,
)

# Sent in English; the participant's page shows them in its language (app/web/strings.py).
ROOM_CHANGED = for_participants(
    "Your room changed: someone could not come, so the rounds were re-planned."
)
# A start that re-planned only for people who came (walk-ins, late arrivals): nobody was missing.
JOINED = for_participants(
    "Your room changed: someone joined the event, so the rounds were re-planned."
)
MOVED = for_participants("The organiser changed your room.")
NOTICES = (ROOM_CHANGED, JOINED, MOVED)


def state_text(
    view: EventView,
    conn: Connection,
    connected: set[str] | None,
    decisions: list[Decision] | None = None,
) -> str:
    return encode(view.state_for(conn.participant_id, connected=connected, decisions=decisions))


def participant_state(view: EventView, participant_id: str) -> dict[str, Any]:
    """The participant's first `state` message as JSON data, for their page to start from."""
    return view.state_for(participant_id).model_dump(mode="json")


def fan_out(hub: Hub, view: EventView, change: Change, connected: set[str] | None) -> None:
    """Queue what each local socket of the event must see for `change`."""
    if change.kind == "presence":
        _presence(hub, view, change)
        return
    if change.kind == "contacts":
        _contacts(hub, view, change)
        return
    conns = hub.connections(view.event_id)
    conns.sort(key=lambda c: c.is_organiser)  # participants first: the organiser's is larger
    if change.kind == "broadcast":
        message = BroadcastMessage(version=view.version, text=change.text, room=change.room)
        sent_at = change.extra.get("sent_at")
        # Kept with the time it was stored, as a fresh read of the view would have it.
        view.remember(
            message.model_copy(update={"server_time": datetime.fromisoformat(sent_at)})
            if isinstance(sent_at, str)
            else message
        )
        text = encode(message)
        for conn in conns:
            if change.room is None or (
                conn.participant_id is not None
                and view.room_number(conn.participant_id) == change.room
            ):
                conn.push(text)
        return
    told = set(change.participants)
    moved = change.extra.get("participant_id")
    common: str | None = None
    started = ""
    if change.kind == "round_ended":
        at = change.extra.get("next_round_at")
        common = encode(
            RoundEndedMessage(
                version=view.version,
                round=change.round,
                next_round_at=datetime.fromisoformat(at) if isinstance(at, str) else None,
            )
        )
    elif change.kind == "finished":
        common = encode(EventFinishedMessage(version=view.version))
    elif change.kind == "round_started":
        started = encode(
            RoundStartedMessage(
                version=view.version,
                round=change.round,
                starts_at=view.round.starts_at if view.round else None,
                ends_at=view.round.ends_at if view.round else None,
            )
        )
    assignment = _assignments(view)
    for conn in conns:
        pid = conn.participant_id
        if conn.sent_version > view.version or (
            change.kind == "state" and conn.sent_version == view.version
        ):
            continue  # this socket already has this state or something newer
        if pid is None:
            if change.kind == "round_started":
                conn.push(started)
            elif common is not None:
                conn.push(common)
            conn.push(state_text(view, conn, connected))
        elif change.kind == "round_started":
            # Why, as the start stored it (a no-show, or only newcomers): app.live.snapshot.
            why = view.notices.get(pid, ROOM_CHANGED) if pid in told else None
            conn.push(assignment(pid, why))
        elif change.kind == "moved" and pid in told:
            # Only the person moved is told why; their old and new room-mates get their room
            # card as it is now (their page says who they meet).
            conn.push(assignment(pid, MOVED if pid == moved else None))
        elif common is not None:
            conn.push(common)
            if change.kind == "round_ended":
                conn.push(state_text(view, conn, None))
        elif change.kind in ("clock", "state"):
            conn.push(state_text(view, conn, None))
        # Otherwise (someone else moved or marked absent) nothing this socket shows changed.
        conn.sent_version = view.version


def _assignments(view: EventView) -> Callable[[str, str | None], str]:
    """Encodes each person's assignment, the common envelope once per notice."""
    encoders: dict[str | None, Callable[[str], str]] = {}

    def text(pid: str, notice: str | None) -> str:
        encoder = encoders.get(notice)
        if encoder is None:
            encoder = encoders[notice] = assignment_encoder(view.assignment_envelope(notice))
        return encoder(view.room_part(pid))

    return text


def _contacts(hub: Hub, view: EventView, change: Change) -> None:
    """Only the people whose "my contacts" changed are told; each page fetches its own list."""
    for pid in change.participants:
        for conn in hub.participant_connections(view.event_id, pid):
            # Never older than what the socket has: the page would drop it as stale.
            version = max(view.version, conn.sent_version)
            conn.push(encode(ContactsChangedMessage(version=version)))


def _presence(hub: Hub, view: EventView, change: Change) -> None:
    live = view.round is not None and view.round.status.value in ("running", "paused")
    organisers = hub.organiser_connections(view.event_id)
    for pid in change.participants:
        targets = list(organisers)
        if live:  # room-mates learn that someone left (or came back) mid-round
            for mate in view.room_mates(pid):
                targets += hub.participant_connections(view.event_id, mate)
        if not targets:
            continue
        card = view.cards.get(pid)
        msg = encode(
            PresenceMessage(
                version=view.version,
                participant_id=pid,
                name=card.name if card else "",
                connected=bool(change.connected),
                room=view.room_number(pid),
            )
        )
        for conn in targets:
            conn.push(msg)


def round_ending(hub: Hub, view: EventView, seconds_left: float) -> None:
    """Tell everyone of the event on this process that the round ends soon."""
    assert view.round is not None
    text = encode(
        RoundEndingMessage(
            server_time=datetime.now(UTC),
            version=view.version,
            round=view.round.number,
            ends_at=view.round.ends_at,
            seconds_left=round(seconds_left, 1),
        )
    )
    for conn in hub.connections(view.event_id):
        conn.push(text)
