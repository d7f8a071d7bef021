"""Organiser pages to take one participant out: remove (before the event is live) or erase
(a GDPR request, any time). Each shows what it does and asks to confirm; no script needed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from app import audit
from app.contacts import privacy
from app.deps import SessionDep, SettingsDep
from app.errors import AppError
from app.models import Event, Organiser, Participant
from app.participants import removal
from app.participants import service as participant_service
from app.settings import Settings
from app.web.organiser_common import event_nav, guard_event
from app.web.templating import error_page, error_text, render

router = APIRouter(include_in_schema=False)
BASE = "/organiser/events/{event_id}/participants"
REMOVE_PAGE = "organiser/participant_remove.html"
ERASE_PAGE = "organiser/participant_erase.html"


def _found_person(
    request: Request,
    session: Session,
    settings: Settings,
    event_id: str,
    participant_id: str,
    *,
    post: bool = False,
) -> tuple[Organiser, Event, Participant] | Response:
    found = guard_event(request, session, settings, event_id, post=post)
    if isinstance(found, Response):
        return found
    try:
        person = participant_service.get_participant(
            session, event_id=found[1].id, participant_id=participant_id
        )
    except AppError as exc:
        return error_page(request, exc)
    return found[0], found[1], person


def _confirm_page(
    request: Request,
    page: str,
    event: Event,
    person: Participant,
    *,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    context = {"event": event, "nav": event_nav(event), "person": person, "refusal": None}
    return render(request, page, {**context, **extra}, status_code=status_code)


def _confirm_form(
    request: Request,
    session: Session,
    settings: Settings,
    event_id: str,
    participant_id: str,
    page: str,
) -> Response:
    """The confirmation `page` for one participant: what the action does, and its button."""
    found = _found_person(request, session, settings, event_id, participant_id)
    if isinstance(found, Response):
        return found
    return _confirm_page(request, page, found[1], found[2])


@router.get(BASE + "/{participant_id}/remove", response_class=HTMLResponse)
def remove_form(
    request: Request, event_id: str, participant_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """What removing does, and the button that does it."""
    return _confirm_form(request, session, settings, event_id, participant_id, REMOVE_PAGE)


@router.post(BASE + "/{participant_id}/remove", response_model=None)
def remove(
    request: Request, event_id: str, participant_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """Take the participant out of the event (re-planned while scheduled); refused once live."""
    found = _found_person(request, session, settings, event_id, participant_id, post=True)
    if isinstance(found, Response):
        return found
    organiser, event, person = found
    try:
        removal.remove_participant(
            session,
            event=event,
            participant=person,
            actor=audit.actor_for(organiser),
            settings=settings,
        )
    except AppError as exc:
        session.rollback()
        refusal = error_text(request, exc)
        return _confirm_page(
            request, REMOVE_PAGE, event, person, refusal=refusal, status_code=exc.status_code
        )
    return RedirectResponse(BASE.format(event_id=event.id) + "?removed=1", status_code=303)


@router.get(BASE + "/{participant_id}/erase", response_class=HTMLResponse)
def erase_form(
    request: Request, event_id: str, participant_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """What erasing does (a GDPR request), and the button that does it."""
    return _confirm_form(request, session, settings, event_id, participant_id, ERASE_PAGE)


@router.post(BASE + "/{participant_id}/erase", response_model=None)
def erase(
    request: Request, event_id: str, participant_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """Erase the participant's personal data for good, on their behalf."""
    found = _found_person(request, session, settings, event_id, participant_id, post=True)
    if isinstance(found, Response):
        return found
    organiser, event, person = found
    privacy.erase_participant(session, person, audit.actor_for(organiser))
    return RedirectResponse(BASE.format(event_id=event.id) + "?erased=1", status_code=303)
