"""HTTP routes of the contact exchange: participant decisions and exports, organiser exports,
erasure and purge. Thin: parse, call the service or export module, wrap the bytes."""

from __future__ import annotations

import re
import unicodedata
from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Request, Response, status

from app.contacts import event_export, export, live_news, privacy, service
from app.contacts.formats import Table, table_json, to_csv, to_json, to_vcard, to_xlsx
from app.contacts.schemas import (
    ContactPublic,
    ContactSettingsIn,
    ContactSettingsPublic,
    DecisionIn,
    DecisionPublic,
    ExportClosedIn,
    PurgeResult,
    RoommatePublic,
    RoomPublic,
)
from app.contacts.seen import Seen
from app.contacts.video import ExportLimitError, bbb_export, bbb_groups, zoom_csv
from app.deps import OrganiserDep, ParticipantDep, SessionDep
from app.errors import InvalidInput, NotFound
from app.models import Participant, utcnow
from app.web.templating import reader_locale, request_locale

me_router = APIRouter(prefix="/me", tags=["contacts"])
router = APIRouter(prefix="/events/{event_id}", tags=["contacts"])
purge_router = APIRouter(tags=["contacts"])

TableFormat = Literal["csv", "xlsx", "json"]
MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "vcf": "text/vcard; charset=utf-8",
    "html": "text/html; charset=utf-8",
}
# Exported pages are self-contained: inline CSS and SVG only, never a script.
PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:60] or "export"


def _file(content: bytes | str, fmt: str, name: str, *, inline: bool = False) -> Response:
    body = content.encode("utf-8") if isinstance(content, str) else content
    disposition = "inline" if inline else "attachment"
    filename = f"{name}.{fmt}"
    headers = {
        "Content-Disposition": (
            f"{disposition}; filename=\"{_slug(name)}.{fmt}\"; filename*=UTF-8''{quote(filename)}"
        ),
        "Cache-Control": "no-store",
    }
    if fmt == "html":
        headers["Content-Security-Policy"] = PAGE_CSP
    return Response(body, media_type=MEDIA[fmt], headers=headers)


def _table(table: Table, fmt: str, name: str) -> Response:
    writers = {"csv": to_csv, "xlsx": to_xlsx, "json": table_json}
    return _file(writers[fmt](table), fmt, name)


def _decision(d: object) -> DecisionPublic | None:
    return None if d is None else DecisionPublic.model_validate(d, from_attributes=True)


# ---- participant ------------------------------------------------------------------------------


@me_router.get("/meetings")
def my_meetings(participant: ParticipantDep, session: SessionDep) -> list[RoommatePublic]:
    """The people I sat with, my decision about each, and whether I can see their details."""
    event = service.event_of(session, participant)
    table = service.decisions(session, event, participant_id=participant.id)
    return [
        RoommatePublic(
            participant_id=other.id,
            name=other.name,
            country=other.country,
            sector=other.sector,
            round=place.round,
            room=place.room,
            room_name=place.room_name,
            decision=_decision(table.get((participant.id, other.id))),
            contact_visible=service.visible(event, table, participant.id, other.id),
        )
        for place, other in service.started_roommates(session, participant)
    ]


@me_router.put("/decisions/{other_id}")
def put_decision(
    request: Request,
    other_id: str,
    body: DecisionIn,
    participant: ParticipantDep,
    session: SessionDep,
) -> DecisionPublic:
    """Share my details with a room-mate (or not), confirm "we met" / "did not show up", a note."""
    # Only a client that sent `seen_updated_at` (null included) asks for the stale check.
    seen = Seen.of(body.seen_updated_at) if "seen_updated_at" in body.model_fields_set else None
    decision = live_news.record_decision(
        request.app,
        session,
        participant,
        other_id,
        share=body.share,
        met=body.met,
        note=body.note,
        seen=seen,
    )
    return DecisionPublic.model_validate(decision, from_attributes=True)


