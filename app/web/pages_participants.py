"""Organiser pages for participants: list, CSV upload with per-row errors, add or fix one."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from app import audit
from app.db import session_scope
from app.deps import SessionDep, SettingsDep
from app.errors import AppError, InvalidInput
from app.live import edit_news
from app.models import Event, Participant
from app.participants import service as participant_service
from app.participants.schemas import ParticipantCreate, ParticipantUpdate
from app.web import flash, import_problems, pages_participant_exit, participant_form, rule_words
from app.web.organiser_common import event_nav, guard_event
from app.web.requests_field import requests_error, resolve_requests
from app.web.templating import error_page, error_text, render, request_locale, translate

router = APIRouter(include_in_schema=False)
BASE = pages_participant_exit.BASE
router.include_router(pages_participant_exit.router)  # remove, erase
MAX_CSV_BYTES = 1_500_000


def _context(session: Session, event: Event, **extra: Any) -> dict[str, Any]:
    return {
        "event": event,
        "nav": event_nav(event),
        "people": participant_service.list_participants(session, event_id=event.id),
        "values": participant_form.values_of(None),
        "errors": {},
        **extra,
    }


def _edit_context(
    session: Session, event: Event, person: Participant, **extra: Any
) -> dict[str, Any]:
    people = participant_service.list_participants(session, event_id=event.id)
    values = participant_form.values_of(person)
    values["requests"] = requests_shown(person.requests, people)
    return {
        "event": event,
        "nav": event_nav(event),
        "person": person,
        "values": values,
        "errors": {},
        **extra,
    }


def requests_shown(requested: list[str], people: list[Participant]) -> str:
    """Stored requests (CSV ids) as the organiser recognises them: the name, else the e-mail
    address (a shared name or one the form would split), each read back as the same person."""
    by_id = {p.external_id: p for p in people}
    shown = []
    for external_id in requested:
        person = by_id.get(external_id)
        texts = [person.name, person.email] if person else []
        shown.append(
            next(
                (
                    text
                    for text in texts
                    if participant_form.split_list(text) == [text.strip()]
                    and resolve_requests(people, [text]).found == [external_id]
                ),
                external_id,
            )
        )
    return ", ".join(shown)


def _resolve_requests(
    request: Request, people: list[Participant], data: dict[str, Any]
) -> str | None:
    """Turn the typed names, e-mail addresses or ids into ids (as registration does); what
    the requests field says about those that are not exactly one participant, else None."""
    found = resolve_requests(people, data["requests"])
    data["requests"] = found.found
    return requests_error(request, found)


@router.get(BASE, response_class=HTMLResponse)
def participants_page(
    request: Request, event_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """Everyone registered or imported, the CSV upload and the add form."""
    found = guard_event(request, session, settings, event_id)
    if isinstance(found, Response):
        return found
    organiser, event = found
    notice = flash.read(request, organiser_id=organiser.id, settings=settings)
    breaks = notice.get("rule_breaks")
    context = _context(session, event, rule_breaks=breaks if isinstance(breaks, list) else [])
    page = render(request, "organiser/participants.html", context)
    return flash.shown(request, page, settings)


@router.get(BASE + "/list", response_class=HTMLResponse)
def people_fragment(
    request: Request, event_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """The participant table alone (refreshed while registration is open)."""
    found = guard_event(request, session, settings, event_id)
    if isinstance(found, Response):
        return found
    return render(request, "organiser/_people.html", _context(session, found[1]))


@router.post(BASE + "/import", response_model=None)
async def import_csv(
    request: Request, event_id: str, session: SessionDep, settings: SettingsDep, file: UploadFile
) -> Response:
    """All-or-nothing CSV import; on errors every row is shown with its own problems."""
    found = guard_event(request, session, settings, event_id, post=True)
    if isinstance(found, Response):
        return found
    organiser, event = found
    data = await file.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:
        too_large = translate(request, "The file is too large (limit 1.5 MB).")
        context = _context(session, event, import_error=too_large)
        return render(request, "organiser/participants.html", context, status_code=413)
    try:
        created = participant_service.import_csv(
            session, event=event, data=data, actor=audit.actor_for(organiser)
        )
    except InvalidInput as exc:
        review = participant_form.review(data, exc.errors)
        problem = import_problems.wording(lambda text: translate(request, text))
        context = _context(
            session, event, import_error=error_text(request, exc), review=review, problem=problem
        )
        return render(request, "organiser/participants.html", context, status_code=422)
    except AppError as exc:
        context = _context(session, event, import_error=error_text(request, exc))
        return render(request, "organiser/participants.html", context, status_code=exc.status_code)
    return RedirectResponse(
        BASE.format(event_id=event.id) + f"?imported={len(created)}", status_code=303
    )


@router.post(BASE, response_model=None)
async def add_participant(
    request: Request, event_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """Add one participant by hand."""
    found = guard_event(request, session, settings, event_id, post=True)
    if isinstance(found, Response):
        return found
    organiser, event = found
    data, shown = participant_form.parse(await request.form())
    people = participant_service.list_participants(session, event_id=event.id)
    unresolved = _resolve_requests(request, people, data)
    model, errors = participant_form.validate(ParticipantCreate, data)
    errors = participant_form.translated(errors, lambda text: translate(request, text))
    if model is not None and participant_form.email_taken(people, model.email):
        errors["email"] = translate(request, participant_form.EMAIL_USED, email=model.email)
        model = None  # said next to the field, not only above the form
    if unresolved:
        errors["requests"] = unresolved
        model = None
    if model is not None:
        try:
            participant_service.add_participant(
                session, event=event, data=model.model_dump(), actor=audit.actor_for(organiser)
            )
        except AppError as exc:
            errors = participant_form.refusal(exc, error_text(request, exc))
    if errors:
        context = _context(session, event, values=shown, errors=errors)
        return render(request, "organiser/participants.html", context, status_code=422)
    return RedirectResponse(BASE.format(event_id=event.id) + "?added=1", status_code=303)


@router.get(BASE + "/{participant_id}", response_class=HTMLResponse)
def edit_form(
    request: Request, event_id: str, participant_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """Fix one participant's details."""
    found = guard_event(request, session, settings, event_id)
    if isinstance(found, Response):
        return found
    event = found[1]
    try:
        person = participant_service.get_participant(
            session, event_id=event.id, participant_id=participant_id
        )
    except AppError as exc:
        return error_page(request, exc)
    return render(request, "organiser/participant_edit.html", _edit_context(session, event, person))


