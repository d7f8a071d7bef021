"""Personal links: issue them, copy them or an e-mail-ready text, download them as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app import audit
from app.contacts.formats import safe_cell
from app.deps import SessionDep, SettingsDep
from app.errors import AppError, Conflict, for_organisers
from app.models import Event, Participant
from app.participants import service as participant_service
from app.settings import Settings, SettingsError
from app.web import auth, mail
from app.web.organiser_common import NeedsSignIn, event_nav, owned_event, render_event_page
from app.web.templating import error_page, render, translate


@asynccontextmanager
async def check_mail_settings(app: FastAPI) -> AsyncIterator[None]:
    # At start-up rather than at the organiser's first click, and like the service's own
    # settings (README "Settings"): a wrong SPEEDMATCH_SMTP_* value stops the service.
    mail.mail_settings()
    yield


router = APIRouter(include_in_schema=False, lifespan=check_mail_settings)


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
    return render_event_page(
        request,
        session,
        settings,
        event_id,
        "organiser/links.html",
        lambda _, session, event: _page_context(session, event, []),
    )


def _page_context(
    session: Session, event: Event, issued: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    people = participant_service.list_participants(session, event_id=event.id)
    return {
        "event": event,
        "nav": event_nav(event),
        "people": people,
        "missing": sum(participant_service.needs_link(p) for p in people),
        # E-mailed links the SMTP server never confirmed taking: the process died mid-batch.
        "unconfirmed": sum(
            p.token_hash is not None and p.link_mail_pending_since is not None for p in people
        ),
        "issued": issued,
        "mail_configured": mail.mail_configured(),
        **extra,
    }


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
    if not issued:  # everyone has one already (or nobody is registered): say so, no empty CSV
        return _issued_page(request, session, settings, event, issued, nothing_issued=True)
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
    return _issued_page(request, session, settings, event, issued)


def _issued_page(
    request: Request,
    session: Session,
    settings: Settings,
    event: Event,
    issued: list[tuple[Participant, str]],
    **extra: Any,
) -> Response:
    rows = []
    for person, token in issued:
        link = participant_service.personal_link(settings, token)
        body = mail_text(request, event, person, link)
        rows.append({"person": person, "link": link, "mail": body})
    response = render(request, "organiser/links.html", _page_context(session, event, rows, **extra))
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/organiser/events/{event_id}/links/email", response_model=None)
def email_links(
    request: Request,
    event_id: str,
    session: SessionDep,
    settings: SettingsDep,
    reissue: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """Issue links and send each by e-mail with an .ics file (sync route: runs in a thread).

    Only those the server accepted keep their new link; the page names who was sent and who
    was not (and why), and pressing the button again sends to the others only.
    """
    try:
        auth.same_origin(request)
        organiser, event = owned_event(request, session, settings, event_id)
        try:
            mail_settings = mail.mail_settings()
        except SettingsError as exc:
            raise Conflict(str(exc)) from None
        if not mail_settings.configured:
            raise Conflict(
                for_organisers("E-mail is not configured (SPEEDMATCH_SMTP_HOST): download the CSV.")
            )
        actor = audit.actor_for(organiser)
        issued = participant_service.issue_links(
            session, event=event, actor=actor, reissue=reissue == "yes", for_mail=True
        )
    except NeedsSignIn as exc:
        return exc.response
    except AppError as exc:
        return error_page(request, exc)
    if not issued:  # not "0 e-mails sent": there was nobody to send to
        return _issued_page(request, session, settings, event, issued, nothing_issued=True)
    subject = translate(request, "Your personal link for %(event)s", event=event.name)
    tokens = {person.id: token for person, token in issued}
    outgoing = []
    for person, token in issued:
        link = participant_service.personal_link(settings, token)
        body = mail_text(request, event, person, link)
        outgoing.append(mail.Outgoing(person, link, body, subject))

    def confirmed(item: mail.Outgoing) -> None:
        mail.mark_mailed(session, person=item.person, token=tokens[item.person.id])

    delivery = mail.send_all(mail_settings, event, outgoing, on_sent=confirmed)
    if delivery.failed:
        unsent = [(item.person, tokens[item.person.id]) for item, _ in delivery.failed]
        mail.withdraw_unsent(session, event=event, unsent=unsent, actor=actor)
    sent_ids = {item.person.id for item in delivery.sent}
    extra: dict[str, Any] = {"mail_sent": len(delivery.sent)}
    if delivery.problem is not None:
        extra["mail_error"] = translate(
            request, "The e-mail server could not be reached: %(error)s", error=delivery.problem
        )
        extra["mail_failed"] = [f"{i.person.name} <{i.person.email}>" for i, _ in delivery.failed]
    else:
        extra["mail_failed"] = [
            f"{i.person.name} <{i.person.email}> ({reason})" for i, reason in delivery.failed
        ]
    # The links shown are those that went out; the others were withdrawn and do not work.
    sent = [(person, token) for person, token in issued if person.id in sent_ids]
    return _issued_page(request, session, settings, event, sent, **extra)
