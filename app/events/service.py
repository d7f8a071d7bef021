"""Events: create, read, update, delete, and the lifecycle state machine.

draft -> open (registration) -> scheduled (a plan is stored) -> live -> finished. Organisers may
step back from open to draft and from scheduled to open; every other move is refused with a
message that says what to do instead.
"""

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app import audit, versions
from app.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotFound,
    Unauthorized,
    for_organisers,
)
from app.events.schemas import check_local_time
from app.models import (
    ContactDecision,
    Event,
    EventPhase,
    Organiser,
    Participant,
    Room,
    RoomMember,
    Round,
    SchedulePlan,
    utcnow,
)
from app.schedule import edit as schedule_edit
from app.schedule import plan_weights
from app.schedule import rooms as schedule_rooms
from app.schedule import store as schedule_store
from app.settings import Settings, get_settings

TRANSITIONS: dict[EventPhase, set[EventPhase]] = {
    EventPhase.DRAFT: {EventPhase.OPEN},
    EventPhase.OPEN: {EventPhase.DRAFT, EventPhase.SCHEDULED},
    EventPhase.SCHEDULED: {EventPhase.OPEN, EventPhase.LIVE},
    EventPhase.LIVE: {EventPhase.FINISHED},
    EventPhase.FINISHED: set(),
}

# The settings a plan is made for. While scheduled they may change: the plan stays, but going
# live waits until the schedule is generated again (`require_fitting_plan`).
PLAN_FIELDS = {"rounds", "room_size", "distinct_countries", "max_per_country", "weights"}
# Stored among the warnings of the plan in force when a setting it was made for changes while
# scheduled; the next "generate" (or a removal's re-plan, made for the settings as they are)
# stores a plan without it. Said when going live refuses the plan, and on the schedule page.
RESHAPED = schedule_store.RESHAPED
EDITABLE_PHASES = {EventPhase.DRAFT, EventPhase.OPEN, EventPhase.SCHEDULED}
# While live, only where people go: a wrong video link must be fixable for the running round
# and those to come.
LIVE_FIELDS = {"room_link_template", "room_names"}
# The only settings a null clears; for every other one null means "leave as it is".
NULLABLE_FIELDS = {"max_per_country", "room_link_template", "retention_days"}


ACCOUNT_REMOVED = for_organisers(
    "This organiser account was removed at the same moment; nothing was created."
)


def to_utc_naive(moment: datetime, timezone: str) -> datetime:
    """UTC without tzinfo (how times are stored); a naive input is read in `timezone`."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment.astimezone(UTC).replace(tzinfo=None)


def create_event(session: Session, *, organiser: Organiser, data: dict[str, Any]) -> Event:
    """Stores a new draft event owned by `organiser`."""
    values = dict(data)
    values["starts_at"] = to_utc_naive(
        values["starts_at"], values.get("timezone", "Europe/Brussels")
    )
    event = Event(organiser_id=organiser.id, **values)
    session.add(event)
    try:
        session.flush()
    except IntegrityError:
        # The only reference is the owner: a colleague removed this account at the same moment
        # (app.organisers.colleagues), which its session would have been refused a moment later.
        session.rollback()
        raise Unauthorized(ACCOUNT_REMOVED) from None
    audit.record(
        session,
        actor=audit.actor_for(organiser),
        action="event.create",
        event_id=event.id,
        detail={"name": event.name},
    )
    session.commit()
    session.refresh(event)
    return event


def list_events(session: Session, *, organiser: Organiser) -> list[Event]:
    statement = (
        select(Event)
        .where(Event.organiser_id == organiser.id)
        .order_by(col(Event.starts_at).desc())
    )
    return list(session.exec(statement))


def get_event(session: Session, *, event_id: str) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound(for_organisers("Event %(id)s does not exist."), id=repr(event_id))
    return event


def get_owned_event(session: Session, *, event_id: str, organiser: Organiser) -> Event:
    """The event if `organiser` owns it; another organiser's event looks like a missing one."""
    event = session.get(Event, event_id)
    if event is None or event.organiser_id != organiser.id:
        raise NotFound(for_organisers("Event %(id)s does not exist."), id=repr(event_id))
    return event


def participant_count(session: Session, *, event_id: str) -> int:
    statement = (
        select(func.count())
        .select_from(Participant)
        .where(Participant.event_id == event_id, col(Participant.deleted).is_(False))
    )
    return int(session.exec(statement).one())


