"""Organiser pages: sign in and out, the list of events, create and edit an event, its phase,
its contact exchange."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from app import audit
from app.contacts import service as contacts_service
from app.deps import SessionDep, SettingsDep
from app.errors import AppError, for_organisers
from app.events import service as event_service
from app.events.schemas import EventUpdate
from app.models import Event, EventPhase, Organiser
from app.organisers import service as organiser_service
from app.security import ORGANISER_COOKIE
from app.sessions import clear_session_cookie, set_organiser_cookie
from app.settings import Settings
from app.web import auth, event_form, participant_form
from app.web.organiser_common import (
    NeedsSignIn,
    event_nav,
    guard_event,
    render_event_page,
    signed_in,
)
from app.web.templating import error_page, error_text, render, translate

router = APIRouter(include_in_schema=False)

# Which phase each button moves to (the service refuses the illegal ones with a message).
PHASE_ACTIONS = {
    "open": EventPhase.OPEN,  # open or reopen registration
    "draft": EventPhase.DRAFT,  # close registration
    "finished": EventPhase.FINISHED,
}


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    """The start page."""
    return render(request, "home.html")


@router.get("/organiser/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request, next: str | None = None) -> Response:
    """The organiser sign-in form."""
    return render(request, "organiser/sign_in.html", {"next": auth.safe_next(next), "email": ""})


@router.post("/organiser/sign-in", response_model=None)
def sign_in(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    code: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/organiser",  # overlong: safe_next picks the dashboard
) -> Response:
    """Check the password, and the code with two-step sign-in on (rate-limited by the
    service), and start a session."""
    try:
        auth.same_origin(request)
        auth.check_sign_in_form(request, email=email, password=password, code=code)
        organiser = organiser_service.sign_in_with_password(
            session,
            email=email,
            password=password,
            client_ip=request.client.host if request.client else "unknown",
            settings=settings,
            code=code,
        )
    except AppError as exc:
        context = {"next": auth.safe_next(next), "email": email, "error": error_text(request, exc)}
        return render(request, "organiser/sign_in.html", context, status_code=exc.status_code)
    return _signed_in_redirect(organiser, settings, auth.safe_next(next))


@router.get("/organiser/invite/{token}", response_model=None)
def invite_page(request: Request, token: str, session: SessionDep) -> Response:
    """A one-time invite link opens a page with a button, and only the button spends it: mail
    scanners, Safe Links and chat previews fetch every link (GET) before the colleague does."""
    try:
        organiser_service.check_invite(session, token=token)
    except AppError as exc:  # expired, used, or two-step sign-in: said before any click
        return _invite_refused(request, exc)
    return render(request, "organiser/invite.html")


@router.post("/organiser/invite/{token}", response_model=None)
def invite(request: Request, token: str, session: SessionDep, settings: SettingsDep) -> Response:
    """Signs the invited organiser in; the link then stops working."""
    try:
        auth.same_origin(request)
        organiser = organiser_service.sign_in_with_invite(session, token=token)
    except AppError as exc:
        return _invite_refused(request, exc)
    return _signed_in_redirect(organiser, settings, "/organiser")


def _invite_refused(request: Request, exc: AppError) -> Response:
    """Why the invite link does not sign in; a used one, with what to do instead (the link
    works once, and a colleague who already set a password signs in with that)."""
    used = exc.template == organiser_service.INVITE_USED
    context = {"detail": error_text(request, exc), "used": used}
    return render(request, "organiser/invite_refused.html", context, status_code=exc.status_code)


def _signed_in_redirect(organiser: Organiser, settings: Settings, target: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    set_organiser_cookie(response, organiser, settings)
    return response


@router.post("/organiser/sign-out", response_model=None)
def sign_out(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """End the organiser's sessions (copies of the cookie stop working too)."""
    try:
        auth.same_origin(request)
    except AppError as exc:
        return error_page(request, exc)
    organiser = auth.organiser(request, session, settings)
    if organiser is not None:
        organiser_service.end_sessions(session, organiser=organiser)
    response = RedirectResponse("/organiser/sign-in", status_code=303)
    clear_session_cookie(response, ORGANISER_COOKIE, settings)
    return response


