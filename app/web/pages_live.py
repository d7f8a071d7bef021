"""The organiser's live view of an event (the websocket and the live API do the work)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.contacts import service as contacts_service
from app.contacts.video import room_name as export_room_name
from app.deps import SessionDep, SettingsDep
from app.models import Event, EventPhase
from app.web.organiser_common import event_nav, render_event_page
from app.web.strings import organiser_live_strings
from app.web.templating import request_locale

router = APIRouter(include_in_schema=False)


def rooms_of_round(session: Session, event: Event, number: int) -> list[dict[str, Any]]:
    """The rooms of round `number` with their members' names and countries.

    `name` is a room's own name (a fixed breakout-room name) or None; the page then says
    "Room 3" in the organiser's language, as the live table and participants' pages do (the
    exports' "Room 03" is for spreadsheets and video tools).
    """
    people = {p.id: p for p in contacts_service.participants_of(session, event)}
    return [
        {
            "number": place.room,
            "name": None if place.room_name == export_room_name(place.room) else place.room_name,
            "members": [people[m] for m in place.members if m in people],
        }
        for place in contacts_service.placements(session, event)
        if place.round == number
    ]


def _live_context(request: Request, session: Session, event: Event) -> dict[str, Any]:
    upcoming = event.current_round + 1
    # Finished (possibly early): the rounds not played never will be, and have no rooms to show.
    left = event.rounds if event.phase != EventPhase.FINISHED else event.current_round
    return {
        "event": event,
        "nav": event_nav(event),
        "next_number": upcoming,
        # A round to come may hold no rooms (too few people left to meet someone new): it is
        # still to come, and everyone sits it out.
        "next_exists": upcoming <= left,
        "next_rooms": rooms_of_round(session, event, upcoming) if upcoming <= left else [],
        "current_rooms": rooms_of_round(session, event, max(event.current_round, 1)),
        "live_config": {
            "wsPath": f"/ws/organiser/{event.id}",
            "apiBase": f"/api/v1/events/{event.id}/live",
            "phase": str(event.phase),
            "roundsTotal": event.rounds,
            "breakSeconds": event.break_seconds,  # the countdown to an auto-advanced round
            "fragments": {"next": f"/organiser/events/{event.id}/live/next"},
            "t": organiser_live_strings(request_locale(request)),
        },
    }


@router.get("/organiser/events/{event_id}/live", response_class=HTMLResponse)
def live_page(
    request: Request, event_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """Run the event: round header, countdown, controls, presence, broadcast, next rooms."""
    return render_event_page(
        request, session, settings, event_id, "organiser/live.html", _live_context
    )


@router.get("/organiser/events/{event_id}/live/next", response_class=HTMLResponse)
def next_rooms_fragment(
    request: Request, event_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """The next round's rooms (refreshed by the live script when a round changes)."""
    return render_event_page(
        request, session, settings, event_id, "organiser/_next_rooms.html", _live_context
    )
