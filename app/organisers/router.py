"""Organiser sign-in, invite links, and API tokens."""

from urllib.parse import quote

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import RedirectResponse

from app.deps import OrganiserDep, SessionDep, SettingsDep, organiser_for_session_cookie
from app.models import ApiToken, Organiser
from app.organisers import colleagues, service
from app.organisers.schemas import (
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenPublic,
    ColleaguePublic,
    InviteCreate,
    InviteCreated,
    InviteExchange,
    NewPassword,
    OrganiserPublic,
    SignIn,
)
from app.security import ORGANISER_COOKIE
from app.sessions import clear_session_cookie, session_cookie_of, set_organiser_cookie

router = APIRouter(tags=["organisers"])


def _public(organiser: Organiser) -> OrganiserPublic:
    return OrganiserPublic(
        id=organiser.id,
        email=organiser.email,
        name=organiser.name,
        has_password=organiser.password_hash is not None,
    )


def colleague_public(colleague: colleagues.Colleague) -> ColleaguePublic:
    organiser = colleague.organiser
    return ColleaguePublic(
        **_public(organiser).model_dump(),
        status=colleague.status.value,
        two_step=organiser.totp_enabled,
        created_at=organiser.created_at,
        invite_expires_at=colleague.invite_expires_at,
        events=colleague.events,
    )


def _token_public(api_token: ApiToken) -> ApiTokenPublic:
    return ApiTokenPublic.model_validate(api_token.model_dump())


@router.post("/auth/signin")
def sign_in(
    body: SignIn, request: Request, response: Response, session: SessionDep, settings: SettingsDep
) -> OrganiserPublic:
    """Signs in with e-mail and password (sets the session cookie); failures are rate-limited."""
    client_ip = request.client.host if request.client else "unknown"
    organiser = service.sign_in_with_password(
        session,
        email=body.email,
        password=body.password,
        client_ip=client_ip,
        settings=settings,
        code=body.code,
    )
    set_organiser_cookie(response, organiser, settings)
    return _public(organiser)


@router.post("/auth/invite")
def exchange_invite(
    body: InviteExchange, response: Response, session: SessionDep, settings: SettingsDep
) -> OrganiserPublic:
    """Signs in with a one-time invite token (sets the session cookie)."""
    organiser = service.sign_in_with_invite(session, token=body.token)
    set_organiser_cookie(response, organiser, settings)
    return _public(organiser)


@router.get("/auth/invite/{token}", response_class=RedirectResponse)
def open_invite_link(token: str, session: SessionDep) -> RedirectResponse:
    """Invite links sent before they opened a page: on to that page, without spending the link
    (a mail scanner opening it must not sign in); a link that cannot be used is a 401 here."""
    service.check_invite(session, token=token)
    return RedirectResponse(
        f"/organiser/invite/{quote(token)}", status_code=status.HTTP_303_SEE_OTHER
    )


@router.post("/auth/signout", status_code=status.HTTP_204_NO_CONTENT)
def sign_out(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """Ends the organiser's sessions: this cookie and any copy of it stop working."""
    organiser = organiser_for_session_cookie(
        session, session_cookie_of(request.cookies, ORGANISER_COOKIE, settings), settings=settings
    )
    if organiser is not None:
        service.end_sessions(session, organiser=organiser)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    clear_session_cookie(response, ORGANISER_COOKIE, settings)
    return response


@router.get("/organisers/me")
def me(organiser: OrganiserDep) -> OrganiserPublic:
    """The signed-in organiser."""
    return _public(organiser)


@router.put("/organisers/me/password", status_code=status.HTTP_204_NO_CONTENT)
def change_password(
    body: NewPassword,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    organiser: OrganiserDep,
) -> Response:
    """Sets a new password (at least 10 characters; `current_password` once one is set); other
    sessions end, this one goes on, and every API token is revoked (the one sent here too)."""
    service.set_password(
        session,
        organiser=organiser,
        password=body.password,
        current=body.current_password,
        settings=settings,
    )
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    if session_cookie_of(request.cookies, ORGANISER_COOKIE, settings) is not None:
        set_organiser_cookie(response, organiser, settings)
    return response


@router.post("/organisers/invites", status_code=status.HTTP_201_CREATED)
def invite(
    body: InviteCreate, session: SessionDep, settings: SettingsDep, organiser: OrganiserDep
) -> InviteCreated:
    """Creates a colleague's organiser account and returns their one-time invite link."""
    invited, token = service.invite_organiser(
        session, inviter=organiser, email=body.email, name=body.name
    )
    return InviteCreated(
        organiser=_public(invited), invite_link=service.invite_link(settings, token)
    )


@router.get("/organisers")
def list_organisers(
    session: SessionDep, settings: SettingsDep, _organiser: OrganiserDep
) -> list[ColleaguePublic]:
    """Every organiser account of this service: status, two-step sign-in, events owned."""
    return [colleague_public(c) for c in colleagues.list_colleagues(session, settings=settings)]


@router.delete("/organisers/{organiser_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_organiser(organiser_id: str, session: SessionDep, organiser: OrganiserDep) -> Response:
    """Removes a colleague's account (or an unused invite) with its API tokens; its sessions
    end at once. Not your own, nor one that owns events (409: delete those first)."""
    colleagues.remove(session, actor=organiser, organiser_id=organiser_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/organisers/me/tokens")
def list_tokens(session: SessionDep, organiser: OrganiserDep) -> list[ApiTokenPublic]:
    """The organiser's API tokens (never their secret values)."""
    return [_token_public(t) for t in service.list_api_tokens(session, organiser=organiser)]


@router.post("/organisers/me/tokens", status_code=status.HTTP_201_CREATED)
def create_token(
    body: ApiTokenCreate, session: SessionDep, organiser: OrganiserDep
) -> ApiTokenCreated:
    """Creates an API token for scripts (`Authorization: Bearer ...`); shown only once."""
    api_token, raw = service.create_api_token(session, organiser=organiser, name=body.name)
    return ApiTokenCreated.model_validate({**api_token.model_dump(), "token": raw})


@router.delete("/organisers/me/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(token_id: str, session: SessionDep, organiser: OrganiserDep) -> Response:
    """Revokes an API token at once."""
    service.revoke_api_token(session, organiser=organiser, token_id=token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