def update_event(
    session: Session,
    *,
    event: Event,
    organiser: Organiser,
    changes: dict[str, Any],
    settings: Settings | None = None,
) -> Event:
    """Applies `changes`. A plan-shaping setting changed while scheduled keeps the stored plan
    but marks it (`RESHAPED`): going live waits until the schedule is generated again.

    A new link template or room names apply at once to the stored rooms of rounds not over,
    the running one included; they are all that may change while the event is live.
    """
    changes = {k: v for k, v in changes.items() if v is not None or k in NULLABLE_FIELDS}
    live = event.phase == EventPhase.LIVE
    if event.phase not in EDITABLE_PHASES and not (live and changes.keys() <= LIVE_FIELDS):
        if live:
            raise Conflict(
                for_organisers(
                    "The event is %(phase)s; its settings can no longer change (only the room "
                    "link template and room names can)."
                ),
                phase=event.phase.value,
            )
        raise Conflict(
            for_organisers("The event is %(phase)s; its settings can no longer change."),
            phase=event.phase.value,
        )
    reshaped = sorted(
        key for key in PLAN_FIELDS & changes.keys() if getattr(event, key) != changes[key]
    )
    _require_room_names(session, event=event, names=changes.get("room_names"))
    timezone = changes.get("timezone", event.timezone)
    if "starts_at" in changes:
        try:  # a PATCH without `timezone` is read in the event's zone, unchecked by the schema
            check_local_time(changes["starts_at"], timezone)
        except ValueError as exc:
            raise InvalidInput(str(exc), [{"field": "starts_at", "message": str(exc)}]) from None
        changes["starts_at"] = to_utc_naive(changes["starts_at"], timezone)
    for key, value in changes.items():
        setattr(event, key, value)
    if reshaped and event.phase == EventPhase.SCHEDULED:
        _mark_reshaped(session, event=event, fields=reshaped)
    if {"room_link_template", "room_names"} & changes.keys():
        rooms = schedule_rooms.refresh_room_links(
            session, event=event, settings=settings or get_settings()
        )
        if rooms:  # an SQL increment: a participant change at the same moment counts too
            versions.bump(session, event.id)
    session.add(event)
    audit.record(
        session,
        actor=audit.actor_for(organiser),
        action="event.update",
        event_id=event.id,
        detail={"fields": sorted(changes)},
    )
    session.commit()
    session.refresh(event)
    return event


def _mark_reshaped(session: Session, *, event: Event, fields: list[str]) -> None:
    """Marks the plan in force as made for other settings. A looser country rule, or a room
    size its rooms happen to fit, breaks no rule, so only this mark tells going live to wait
    for a new plan; the plan itself stays (edits, links and the page keep working)."""
    row = schedule_store.latest_plan(session, event_id=event.id)
    if row is None or RESHAPED in row.warnings:
        return
    if fields == ["weights"] and row.weights is not None:
        return  # the plan's weights record tells, and setting them back lets the plan stand
    row.warnings = [*row.warnings, RESHAPED]  # a new list: the JSON column sees the change
    session.add(row)


def _require_room_names(session: Session, *, event: Event, names: list[str] | None) -> None:
    """Fixed room names must cover every room of the stored rounds not yet started: a room
    past the list would have neither a name nor a link, and its people nowhere to go."""
    if not names:
        return
    needed = schedule_rooms.rooms_in_use(session, event_id=event.id)
    if len(names) < needed:
        refused = InvalidInput(
            for_organisers(
                "The stored schedule uses %(needed)s rooms but only %(listed)s room names are "
                "listed: add room names, or clear them and use a room link template."
            ),
            needed=needed,
            listed=len(names),
        )
        refused.errors = [{"field": "room_names", "message": refused.detail}]
        raise refused


