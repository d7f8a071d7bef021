"""Participant routes: the organiser's list (CRUD, CSV import, links) and the participant's own."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from starlette.concurrency import run_in_threadpool

from app import audit
from app.db import session_scope
from app.deps import (
    OrganiserDep,
    ParticipantDep,
    SessionDep,
    SettingsDep,
    authenticate_participant,
    participant_for_token,
)
from app.errors import Unauthorized
from app.events import service as event_service
from app.live import edit_news
from app.models import Participant
from app.participants import removal, service
from app.participants.schemas import (
    ImportResult,
    Me,
    MeEvent,
    MeUpdate,
    MyRoom,
    ParticipantCreate,
    ParticipantEdited,
    ParticipantPublic,
    ParticipantUpdate,
    PersonalLink,
    SessionExchange,
)
from app.schedule import rooms as schedule_rooms
from app.security import PARTICIPANT_COOKIE
from app.sessions import session_cookie_of, set_session_cookie

router = APIRouter(prefix="/events/{event_id}", tags=["participants"])
me_router = APIRouter(prefix="/me", tags=["participant self-service"])


def to_public(participant: Participant) -> ParticipantPublic:
    return ParticipantPublic.model_validate(
        # An e-mailed link the SMTP server never confirmed taking counts as missing, as on the
        # links page: "E-mail missing links" will replace it.
        {**participant.model_dump(), "has_link": not service.needs_link(participant)}
    )


@router.get("/participants")
def list_participants(
    event_id: str, session: SessionDep, organiser: OrganiserDep
) -> list[ParticipantPublic]:
    """Everyone registered for the event."""
    event = event_service.get_owned_event(session, event_id=event_id, organiser=organiser)
    return [to_public(p) for p in service.list_participants(session, event_id=event.id)]


@router.post("/participants", status_code=status.HTTP_201_CREATED)
def add_participant(
    event_id: str, body: ParticipantCreate, session: SessionDep, organiser: OrganiserDep
) -> ParticipantPublic:
    """Adds one participant (during a live event they join from the next round)."""
    event = event_service.get_owned_event(session, event_id=event_id, organiser=organiser)
    participant = service.add_participant(
        session, event=event, data=body.model_dump(), actor=audit.actor_for(organiser)
    )
    return to_public(participant)


@router.post("/participants/import", status_code=status.HTTP_201_CREATED)
async def import_participants(
    event_id: str, request: Request, session: SessionDep, organiser: OrganiserDep
) -> ImportResult:
    """Imports a participants CSV (UTF-8; body = the file). All rows or none: errors name each row
    and field. Columns: id,name,email,school,country,sector,languages,interests,programmes,
    requests,avoid (+ optional role, phone); list fields separated by `;`."""
    data = await request.body()

    def run() -> ImportResult:
        event = event_service.get_owned_event(session, event_id=event_id, organiser=organiser)
        created = service.import_csv(
            session, event=event, data=data, actor=audit.actor_for(organiser)
        )
        return ImportResult(imported=len(created), participants=[to_public(p) for p in created])

    # Parsing and validating thousands of rows must not stall other requests.
    return await run_in_threadpool(run)


@router.get("/participants/{participant_id}")
def get_participant(
    event_id: str, participant_id: str, session: SessionDep, organiser: OrganiserDep
) -> ParticipantPublic:
    """One participant."""
    event = event_service.get_owned_event(session, event_id=event_id, organiser=organiser)
    return to_public(
        service.get_participant(session, event_id=event.id, participant_id=participant_id)
    )


@router.patch("/participants/{participant_id}")
def update_participant(
    event_id: str,
    participant_id: str,
    body: ParticipantUpdate,
    request: Request,
    session: SessionDep,
    organiser: OrganiserDep,
) -> ParticipantEdited:
    """Fixes a participant's details. Open pages show them at once. While live, `warnings` and
    `messages` name the rooms of the running and the next round holding them that now break a
    rule (saved all the same: the running round is not re-planned, the next one at its start)."""
    event = event_service.get_owned_event(session, event_id=event_id, organiser=organiser)
    participant = service.get_participant(session, event_id=event.id, participant_id=participant_id)
    before = edit_news.rule_details(participant)
    updated = service.update_participant(
        session,
        event=event,
        participant=participant,
        changes=body.model_dump(exclude_unset=True),
        actor=audit.actor_for(organiser),
    )
    edit_news.publish_from_thread(request.app, edit_news.change_after_edit(session, event.id))
    edited = ParticipantEdited.model_validate(to_public(updated).model_dump())
    if edit_news.rule_details(updated) != before:
        breaks = edit_news.rooms_breaking(session, event.id, updated.id)
        words: edit_news.EditMessages | None = getattr(request.app.state, "edit_messages", None)
        edited.warnings = [v.text for v in breaks]
        edited.messages = words(request, session, event.id, breaks) if words else []
    return edited


@router.delete("/participants/{participant_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_participant(
    event_id: str,
    participant_id: str,
    session: SessionDep,
    settings: SettingsDep,
    organiser: OrganiserDep,
) -> Response:
    """Removes a participant before the event is live."""
    event = event_service.get_owned_event(session, event_id=event_id, organiser=organiser)
    participant = service.get_participant(session, event_id=event.id, participant_id=participant_id)
    removal.remove_participant(
        session,
        event=event,
        participant=participant,
        actor=audit.actor_for(organiser),
        settings=settings,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/participants/{participant_id}/link")
def reissue_link(
    event_id: str,
    participant_id: str,
    session: SessionDep,
    settings: SettingsDep,
    organiser: OrganiserDep,
) -> PersonalLink:
    """Issues a new personal link; the previous link and its sessions stop working."""
    event = event_service.get_owned_event(session, event_id=event_id, organiser=organiser)
    participant = service.get_participant(session, event_id=event.id, participant_id=participant_id)
    token = service.issue_link(session, participant=participant, actor=audit.actor_for(organiser))
    return _link(participant, token, settings.base_url)


@router.post("/links")
def issue_links(
    event_id: str,
    session: SessionDep,
    settings: SettingsDep,
    organiser: OrganiserDep,
    reissue: bool = False,
) -> list[PersonalLink]:
    """Personal links for everyone without one (`?reissue=true`: new links for all)."""
    event = event_service.get_owned_event(session, event_id=event_id, organiser=organiser)
    issued = service.issue_links(
        session, event=event, actor=audit.actor_for(organiser), reissue=reissue
    )
    return [_link(p, token, settings.base_url) for p, token in issued]


def _link(participant: Participant, token: str, base_url: str) -> PersonalLink:
    return PersonalLink(
        participant_id=participant.id,
        external_id=participant.external_id,
        name=participant.name,
        email=participant.email,
        token=token,
        link=f"{base_url.rstrip('/')}/p/{token}",
    )


@me_router.post("/session")
def open_session(
    body: SessionExchange, response: Response, session: SessionDep, settings: SettingsDep
) -> ParticipantPublic:
    """Exchanges a personal-link token for a participant session cookie."""
    participant = participant_for_token(session, body.token)
    if participant is None:
        raise Unauthorized("This personal link is not valid (it may have been re-issued).")
    value = service.session_cookie(participant, settings=settings)
    set_session_cookie(response, PARTICIPANT_COOKIE, value, settings)
    return to_public(participant)


@me_router.get("")
def me(participant: ParticipantDep, session: SessionDep) -> Me:
    """The participant's own details and their event."""
    event = event_service.get_event(session, event_id=participant.event_id)
    return Me(
        participant=to_public(participant),
        event=MeEvent.model_validate(event.model_dump()),
    )


@me_router.patch("")
def update_me(body: MeUpdate, participant: ParticipantDep, session: SessionDep) -> Me:
    """Chooses which contact details to share, and the page language."""
    service.update_me(session, participant=participant, changes=body.model_dump(exclude_unset=True))
    return me(participant, session)


@me_router.get("/room")
async def my_room(
    request: Request,
    token: Annotated[str | None, Query(max_length=128, description="Personal link token")] = None,
) -> MyRoom:
    """The participant's current (or next) room, its video link and room-mates."""
    cookie = session_cookie_of(request.cookies, PARTICIPANT_COOKIE, request.app.state.settings)

    # The hottest endpoint (every participant polls it when a socket is down): all of its
    # database work runs in one worker-thread hop instead of one per dependency.
    def lookup() -> MyRoom:
        with session_scope() as session:
            participant = authenticate_participant(session, token=token, cookie=cookie)
            return schedule_rooms.my_room(session, participant=participant)

    return await run_in_threadpool(lookup)