@router.post(BASE + "/{participant_id}", response_model=None)
async def save_participant(
    request: Request, event_id: str, participant_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """Save the fixed details."""
    found = guard_event(request, session, settings, event_id, post=True)
    if isinstance(found, Response):
        return found
    organiser, event = found
    try:
        person = participant_service.get_participant(
            session, event_id=event.id, participant_id=participant_id
        )
    except AppError as exc:
        return error_page(request, exc)
    data, shown = participant_form.parse(await request.form())
    people = participant_service.list_participants(session, event_id=event.id)
    unresolved = _resolve_requests(request, people, data)
    model, errors = participant_form.validate(ParticipantUpdate, data)
    errors = participant_form.translated(errors, lambda text: translate(request, text))
    if (
        model is not None
        and model.email
        and participant_form.email_taken(people, model.email, exclude=person.id)
    ):
        errors["email"] = translate(request, participant_form.EMAIL_USED, email=model.email)
        model = None  # said next to the field, not only above the form
    if unresolved:
        errors["requests"] = unresolved
        model = None
    before = edit_news.rule_details(person)
    if model is not None:
        try:
            participant_service.update_participant(
                session,
                event=event,
                participant=person,
                changes=model.model_dump(exclude_unset=True),
                actor=audit.actor_for(organiser),
            )
        except AppError as exc:
            errors = participant_form.refusal(exc, error_text(request, exc))
    if errors:
        context = _edit_context(session, event, person, values=shown, errors=errors)
        return render(request, "organiser/participant_edit.html", context, status_code=422)
    await edit_news.publish(request.app, edit_news.change_after_edit(session, event.id))
    if edit_news.rule_details(person) != before:
        said = await asyncio.to_thread(_rule_breaks, event.id, person.id, request_locale(request))
        if said:
            # Said once on the list (Post/Redirect/Get): the correction is saved all the same.
            page = BASE.format(event_id=event.id)
            notice = {"rule_breaks": said}
            return flash.redirect(page, notice, organiser_id=organiser.id, settings=settings)
    return RedirectResponse(BASE.format(event_id=event.id) + "?saved=1", status_code=303)


def _rule_breaks(event_id: str, participant_id: str, locale: str) -> list[str]:
    """The rooms of the running and the next round that an edit left breaking a rule, worded
    (a worker thread: at 1,000 people the check takes a tenth of a second)."""
    with session_scope() as session:
        found = edit_news.rooms_breaking(session, event_id, participant_id)
        return rule_words.edit_words(session, event_id, found, locale)
