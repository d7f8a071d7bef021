"""Reads an event's live state from the database into one `EventView` (app.live.event_view).

One query set per event and version: every message of a fan-out is rendered from that view.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Connection
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.live.dispatch import JOINED, MOVED, ROOM_CHANGED
from app.live.event_view import MAX_BROADCASTS, Card, EventView, ViewRoom
from app.live.met_before import MetKept, met_before
from app.live.round_clock import aware, clock_of
from app.models import (
    AuditLog,
    ContactDecision,
    Event,
    Participant,
    Room,
    RoomMember,
    Round,
)
from app.schedule.rooms import fill_link_template
from rooms import BroadcastMessage, Decision

# Why someone was told their room changed this round, as stored (`RoomMember.notice`,
# `Round.notices_unseated`), and what they were told (app.live.dispatch).
NOTICE_ROOM_CHANGED = "room_changed"  # its start re-planned for no-shows
NOTICE_JOINED = "joined"  # its start re-planned only for people who came
NOTICE_MOVED = "moved"  # a move by the organiser
_TOLD = {NOTICE_ROOM_CHANGED: ROOM_CHANGED, NOTICE_JOINED: JOINED, NOTICE_MOVED: MOVED}


def room_link(event: Event, round_no: int, room_no: int, link: str | None) -> str | None:
    """The room's own link, else the event's template filled in."""
    if link:
        return link
    if event.room_link_template:
        return fill_link_template(event.room_link_template, event.id, round_no, room_no)
    return None


def load_view(
    session: Session,
    event_id: str,
    round_number: int | None = None,
    *,
    met_kept: MetKept | None = None,
) -> EventView | None:
    """The event's current view, or None when the event does not exist.

    With `round_number`, the view shows that round as the current one (its rooms and clock):
    how the event will look once it starts (see app.live.prepared). `met_kept`: a process's
    answers to who met whom before, kept between its reads (app.live.met_before).
    """
    event = session.get(Event, event_id)
    if event is None:
        return None
    number = event.current_round if round_number is None else round_number
    rounds = session.exec(select(Round).where(Round.event_id == event_id)).all()
    current = next((r for r in rounds if r.number == number), None)
    view = EventView(
        event_id=event.id,
        event_name=event.name,
        phase=str(event.phase),
        current_round=number,
        rounds_total=len(rounds) or event.rounds,
        version=event.state_version,
        auto_advance=event.auto_advance,
        break_seconds=event.break_seconds,
        round=clock_of(current) if current is not None else None,
    )
    # Column selects, not ORM entities: a view of 5,000 people is read several times faster.
    people = (
        session.connection()
        .execute(
            sa_select(
                col(Participant.id),
                col(Participant.name),
                col(Participant.school),
                col(Participant.country),
                col(Participant.sector),
                col(Participant.interests),
                col(Participant.attendance),
                col(Participant.external_id),
                col(Participant.languages),
                col(Participant.programmes),
                col(Participant.requests),
            ).where(col(Participant.event_id) == event_id, col(Participant.deleted).is_(False))
        )
        .all()
    )
    ids = {row.external_id: row.id for row in people}  # requests name CSV ids
    for pid, name, school, country, sector, interests, attendance, _e, langs, progs, asks in people:
        view.cards[pid] = Card(
            pid,
            name,
            school,
            country,
            sector,
            frozenset(interests),
            frozenset(langs),
            frozenset(progs),
            frozenset(ids[r] for r in asks if r in ids),
        )
        view.attendance[pid] = str(attendance)
    if current is not None:
        rooms = session.exec(
            select(Room.id, Room.number, Room.name, Room.link)
            .where(Room.round_id == current.id)
            .order_by(col(Room.number))
        ).all()
        index = {room_id: i for i, (room_id, *_rest) in enumerate(rooms)}
        view.rooms = [
            ViewRoom(number, name, room_link(event, current.number, number, link), [])
            for _id, number, name, link in rooms
        ]
        members = session.exec(
            select(RoomMember.room_id, RoomMember.participant_id, RoomMember.why, RoomMember.notice)
            .join(Room, col(Room.id) == col(RoomMember.room_id))
            .where(Room.round_id == current.id)
            .order_by(col(RoomMember.participant_id))
        ).all()
        view.notices = _notices(current, [(pid, notice) for _r, pid, _w, notice in members])
        for room_id, pid, why, _notice in members:
            if pid not in view.cards:
                continue
            i = index[room_id]
            view.rooms[i].members.append(pid)
            view.room_of[pid] = i
            view.why[pid] = why
        view.met_before = met_before(
            session, event_id, current.number, rounds, view.cards, met_kept
        )
    view.decisions = decisions_where(
        session.connection(), col(ContactDecision.event_id) == event_id
    )
    view.broadcasts = _broadcasts(session, view, current.starts_at if current else None)
    return view


def _broadcasts(
    session: Session, view: EventView, since: datetime | None
) -> list[BroadcastMessage]:
    """The organiser's messages since the round started (before the first round: all of them).
    The audit log is where they are stored."""
    if since is None and view.current_round > 0:
        return []  # a round that has not started yet (a prepared view): none sent in it
    query = (
        select(AuditLog.created_at, AuditLog.detail)
        .where(AuditLog.event_id == view.event_id, AuditLog.action == "broadcast")
        .order_by(col(AuditLog.id).desc())
        .limit(MAX_BROADCASTS)
    )
    if since is not None:
        query = query.where(col(AuditLog.created_at) >= since)
    rows = session.exec(query).all()
    return [
        BroadcastMessage(
            server_time=aware(sent_at) or datetime.now(UTC),
            version=view.version,
            text=str(detail.get("text", "")),
            room=detail.get("room"),
        )
        for sent_at, detail in reversed(rows)
    ]


def _notices(current: Round, members: list[tuple[str, str | None]]) -> dict[str, str]:
    """Who was told their room changed in round `current`, and what: its start re-planned for
    no-shows, or a move by the organiser. A seat keeps the latest telling (a move rewrites it);
    those without a seat were told at the start."""
    codes = {**current.notices_unseated, **{pid: code for pid, code in members if code}}
    return {pid: _TOLD[code] for pid, code in codes.items() if code in _TOLD}


def decisions_where(
    connection: Connection, condition: ColumnElement[bool]
) -> dict[str, list[Decision]]:
    """Contact decisions by who made them. Decisions do not bump the state version, so a cached
    view's may be old: a socket's first `state` and a resync read the person's own afresh."""
    rows = connection.execute(
        sa_select(
            col(ContactDecision.from_participant_id),
            col(ContactDecision.to_participant_id),
            col(ContactDecision.share),
            col(ContactDecision.met),
        ).where(condition)
    ).all()
    out: dict[str, list[Decision]] = {}
    for source, target, share, met in rows:
        out.setdefault(source, []).append(Decision(to_participant_id=target, share=share, met=met))
    return out
