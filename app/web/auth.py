"""Who is looking at a page: the organiser's session cookie or a participant's personal link."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app import deps
from app.errors import Forbidden, InvalidInput, NotFound, for_participants
from app.models import Organiser, Participant
from app.organisers.schemas import CODE_MAX_LENGTH, EMAIL_MAX_LENGTH, PASSWORD_MAX_LENGTH
from app.participants import service as participant_service
from app.security import ORGANISER_COOKIE, PARTICIPANT_COOKIE
from app.sessions import session_cookie_of, set_session_cookie
from app.settings import Settings
from app.web.templating import translate

# Longer than any page of ours needs to return to; a longer one goes to the dashboard instead.
NEXT_MAX_LENGTH = 2000


def organiser(request: Request, session: Session, settings: Settings) -> Organiser | None:
    return deps.organiser_for_session_cookie(
        session, session_cookie_of(request.cookies, ORGANISER_COOKIE, settings), settings=settings
    )


def sign_in_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/organiser/sign-in?next={quote(target)}", status_code=303)


def safe_next(value: str | None) -> str:
    """Only local paths, and not overlong ones: never redirect a signed-in organiser to another
    site, and never refuse a sign-in for where it returns to."""
    if not value or len(value) > NEXT_MAX_LENGTH:
        return "/organiser"
    if not value.startswith("/") or value.startswith("//"):
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


def check_length(request: Request, value: str, *, limit: int, label: str) -> None:
    """Refuse a form value longer than `limit`, naming its field by `label` (the form's own,
    translated). Forms check their limits here rather than with `Form(max_length=...)`, whose
    422 is JSON: the page can then say which field is too long and keep what was typed."""
    if len(value) > limit:
        raise InvalidInput(
            translate(
                request,
                "“%(field)s” is too long: at most %(n)s characters.",
                field=translate(request, label),
                n=limit,
            )
        )


def check_sign_in_form(request: Request, *, email: str, password: str, code: str) -> None:
    """The sign-in form's limits (those of the API's `SignIn`), said on the page."""
    check_length(request, email, limit=EMAIL_MAX_LENGTH, label="E-mail address")
    check_length(request, password, limit=PASSWORD_MAX_LENGTH, label="Password")
    check_length(request, code, limit=CODE_MAX_LENGTH, label="Authenticator code")
