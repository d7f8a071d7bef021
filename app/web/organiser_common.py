"""Shared bits of the organiser pages: who is signed in, which event, the event sub-navigation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.contacts import service as contacts_service
from app.errors import AppError
from app.models import Event, Organiser
from app.organisers import two_step
from app.settings import Settings
from app.web import auth
from app.web.templating import error_page, render

ACCOUNT_PAGE = "/organiser/account"


class NeedsSignIn(Exception):
    """The page needs a signed-in organiser; answered with a redirect to the sign-in page (or
    to "My account", where two-step sign-in is required and not set up yet)."""

    def __init__(self, response: RedirectResponse) -> None:
        super().__init__("sign in")
        self.response = response


def signed_in(
    request: Request, session: Session, settings: Settings, *, account_page: bool = False
) -> Organiser:
    """The signed-in organiser. Where the service requires two-step sign-in, an organiser
    without it reaches only `account_page`s, to set it up."""
    organiser = auth.organiser(request, session, settings)
    if organiser is None:
        raise NeedsSignIn(auth.sign_in_redirect(request))
    if not account_page and two_step.missing(organiser, settings):
        raise NeedsSignIn(RedirectResponse(ACCOUNT_PAGE, status_code=303))
    return organiser


def owned_event(
    request: Request, session: Session, settings: Settings, event_id: str
) -> tuple[Organiser, Event]:
    """The signed-in organiser and their event (someone else's event reads as not found)."""
    organiser = signed_in(request, session, settings)
    return organiser, contacts_service.owned_event(session, organiser, event_id)


def guard_event(
    request: Request, session: Session, settings: Settings, event_id: str, *, post: bool = False
) -> tuple[Organiser, Event] | Response:
    """owned_event for a page: the sign-in redirect or the error page instead of raising.

    `post=True` also refuses a form posted from another site.
    """
    try:
        if post:
            auth.same_origin(request)
        return owned_event(request, session, settings, event_id)
    except NeedsSignIn as exc:
        return exc.response
    except AppError as exc:
        return error_page(request, exc)


def render_event_page(
    request: Request,
    session: Session,
    settings: Settings,
    event_id: str,
    template: str,
    context: Callable[[Request, Session, Event], dict[str, Any]],
) -> Response:
    """A page of the organiser's own event: `template` with `context(request, session, event)`,
    or what guard_event answers instead (the sign-in redirect or the error page)."""
    found = guard_event(request, session, settings, event_id)
    if isinstance(found, Response):
        return found
    return render(request, template, context(request, session, found[1]))


def event_nav(event: Event) -> list[tuple[str, str]]:
    """(path, label key) of the event's pages, in the order an organiser works through them."""
    base = f"/organiser/events/{event.id}"
    return [
        (base, "overview"),
        (f"{base}/participants", "participants"),
        (f"{base}/schedule", "schedule"),
        (f"{base}/links", "links"),
        (f"{base}/live", "live"),
    ]
