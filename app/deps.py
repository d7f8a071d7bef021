"""FastAPI dependencies (Annotated aliases) and the plain lookups behind them.

The plain functions (`organiser_for_api_token`, `participant_for_token`, the cookie variants) need
no dependency injection, so websocket handlers and pages can call them directly.
"""

from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy import bindparam, update
from sqlalchemy import select as select_core
from sqlmodel import Session, col, select

from app.db import get_session
from app.errors import Forbidden, Unauthorized
from app.models import ApiToken, Event, Organiser, Participant, table_of, utcnow
from app.organisers import two_step
from app.security import (
    ORGANISER_COOKIE,
    PARTICIPANT_COOKIE,
    hash_token,
    read_cookie,
    token_matches,
)
from app.sessions import read_session, session_cookie_of
from app.settings import Settings, get_settings

SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

_LAST_USED_RESOLUTION = timedelta(minutes=5)
_BAD_TOKEN = "The API token is invalid or was revoked."
_SIGN_IN = "Sign in as an organiser first."


_api_token = table_of(ApiToken)
# Built once: the round start checks a token inside its transaction, where each ORM statement
# cost about 0.5 ms of Python before SQLite saw it (`python -m bench start-path`).
_TOKEN_OWNER = select_core(
    _api_token.c.id,
    _api_token.c.organiser_id,
    _api_token.c.revoked,
    _api_token.c.token_hash,
    _api_token.c.last_used_at,
).where(_api_token.c.token_hash == bindparam("token_hash"))
_TOKEN_USED = (
    update(_api_token)
    .where(_api_token.c.id == bindparam("token_id"))
    .values(last_used_at=bindparam("now"))
)


def api_token_owner(session: Session, token: str) -> str | None:
    """The id of the organiser owning a valid, unrevoked API token, or None."""
    if not token:
        return None
    connection = session.connection()
    row = connection.execute(_TOKEN_OWNER, {"token_hash": hash_token(token)}).first()
    if row is None:
        return None
    token_id, organiser_id, revoked, token_hash, last_used_at = row
    if revoked or not token_matches(token, token_hash):
        return None
    now = utcnow()
    # Record use coarsely: a write on every scripted request would serialise SQLite writers.
    if last_used_at is None or now - last_used_at > _LAST_USED_RESOLUTION:
        connection.execute(_TOKEN_USED, {"token_id": token_id, "now": now})
        session.commit()
    return str(organiser_id)


def organiser_for_api_token(session: Session, token: str) -> Organiser | None:
    """The organiser owning a valid, unrevoked API token, or None."""
    organiser_id = api_token_owner(session, token)
    return session.get(Organiser, organiser_id) if organiser_id is not None else None


def organiser_for_session_cookie(
    session: Session, cookie: str | None, *, settings: Settings | None = None
) -> Organiser | None:
    """The organiser of a genuine organiser session cookie that is neither idle nor too old
    (app.sessions), or None."""
    found = read_session(cookie, settings or get_settings())
    if found is None:
        return None
    organiser = session.get(Organiser, found.organiser_id)
    if organiser is None or found.version != organiser.session_version:
        return None  # signed out (or password changed) since this cookie was made
    return organiser


def participant_for_token(session: Session, token: str) -> Participant | None:
    """The (not erased) participant whose personal link carries `token`, or None."""
    if not token:
        return None
    # The event comes along in the same query: callers nearly always need it next, and
    # session.get(Event, ...) then answers from the identity map without a round trip.
    row = session.exec(
        select(Participant, Event)
        .join(Event, col(Event.id) == col(Participant.event_id))
        .where(Participant.token_hash == hash_token(token))
    ).first()
    if row is None or row[0].deleted:
        return None
    participant = row[0]
    if not token_matches(token, participant.token_hash):
        return None
    return participant


def participant_for_session_cookie(
    session: Session, cookie: str | None, *, settings: Settings | None = None
) -> Participant | None:
    """The participant of a signed session cookie; None once their link was re-issued."""
    if not cookie:
        return None
    settings = settings or get_settings()
    data = read_cookie(
        cookie,
        secret_key=settings.secret_key,
        kind=PARTICIPANT_COOKIE,
        max_age_s=settings.session_max_age_s,
    )
    if data is None or not isinstance(data.get("p"), str):
        return None
    participant = session.get(Participant, data["p"])
    if participant is None or participant.deleted or participant.token_hash is None:
        return None
    # Re-issuing a link bumps token_version, which revokes every cookie made from the old link.
    if data.get("v") != participant.token_version:
        return None
    return participant


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def organiser_credentials(request: Request) -> tuple[str | None, str | None]:
    """The request's bearer token and organiser session cookie, read on the event loop."""
    settings: Settings = request.app.state.settings
    return _bearer(request), session_cookie_of(request.cookies, ORGANISER_COOKIE, settings)


def authenticate_organiser(
    session: Session, *, token: str | None, cookie: str | None, settings: Settings | None = None
) -> Organiser:
    """The organiser of an API token, else of the session cookie; or Unauthorized."""
    if token is not None:
        organiser = organiser_for_api_token(session, token)
        if organiser is None:
            raise Unauthorized(_BAD_TOKEN)
        return organiser
    settings = settings or get_settings()
    organiser = organiser_for_session_cookie(session, cookie, settings=settings)
    if organiser is None:
        raise Unauthorized(_SIGN_IN)
    if two_step.missing(organiser, settings):
        raise Forbidden(two_step.REQUIRED)
    return organiser


def authenticate_organiser_id(
    session: Session, *, token: str | None, cookie: str | None, settings: Settings | None = None
) -> str:
    """`authenticate_organiser`, for callers that need only the id: a token costs one read."""
    if token is None:
        return authenticate_organiser(session, token=None, cookie=cookie, settings=settings).id
    organiser_id = api_token_owner(session, token)
    if organiser_id is None:
        raise Unauthorized(_BAD_TOKEN)
    return organiser_id


def current_organiser(request: Request, session: SessionDep, settings: SettingsDep) -> Organiser:
    """The signed-in organiser: `Authorization: Bearer <API token>` or the session cookie."""
    token, cookie = organiser_credentials(request)
    return authenticate_organiser(session, token=token, cookie=cookie, settings=settings)


def authenticate_participant(
    session: Session, *, token: str | None, cookie: str | None, settings: Settings | None = None
) -> Participant:
    """The participant of a personal-link token, else of the session cookie; or Unauthorized."""
    if token is not None:
        participant = participant_for_token(session, token)
        if participant is None:
            raise Unauthorized("This personal link is not valid (it may have been re-issued).")
        return participant
    participant = participant_for_session_cookie(session, cookie, settings=settings)
    if participant is None:
        raise Unauthorized("Open your personal link first.")
    return participant


def current_participant(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str | None, Query(max_length=128, description="Personal link token")] = None,
) -> Participant:
    """The participant of a personal link token (`?token=`) or of the participant session cookie."""
    return authenticate_participant(
        session,
        token=token,
        cookie=session_cookie_of(request.cookies, PARTICIPANT_COOKIE, settings),
        settings=settings,
    )


OrganiserDep = Annotated[Organiser, Depends(current_organiser)]
ParticipantDep = Annotated[Participant, Depends(current_participant)]
