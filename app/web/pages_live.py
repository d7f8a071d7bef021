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
from app.web import i18n
from app.web.organiser_common import event_nav, render_event_page
from app.web.strings import country_name, organiser_live_strings
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


def person_search(session: Session, event: Event, locale: str) -> dict[str, Any]:
    """What the live page's person search needs besides the pushed rooms: the id from the
    participants file (the socket carries only the internal one) and each person's school and
    country also for someone no room on screen holds (absent); and its texts."""
    _ = i18n.translations(locale).gettext
    ngettext = i18n.translations(locale).ngettext
    # Two plural forms, as organiser_live_strings: "…_one" for 1, the other for any other number.
    count = [ngettext("{n} person matches “{q}”.", "{n} people match “{q}”.", n) for n in (1, 2)]
    return {
        "people": {
            p.id: [p.name, p.school, p.country, country_name(p.country, locale), p.external_id]
            for p in contacts_service.participants_of(session, event)
            if not p.deleted
        },
        "t": {"count_one": count[0], "count": count[1], "none": _("No one matches “{q}”.")},
    }


def _live_page_context(request: Request, session: Session, event: Event) -> dict[str, Any]:
    context = _live_context(request, session, event)
    context["person_search"] = person_search(session, event, request_locale(request))
    return context


@router.get("/organiser/events/{event_id}/live", response_class=HTMLResponse)
def live_page(
    request: Request, event_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """Run the event: round header, countdown, controls, presence, broadcast, next rooms."""
    return render_event_page(
        request, session, settings, event_id, "organiser/live.html", _live_page_context
    )


@router.get("/organiser/events/{event_id}/live/next", response_class=HTMLResponse)
def next_rooms_fragment(
    request: Request, event_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """The next round's rooms (refreshed by the live script when a round changes)."""
    return render_event_page(
        request, session, settings, event_id, "organiser/_next_rooms.html", _live_context
    )