@me_router.get("/rooms")
def my_rooms(participant: ParticipantDep, session: SessionDep) -> list[RoomPublic]:
    """My room in each round: the named room to pick in Zoom or Teams, and the video link."""
    return [
        RoomPublic(round=p.round, room=p.room, room_name=p.room_name, link=p.link)
        for p in export.my_rooms(session, participant)
    ]


@me_router.get("/contacts")
def my_contacts(participant: ParticipantDep, session: SessionDep) -> list[ContactPublic]:
    """My contacts: only people whose consent lets me see them, only what each chose to share."""
    return [ContactPublic(**vars(e)) for e in export.my_contacts(session, participant)]


@me_router.get("/contacts.{fmt}", response_class=Response)
def my_contacts_file(
    fmt: Literal["vcf", "csv", "json", "html"],
    request: Request,
    participant: ParticipantDep,
    session: SessionDep,
) -> Response:
    """My contacts as vCard (all cards in one file), CSV, JSON or a printable page."""
    event = service.event_of(session, participant)
    entries = export.my_contacts(session, participant)
    name = f"{event.name} contacts"
    if fmt == "vcf":
        return _file(to_vcard(export.contact_cards(entries, event.name)), fmt, name)
    if fmt == "html":
        # In the language of the participant's page, which links here.
        page = export.contacts_page(entries, event, reader_locale(request, participant.locale))
        return _file(page, fmt, name, inline=True)
    if fmt == "json":
        return _file(to_json([vars(e) for e in entries]), fmt, name)
    return _table(export.contacts_table(entries), fmt, name)


@me_router.get("/data.json", response_class=Response)
def my_data(participant: ParticipantDep, session: SessionDep) -> Response:
    """Everything stored about me in this event (access and portability), as JSON."""
    return _file(to_json(export.my_data(session, participant)), "json", "my data")


@me_router.delete("/data", status_code=status.HTTP_204_NO_CONTENT)
def erase_me(participant: ParticipantDep, session: SessionDep) -> None:
    """Erase my personal data from this event; my personal link stops working."""
    privacy.erase_participant(session, participant, f"participant:{participant.id}")


# ---- organiser --------------------------------------------------------------------------------


@router.get("/exports/zoom.csv", response_class=Response)
def zoom_export(
    event_id: str,
    organiser: OrganiserDep,
    session: SessionDep,
    round_no: int = Query(
        default=1, ge=1, alias="round", description="Zoom takes one pre-assignment: round 1"
    ),
) -> Response:
    """Zoom breakout pre-assignment CSV (header `Pre-assign Room Name,Email Address`)."""
    data = event_export.load(session, service.owned_event(session, organiser, event_id))
    try:
        content = zoom_csv(event_export.seats(data), round_no)
    except ExportLimitError as exc:
        raise InvalidInput(str(exc)) from None
    return _file(content, "csv", f"{data.event.name} zoom round {round_no}")


@router.get("/exports/bbb.json", response_class=Response)
def bbb_export_route(
    event_id: str,
    organiser: OrganiserDep,
    session: SessionDep,
    round_no: int | None = Query(
        default=None, ge=1, alias="round", description="One round: the bare `groups` value"
    ),
) -> Response:
    """BigBlueButton pre-defined breakout groups, all rounds or the `groups` value of one."""
    data = event_export.load(session, service.owned_event(session, organiser, event_id))
    seats = event_export.seats(data)
    payload = bbb_groups(seats, round_no) if round_no else bbb_export(seats, data.event.name)
    return _file(to_json(payload), "json", f"{data.event.name} bbb")


@router.get("/exports/report.html", response_class=Response)
def report(
    event_id: str, request: Request, organiser: OrganiserDep, session: SessionDep
) -> Response:
    """The event report: one self-contained HTML page with SVG charts, in the language of the
    organiser's pages (`?lang`, the picker's cookie, the browser's)."""
    data = event_export.load(session, service.owned_event(session, organiser, event_id))
    page = event_export.report_html(data, utcnow(), request_locale(request))
    return _file(page, "html", f"{data.event.name} report")


