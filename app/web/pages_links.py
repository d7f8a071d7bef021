"""Personal links: issue them, copy them or an e-mail-ready text, download them as CSV."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app import audit
from app.contacts.formats import safe_cell
from app.deps import SessionDep, SettingsDep
from app.errors import AppError
from app.models import Event, Participant
from app.participants import service as participant_service
from app.settings import Settings
from app.web import auth
from app.web.organiser_common import NeedsSignIn, event_nav, owned_event
from app.web.templating import error_page, render, translate

router = APIRouter(include_in_schema=False)


def mail_text(request: Request, event: Event, person: Participant, link: str) -> str:
    """A ready-to-send message with the personal link (in the organiser's page language)."""
    return translate(
        request,
        "Dear %(name)s,\n\nThis is your personal link for %(event)s. Open it on the day: it shows "
        "whom you meet in each round and the button into your video room.\n\n%(link)s\n\n"
        "Please do not share this link: it is yours alone.",
        name=person.name,
        event=event.name,
        link=link,
    )


def links_csv(rows: list[tuple[Participant, str]], settings: Settings) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "name", "email", "link"])
    for person, token in rows:
        link = participant_service.personal_link(settings, token)
        writer.writerow(
            [safe_cell(person.external_id), safe_cell(person.name), safe_cell(person.email), link]
        )
    return "\ufeff" + out.getvalue()


@router.get("/organiser/events/{event_id}/links", response_class=HTMLResponse)
def links_page(
    request: Request, event_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """Who has a link already; buttons to issue the missing ones or new ones for everyone."""
    try:
        _, event = owned_event(request, session, settings, event_id)
    except NeedsSignIn as exc:
        return exc.response
    except AppError as exc:
        return error_page(request, exc)
    people = participant_service.list_participants(session, event_id=event.id)
    context = {"event": event, "nav": event_nav(event), "people": people, "issued": []}
    return render(request, "organiser/links.html", context)


@router.post("/organiser/events/{event_id}/links", response_model=None)
def issue_links(
    request: Request,
    event_id: str,
    session: SessionDep,
    settings: SettingsDep,
    reissue: Annotated[str, Form(max_length=3)] = "",
    download: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """Issue links (shown once: only their hashes are stored), as a page or a CSV download."""
    try:
        auth.same_origin(request)
        organiser, event = owned_event(request, session, settings, event_id)
        issued = participant_service.issue_links(
            session, event=event, actor=audit.actor_for(organiser), reissue=reissue == "yes"
        )
    except NeedsSignIn as exc:
        return exc.response
    except AppError as exc:
        return error_page(request, exc)
    if download == "csv":
        return Response(
            links_csv(issued, settings),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": 'attachment; filename="personal-links.csv"',
                "Cache-Control": "no-store",
                "Referrer-Policy": "no-referrer",
            },
        )
    rows = []
    for person, token in issued:
        link = participant_service.personal_link(settings, token)
        rows.append(
            {"person": person, "link": link, "mail": mail_text(request, event, person, link)}
        )
    people = participant_service.list_participants(session, event_id=event.id)
    context = {"event": event, "nav": event_nav(event), "people": people, "issued": rows}
    response = render(request, "organiser/links.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response