def transition(
    session: Session, *, event: Event, to: EventPhase, actor: str, commit: bool = True
) -> Event:
    """Moves the event to phase `to`, or raises InvalidTransition saying why not."""
    if to == event.phase:
        raise InvalidTransition(for_organisers("The event is already %(phase)s."), phase=to.value)
    if to not in TRANSITIONS[event.phase]:
        allowed = ", ".join(sorted(p.value for p in TRANSITIONS[event.phase])) or "none"
        raise InvalidTransition(
            for_organisers(
                "An event cannot go from %(phase)s to %(to)s (allowed from %(phase)s: %(allowed)s)."
            ),
            phase=event.phase.value,
            to=to.value,
            allowed=allowed,
        )
    if to in (EventPhase.SCHEDULED, EventPhase.LIVE) and not has_plan(session, event_id=event.id):
        raise InvalidTransition(
            for_organisers("Generate the schedule first: the event has no stored plan.")
        )
    if to in (EventPhase.SCHEDULED, EventPhase.LIVE):
        require_fitting_plan(session, event=event, going_live=to == EventPhase.LIVE)
    previous = event.phase
    audit.record(
        session,
        actor=actor,
        action="event.phase",
        event_id=event.id,
        detail={"from": previous.value, "to": to.value},
    )
    _claim_phase(session, event=event, previous=previous, to=to)
    if commit:
        session.commit()
    session.refresh(event)
    return event


def _claim_phase(session: Session, *, event: Event, previous: EventPhase, to: EventPhase) -> None:
    """Moves the event on only if it is still in the phase this move was checked against: two
    tabs (or a round start) acting at once must not end in a move the rules forbid, such as a
    live event back to open."""
    values: dict[str, Any] = {"phase": to, "state_version": col(Event.state_version) + 1}
    if to == EventPhase.FINISHED:
        values["finished_at"] = utcnow()
    if to == EventPhase.OPEN:
        # The first opening only: a draft's registration page tells "not open yet" from "closed".
        values["registration_opened_at"] = func.coalesce(
            col(Event.registration_opened_at), utcnow()
        )
    claimed = session.connection().execute(
        update(Event).where(col(Event.id) == event.id, col(Event.phase) == previous).values(values)
    )
    if claimed.rowcount != 1:
        session.rollback()
        raise InvalidTransition(
            for_organisers(
                "The event left %(phase)s at the same moment (another tab or organiser); "
                "it was not moved to %(to)s. Reload the page to see where it is now."
            ),
            phase=previous.value,
            to=to.value,
        )


def require_fitting_plan(session: Session, *, event: Event, going_live: bool) -> None:
    """The stored plan must still fit: settings and people may have changed since it was made
    (while scheduled or reopened, or a removal the re-plan could not absorb), and a room of one
    is no room."""
    problems = schedule_edit.plan_problems(session, event=event, going_live=going_live)
    if plan_weights.changed_since_plan(session, event=event):
        # Weights break no rule, but a plan made for others ignores what the organiser changed.
        problems.insert(0, plan_weights.CHANGED)
    row = schedule_store.latest_plan(session, event_id=event.id)
    if row is not None and RESHAPED in row.warnings:
        problems.insert(0, RESHAPED)
    if problems:
        shown = "; ".join(problems[:5]) + (
            f" (and {len(problems) - 5} more)" if problems[5:] else ""
        )
        raise InvalidTransition(
            for_organisers(
                "The stored plan no longer fits the event (%(problems)s): generate the schedule "
                "again."
            ),
            problems=shown,
        )


def has_plan(session: Session, *, event_id: str) -> bool:
    statement = select(SchedulePlan.id).where(SchedulePlan.event_id == event_id).limit(1)
    return session.exec(statement).first() is not None


def delete_event(session: Session, *, event: Event, organiser: Organiser) -> None:
    """Deletes the event and everything in it (not while it is live)."""
    if event.phase == EventPhase.LIVE:
        raise Conflict(for_organisers("A live event cannot be deleted; finish it first."))
    round_ids = select(Round.id).where(Round.event_id == event.id)
    room_ids = select(Room.id).where(col(Room.round_id).in_(round_ids))
    session.exec(delete(RoomMember).where(col(RoomMember.room_id).in_(room_ids)))
    session.exec(delete(Room).where(col(Room.round_id).in_(round_ids)))
    session.exec(delete(Round).where(col(Round.event_id) == event.id))
    session.exec(delete(SchedulePlan).where(col(SchedulePlan.event_id) == event.id))
    session.exec(delete(ContactDecision).where(col(ContactDecision.event_id) == event.id))
    session.exec(delete(Participant).where(col(Participant.event_id) == event.id))
    # The audit trail outlives the event: entries keep their detail but lose the link.
    audit.detach_event(session, event_id=event.id)
    audit.record(
        session,
        actor=audit.actor_for(organiser),
        action="event.delete",
        detail={"event_id": event.id, "name": event.name},
    )
    session.delete(event)
    session.commit()
