"""The participant's own data from their page: erase it (download is the API's JSON link)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.contacts import privacy
from app.contacts import service as contacts_service
from app.deps import SessionDep, SettingsDep
from app.errors import AppError
from app.security import PARTICIPANT_COOKIE
from app.sessions import cookie_name
from app.web import auth
from app.web.templating import error_page, reader_locale, render

router = APIRouter(include_in_schema=False)


@router.get("/p/{token}/erase", response_class=HTMLResponse)
def erase_form(request: Request, token: str, session: SessionDep) -> Response:
    """What erasing my data does, and the button that does it."""
    try:
        participant = auth.participant(session, token)
    except AppError as exc:
        return error_page(request, exc)
    locale = reader_locale(request, participant.locale)
    context = {
        "token": token,
        "participant": participant,
        "event": contacts_service.event_of(session, participant),
    }
    return render(request, "participant/my_data_erase.html", context, locale=locale)


@router.post("/p/{token}/erase", response_model=None)
def erase(request: Request, token: str, session: SessionDep, settings: SettingsDep) -> Response:
    """Erase my personal data; the link stops working, so the answer is a page, not a redirect."""
    try:
        auth.same_origin(request)
        participant = auth.participant(session, token)
    except AppError as exc:
        return error_page(request, exc)
    locale = reader_locale(request, participant.locale)  # erasing forgets the saved language
    event = contacts_service.event_of(session, participant)
    privacy.erase_participant(session, participant, f"participant:{participant.id}")
    response = render(request, "participant/my_data_erased.html", {"event": event}, locale=locale)
    response.delete_cookie(cookie_name(PARTICIPANT_COOKIE, settings))
    return response
