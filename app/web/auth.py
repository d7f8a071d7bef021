"""Who is looking at a page: the organiser's session cookie or a participant's personal link."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app import deps
from app.errors import Forbidden, NotFound, for_participants
from app.models import Organiser, Participant
from app.participants import service as participant_service
from app.security import ORGANISER_COOKIE, PARTICIPANT_COOKIE
from app.sessions import session_cookie_of, set_session_cookie
from app.settings import Settings


def organiser(request: Request, session: Session, settings: Settings) -> Organiser | None:
    return deps.organiser_for_session_cookie(
        session, session_cookie_of(request.cookies, ORGANISER_COOKIE, settings), settings=settings
    )


def sign_in_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/organiser/sign-in?next={quote(target)}", status_code=303)


def safe_next(value: str | None) -> str:
    """Only local paths: never redirect a signed-in organiser to another site."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return "/organiser"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/organiser"
    return value


def set_participant_cookie(
    response: Response, participant: Participant, settings: Settings
) -> None:
    value = participant_service.session_cookie(participant, settings=settings)
    set_session_cookie(response, PARTICIPANT_COOKIE, value, settings)


def participant(session: Session, token: str) -> Participant:
    """The participant of a personal link, or NotFound (re-issued links stop working)."""
    found = deps.participant_for_token(session, token)
    if found is None:
        raise NotFound(
            for_participants(
                "This personal link is not valid. It may have been replaced by a new one."
            )
        )
    return found


def same_origin(request: Request) -> None:
    """Refuse form posts coming from another site (the cookies are SameSite=Lax as well)."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.url.netloc:
        raise Forbidden(for_participants("This form was sent from another site."))
