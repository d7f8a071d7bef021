"""The public registration page of an event (its link works while registration is open)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, select

from app.deps import SessionDep
from app.errors import AppError, NotFound, for_participants
from app.models import Event, EventPhase
from app.participants import service as participant_service
from app.participants.schemas import ParticipantCreate
from app.web import auth, participant_form
from app.web.pages_participant import REGISTERED
from app.web.requests_field import requests_error, resolve_requests
from app.web.templating import error_page, error_text, render, request_locale, translate

router = APIRouter(include_in_schema=False)


def event_by_slug(session: Session, slug: str) -> Event:
    # The events service has no slug lookup; this read-only query is the page's own.
    event = session.exec(select(Event).where(Event.registration_slug == slug)).first()
    if event is None:
        raise NotFound(for_participants("There is no event behind this registration link."))
    return event


@router.get("/register/{slug}", response_class=HTMLResponse)
def registration_form(request: Request, slug: str, session: SessionDep) -> Response:
    """The form a teacher fills in to take part."""
    try:
        event = event_by_slug(session, slug)
    except AppError as exc:
        return error_page(request, exc)
    context = {
        "event": event,
        "values": participant_form.values_of(None),
        "errors": {},
        "public": True,
    }
    return render(request, "register.html", context)


@router.post("/register/{slug}", response_model=None)
async def register(request: Request, slug: str, session: SessionDep) -> Response:
    """Register, then show the personal link right away."""
    try:
        auth.same_origin(request)
        event = event_by_slug(session, slug)
    except AppError as exc:
        return error_page(request, exc)
    data, shown = participant_form.parse(await request.form())
    data["locale"] = request_locale(request)
    if event.phase != EventPhase.OPEN:
        context = {"event": event, "values": shown, "errors": {}, "public": True}
        return render(request, "register.html", context, status_code=409)
    people = participant_service.list_participants(session, event_id=event.id)
    requests = resolve_requests(people, data["requests"])
    data["requests"] = requests.found
    model, errors = participant_form.validate(ParticipantCreate, data)
    if model is not None and participant_form.email_taken(people, model.email):
        # Said next to the field, in the teacher's language (the service's check says it in
        # English for the whole form).
        errors["email"] = participant_form.EMAIL_TAKEN
        model = None
    errors = participant_form.translated(errors, lambda text: translate(request, text))
    if unresolved := requests_error(request, requests):
        errors["requests"] = unresolved
        model = None
    if model is not None:
        try:
            person = participant_service.add_participant(
                session, event=event, data=model.model_dump(), actor="participant:registration"
            )
            token = participant_service.issue_link(
                session, participant=person, actor=f"participant:{person.id}"
            )
        except AppError as exc:
            errors = {"form": error_text(request, exc)}
    if errors:
        context = {"event": event, "values": shown, "errors": errors, "public": True}
        return render(request, "register.html", context, status_code=422)
    # Post/redirect/get: the thank-you page with the link is a GET of the personal page, so
    # reloading it or switching its language shows the same link again (only a hash is stored).
    return RedirectResponse(f"/p/{token}?{REGISTERED}=1", status_code=303)
