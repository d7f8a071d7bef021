"""Organiser live actions over HTTP: `POST /api/v1/events/{event_id}/live/<action>`.

Each action commits first, then publishes the change; every process pushes it to its sockets.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query, Request
from pydantic import BaseModel, Field, field_validator
from sqlmodel import Session

from app.audit import organiser_actor
from app.db import session_scope
from app.deps import OrganiserDep, authenticate_organiser_id, organiser_credentials
from app.errors import NotFound, for_organisers
from app.live import attendance, service
from app.live.changes import Change
from app.live.event_view import EventView
from app.live.runtime import LiveRuntime
from app.live.snapshot import load_view
from app.live.statements import EventRounds
from app.models import Event, Organiser

router = APIRouter(prefix="/api/v1/events/{event_id}/live", tags=["live"])

# A move's breaks in the request's language, people by name: (request, session, event id,
# round, room moved into) -> texts. The web layer words them (app.web.rule_words.move_messages,
# set as `app.state.move_messages` by app.main): app/live does not import app/web.
MoveMessages = Callable[[Request, Session, str, int, int], list[str]]


class ExtendIn(BaseModel):
    seconds: int = Field(default=60, ge=1, le=3600, description="Seconds to add to the round")


class BroadcastIn(BaseModel):
    text: str = Field(min_length=1, max_length=500)
    room: int | None = Field(default=None, ge=1, description="One room of the live round, or all")

    @field_validator("text")
    @classmethod
    def _not_blank(cls, text: str) -> str:
        # White space alone would show everyone an empty message in place of the last real one.
        if not text.strip():
            raise ValueError("must contain more than white space")
        return text


class ParticipantIn(BaseModel):
    participant_id: str = Field(min_length=1, max_length=32)


class MoveIn(ParticipantIn):
    room: int = Field(ge=1)


class LiveStatus(BaseModel):
    event_id: str
    phase: str
    current_round: int
    rounds_total: int
    version: int
    round_status: str | None
    starts_at: datetime | None
    ends_at: datetime | None
    remaining_s: float | None
    # Between rounds with auto-advance, while the organiser holds the break: its time left.
    held_break_s: float | None = None
    connected: int
    details: dict[str, object] = {}


def _runtime(request: Request) -> LiveRuntime:
    runtime: LiveRuntime = request.app.state.live
    return runtime


def _check_owner(owner_id: str | None, organiser_id: str) -> None:
    # Someone else's event is reported as missing, so ids cannot be probed.
    if owner_id != organiser_id:
        raise NotFound(for_organisers("No such event."))


def _own(session: Session, organiser: Organiser, event_id: str) -> Event:
    event = session.get(Event, event_id)
    _check_owner(event.organiser_id if event else None, organiser.id)
    assert event is not None  # _check_owner refused a missing one
    return event


async def _act(
    request: Request,
    organiser: Organiser,
    event_id: str,
    action: Callable[[Session, str, str], Change],
    *,
    after_end: str | None = None,
) -> LiveStatus:
    """Run `action`; `after_end`: its refusal once the event has finished (service.AFTER_END_*)."""
    actor = organiser_actor(organiser.id)

    def run() -> Change:
        with session_scope() as session:
            event = _own(session, organiser, event_id)
            if after_end is not None:
                service.refuse_when_finished(event, after_end)
            return action(session, event_id, actor)

    change = await asyncio.to_thread(run)
    runtime = _runtime(request)
    await runtime.publish(change)
    return await _status(runtime, event_id, change)


async def _status(runtime: LiveRuntime, event_id: str, change: Change | None) -> LiveStatus:
    if change is not None:
        # The view the fan-out reads anyway (single-flight): no second read of a large event.
        view = await runtime.view_after(change)
    else:

        def read() -> EventView | None:
            with session_scope() as session:
                return load_view(session, event_id)

        view = await asyncio.to_thread(read)
    if view is None:
        raise NotFound(for_organisers("No such event."))
    clock = view.round
    now = datetime.now(UTC)
    return LiveStatus(
        event_id=event_id,
        phase=view.phase,
        current_round=view.current_round,
        rounds_total=view.rounds_total,
        version=view.version,
        round_status=clock.status.value if clock else None,
        starts_at=clock.starts_at if clock else None,
        ends_at=clock.ends_at if clock else None,
        remaining_s=clock.remaining_s(now) if clock else None,
        held_break_s=clock.paused_remaining_s if clock and clock.break_held else None,
        connected=len(await runtime.connected(event_id)),
        details=dict(change.extra) if change else {},
    )


@router.get("")
async def live_status(request: Request, event_id: str, organiser: OrganiserDep) -> LiveStatus:
    """The live round's clock, the state version and how many participants are connected."""

    def check() -> None:
        with session_scope() as session:
            _own(session, organiser, event_id)

    await asyncio.to_thread(check)
    return await _status(_runtime(request), event_id, None)