@router.get("/organiser", response_class=HTMLResponse)
def dashboard(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """The organiser's events."""
    try:
        organiser = signed_in(request, session, settings)
    except NeedsSignIn as exc:
        return exc.response
    events = event_service.list_events(session, organiser=organiser)
    return render(request, "organiser/dashboard.html", {"organiser": organiser, "events": events})


@router.get("/organiser/events/new", response_class=HTMLResponse)
def new_event_form(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """An empty event form."""
    try:
        signed_in(request, session, settings)
    except NeedsSignIn as exc:
        return exc.response
    context = {"values": event_form.form_values(None), "errors": {}, "is_new": True}
    return render(request, "organiser/event_form.html", context)


@router.post("/organiser/events/new", response_model=None)
async def create_event(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """Create the event, or show the form again with each problem next to its field."""
    try:
        auth.same_origin(request)
        organiser = signed_in(request, session, settings)
    except NeedsSignIn as exc:
        return exc.response
    except AppError as exc:
        return error_page(request, exc)
    data, shown, errors = event_form.parse(await request.form())
    model = event_form.validate(data, errors)
    if model is None:
        errors = participant_form.translated(errors, lambda text: translate(request, text))
        context = {"values": shown, "errors": errors, "is_new": True}
        return render(request, "organiser/event_form.html", context, status_code=422)
    event = event_service.create_event(session, organiser=organiser, data=model.model_dump())
    return RedirectResponse(f"/organiser/events/{event.id}?created=1", status_code=303)


def _overview(request: Request, session: Session, event: Event, **extra: Any) -> dict[str, Any]:
    base = str(request.base_url).rstrip("/")
    return {
        "event": event,
        "nav": event_nav(event),
        "count": event_service.participant_count(session, event_id=event.id),
        "registration_url": f"{base}/register/{event.registration_slug}",
        "values": event_form.form_values(event),
        "errors": {},
        "is_new": False,
        **extra,
    }


@router.get("/organiser/events/{event_id}", response_class=HTMLResponse)
def event_page(
    request: Request, event_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """An event's overview: phase, registration link, settings form."""
    return render_event_page(
        request, session, settings, event_id, "organiser/event.html", _overview
    )


@router.post("/organiser/events/{event_id}", response_model=None)
async def update_event(
    request: Request, event_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """Save the event settings."""
    found = guard_event(request, session, settings, event_id, post=True)
    if isinstance(found, Response):
        return found
    organiser, event = found
    form = await request.form()
    if event.phase == EventPhase.LIVE:  # only the video rooms can change (a broken link)
        data, shown, errors = event_form.parse_video_rooms(form, event)
        model = event_form.validate(data, errors, EventUpdate)
    else:
        data, shown, errors = event_form.parse(form)
        model = event_form.validate(data, errors)
    if model is None:
        errors = participant_form.translated(errors, lambda text: translate(request, text))
        context = _overview(request, session, event, values=shown, errors=errors)
        return render(request, "organiser/event.html", context, status_code=422)
    changes = event_form.changes(model)
    try:
        event_service.update_event(session, event=event, organiser=organiser, changes=changes)
    except AppError as exc:
        context = _overview(request, session, event, values=shown, error=error_text(request, exc))
        return render(request, "organiser/event.html", context, status_code=exc.status_code)
    return RedirectResponse(f"/organiser/events/{event.id}?saved=1", status_code=303)


@router.post("/organiser/events/{event_id}/phase", response_model=None)
def change_phase(
    request: Request,
    event_id: str,
    session: SessionDep,
    settings: SettingsDep,
    to: Annotated[str, Form(max_length=16)] = "",
    confirm: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Open or close registration, or finish the event (only from its confirmation page)."""
    # Finishing ends the running round for everyone and cannot be undone: say so first.
    found = _confirmed_post(
        request, session, settings, event_id, to=to, known=PHASE_ACTIONS, confirm=confirm,
        asks="finished", page="finish",
    )  # fmt: skip
    if isinstance(found, Response):
        return found
    organiser, event = found
    target = PHASE_ACTIONS[to]
    try:
        event_service.transition(session, event=event, to=target, actor=audit.actor_for(organiser))
    except AppError as exc:
        context = _overview(request, session, event, error=error_text(request, exc))
        return render(request, "organiser/event.html", context, status_code=exc.status_code)
    return RedirectResponse(f"/organiser/events/{event.id}?phase={target.value}", status_code=303)


@router.get("/organiser/events/{event_id}/finish", response_class=HTMLResponse)
def finish_form(
    request: Request, event_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """What finishing does, and the button that does it (works without JavaScript)."""
    return _confirmation(
        request, session, settings, event_id, "organiser/event_finish.html",
        applies=lambda event: event.phase == EventPhase.LIVE,
    )  # fmt: skip


@router.get("/organiser/events/{event_id}/contact-exchange/close", response_class=HTMLResponse)
def close_exchange_form(
    request: Request, event_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """What closing the contact exchange means, and the button that closes it."""
    return _confirmation(
        request, session, settings, event_id, "organiser/exchange_close.html",
        applies=lambda event: not event.export_closed, back="#contact-exchange",
    )  # fmt: skip


def _confirmation(
    request: Request,
    session: Session,
    settings: Settings,
    event_id: str,
    template: str,
    *,
    applies: Callable[[Event], bool],
    back: str = "",
) -> Response:
    """A page that says what an action cannot undo, with its button; where the action no longer
    applies (already finished, already closed), the event's own page instead."""
    found = guard_event(request, session, settings, event_id)
    if isinstance(found, Response):
        return found
    _, event = found
    if not applies(event):
        return RedirectResponse(f"/organiser/events/{event.id}{back}", status_code=303)
    return render(request, template, {"event": event, "nav": event_nav(event)})


def _confirmed_post(
    request: Request,
    session: Session,
    settings: Settings,
    event_id: str,
    *,
    to: str,
    known: Collection[str],
    confirm: str,
    asks: str,
    page: str,
) -> tuple[Organiser, Event] | Response:
    """The organiser and event for a POST whose action `to` is one of `known`; the action `asks`
    is made only from its confirmation page (`page` under the event's, which sends
    `confirm=yes`), so without that the answer is a redirect there. The guard's own answers
    (sign in, not found) and an unknown action are answers too."""
    found = guard_event(request, session, settings, event_id, post=True)
    if isinstance(found, Response):
        return found
    if to not in known:
        return error_page(
            request, AppError(for_organisers("Unknown action %(action)s."), action=repr(to))
        )
    if to == asks and confirm != "yes":
        return RedirectResponse(f"/organiser/events/{found[1].id}/{page}", status_code=303)
    return found


@router.post("/organiser/events/{event_id}/contact-exchange", response_model=None)
def set_exchange(
    request: Request,
    event_id: str,
    session: SessionDep,
    settings: SettingsDep,
    to: Annotated[str, Form(max_length=16)] = "",
    confirm: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Close the contact exchange (only from its confirmation page) or reopen it."""
    # Participants' answers become final: say so first.
    found = _confirmed_post(
        request, session, settings, event_id, to=to, known=("closed", "open"), confirm=confirm,
        asks="closed", page="contact-exchange/close",
    )  # fmt: skip
    if isinstance(found, Response):
        return found
    organiser, event = found
    contacts_service.set_export_closed(session, organiser, event, to == "closed")
    return RedirectResponse(
        f"/organiser/events/{event.id}?exchange={to}#contact-exchange", status_code=303
    )