@router.get("/exports/{kind}.{fmt}", response_class=Response)
def table_export(
    event_id: str,
    kind: Literal["meetings", "contact-pairs", "participants"],
    fmt: TableFormat,
    organiser: OrganiserDep,
    session: SessionDep,
) -> Response:
    """Meetings, contact pairs (consented details only) or per-participant summary."""
    data = event_export.load(session, service.owned_event(session, organiser, event_id))
    build = {
        "meetings": event_export.meetings_table,
        "contact-pairs": event_export.pairs_table,
        "participants": event_export.summary_table,
    }[kind]
    return _table(build(data), fmt, f"{data.event.name} {kind}")


def _settings(event_id: str, session: SessionDep, organiser: OrganiserDep) -> ContactSettingsPublic:
    event = service.owned_event(session, organiser, event_id)
    return ContactSettingsPublic(
        event_id=event.id,
        mutual_consent=event.mutual_consent,
        export_closed=event.export_closed,
        retention_days=event.retention_days,
        retention_ends=privacy.retention_ends(event),
    )


@router.get("/contact-settings")
def get_contact_settings(
    event_id: str, organiser: OrganiserDep, session: SessionDep
) -> ContactSettingsPublic:
    """Consent mode, whether the exchange is closed, and the retention period."""
    return _settings(event_id, session, organiser)


@router.patch("/contact-settings")
def patch_contact_settings(
    event_id: str, body: ContactSettingsIn, organiser: OrganiserDep, session: SessionDep
) -> ContactSettingsPublic:
    """Set mutual or one-way consent and the retention period (days after the event)."""
    event = service.owned_event(session, organiser, event_id)
    service.update_settings(
        session,
        organiser,
        event,
        mutual_consent=body.mutual_consent,
        retention_days=body.retention_days,
        clear_retention=body.clear_retention,
    )
    return _settings(event_id, session, organiser)


@router.put("/export-closed")
def put_export_closed(
    event_id: str, body: ExportClosedIn, organiser: OrganiserDep, session: SessionDep
) -> ContactSettingsPublic:
    """Close the contact exchange (decisions become final) or reopen it."""
    event = service.owned_event(session, organiser, event_id)
    service.set_export_closed(session, organiser, event, body.closed)
    return _settings(event_id, session, organiser)


@router.post("/participants/{participant_id}/erase", status_code=status.HTTP_204_NO_CONTENT)
def erase_participant(
    event_id: str, participant_id: str, organiser: OrganiserDep, session: SessionDep
) -> None:
    """Erase a participant's personal data on their behalf (GDPR erasure request)."""
    event = service.owned_event(session, organiser, event_id)
    participant = session.get(Participant, participant_id)
    if participant is None or participant.event_id != event.id:
        raise NotFound("No such participant in this event.")
    privacy.erase_participant(session, participant, f"organiser:{organiser.id}")


@router.post("/purge")
def purge(event_id: str, organiser: OrganiserDep, session: SessionDep) -> PurgeResult:
    """Erase every participant's personal data and all contact decisions of this event now."""
    event = service.owned_event(session, organiser, event_id)
    erased = privacy.purge_event(session, event, f"organiser:{organiser.id}")
    return PurgeResult(erased_participants=erased, purged_events=[event.id])


@purge_router.post("/purge-expired")
def purge_expired(organiser: OrganiserDep, session: SessionDep) -> PurgeResult:
    """Purge my events whose retention period has ended (call it from a scheduler or by hand)."""
    return PurgeResult(purged_events=privacy.purge_expired(session, utcnow(), organiser))


# Everything above, for one `include_router(..., prefix="/api/v1")` in app.main.
api = APIRouter()
for _part in (me_router, router, purge_router):
    api.include_router(_part)