@router.post("/start-round")
async def start_round(request: Request, event_id: str) -> LiveStatus:
    """Start the next round. No-shows are left out and the remaining rounds re-planned first."""
    # Signed in as `OrganiserDep` checks, but inside the start's own worker-thread trip and
    # session: the dependency cost three thread hops and a session of its own, and each
    # delays every participant's assignment (docs/benchmarks.md).
    token, cookie = organiser_credentials(request)
    settings = request.app.state.settings

    def authorise(session: Session, event: EventRounds | None) -> str:
        organiser_id = authenticate_organiser_id(
            session, token=token, cookie=cookie, settings=settings
        )
        _check_owner(event.organiser_id if event else None, organiser_id)
        return organiser_actor(organiser_id)

    runtime = _runtime(request)
    change = await runtime.start_next(event_id, authorise)
    await runtime.publish(change)
    return await _status(runtime, event_id, change)


# The round a click was meant for: with it, a click that lands after the next round started
# (a co-host's, a slow network's) is refused with 409 instead of acting on that round.
ForRound = Annotated[
    int | None,
    Query(alias="round", ge=1, description="Act only if this round is the live one, else 409"),
]


async def _round_action(
    request: Request,
    organiser: Organiser,
    event_id: str,
    action: Literal["end-round", "pause", "resume", "extend"],
    expected: int | None,
    seconds: int = 60,
) -> LiveStatus:
    """`end-round`, or the clock change `action` (pause, resume, extend) of the live round."""

    def call(session: Session, event_id: str, actor: str) -> Change:
        if action == "end-round":
            return service.end_round(session, event_id, actor, expected_round=expected)
        return service.change_clock(
            session, event_id, actor, action, seconds=seconds, expected_round=expected
        )

    return await _act(request, organiser, event_id, call)


@router.post("/end-round")
async def end_round(
    request: Request, event_id: str, organiser: OrganiserDep, expected: ForRound = None
) -> LiveStatus:
    """End the running round now (the last round's end finishes the event)."""
    return await _round_action(request, organiser, event_id, "end-round", expected)


@router.post("/pause")
async def pause(
    request: Request, event_id: str, organiser: OrganiserDep, expected: ForRound = None
) -> LiveStatus:
    """Pause the running round's clock."""
    return await _round_action(request, organiser, event_id, "pause", expected)


@router.post("/resume")
async def resume(
    request: Request, event_id: str, organiser: OrganiserDep, expected: ForRound = None
) -> LiveStatus:
    """Resume a paused round with the time it had left."""
    return await _round_action(request, organiser, event_id, "resume", expected)


@router.post("/extend")
async def extend(
    request: Request,
    event_id: str,
    organiser: OrganiserDep,
    body: Annotated[ExtendIn | None, Body()] = None,
    expected: ForRound = None,
) -> LiveStatus:
    """Give the running round more time (default one minute)."""
    seconds = (body or ExtendIn()).seconds
    return await _round_action(request, organiser, event_id, "extend", expected, seconds)


@router.post("/broadcast")
async def broadcast(
    request: Request, event_id: str, organiser: OrganiserDep, body: BroadcastIn
) -> LiveStatus:
    """Show a message to everyone, or to one room of the running round."""
    message = partial(service.broadcast, text=body.text, room=body.room)
    return await _act(request, organiser, event_id, message)


@router.post("/absent")
async def absent(
    request: Request, event_id: str, organiser: OrganiserDep, body: ParticipantIn
) -> LiveStatus:
    """Mark someone absent: they are left out when the next round starts."""
    mark = partial(attendance.mark_absent, participant_id=body.participant_id)
    return await _act(request, organiser, event_id, mark, after_end=service.AFTER_END_ROOMS)


@router.post("/present")
async def present(
    request: Request, event_id: str, organiser: OrganiserDep, body: ParticipantIn
) -> LiveStatus:
    """Undo "absent": they take part again from the next round on."""
    mark = partial(attendance.mark_present, participant_id=body.participant_id)
    return await _act(request, organiser, event_id, mark, after_end=service.AFTER_END_ROOMS)


@router.post("/move")
async def move(
    request: Request, event_id: str, organiser: OrganiserDep, body: MoveIn
) -> LiveStatus:
    """Move someone into another room of the running round (or of the next one between rounds)."""
    seat = partial(attendance.move, participant_id=body.participant_id, room=body.room)
    status = await _act(request, organiser, event_id, seat, after_end=service.AFTER_END_ROOMS)
    number = status.details.get("round")
    words: MoveMessages | None = getattr(request.app.state, "move_messages", None)
    if status.details.get("warnings") and isinstance(number, int) and words is not None:
        # `warnings` stay the planner's English with ids (API clients); the organiser's page
        # shows the same breaks in its language, people by name.
        def said() -> list[str]:
            with session_scope() as session:
                return words(request, session, event_id, number, body.room)

        status.details["messages"] = await asyncio.to_thread(said)
    return status
