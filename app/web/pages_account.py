"""The organiser's account page: set or change the password; turn two-step sign-in on or off;
see the colleagues' accounts and remove one (a colleague who left, an invite sent wrongly).

Colleagues start with a one-time invite link and no password; without one they cannot sign in
again once their session ends (8 hours idle, 14 days at most), so the page says so until a
password is set. A new password ends the organiser's other sessions, keeps this one and revokes
their API tokens.

A form that did its work redirects back here (Post/Redirect/Get, app.web.flash), so reloading
the page never sends it again; a refused one answers with the page, its error and what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from app.deps import SessionDep, SettingsDep
from app.errors import AppError, Forbidden, InvalidInput, NotFound
from app.models import Organiser
from app.organisers import attempts, colleagues, two_step
from app.organisers import service as organiser_service
from app.organisers.schemas import (
    CODE_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    MIN_PASSWORD_LENGTH,
    NAME_MAX_LENGTH,
    PASSWORD_MAX_LENGTH,
    InviteCreate,
)
from app.sessions import set_organiser_cookie
from app.settings import Settings
from app.web import auth, flash
from app.web.organiser_common import NeedsSignIn, signed_in
from app.web.templating import error_page, error_text, render, translate

router = APIRouter(include_in_schema=False)

PAGE = "organiser/account.html"
ACCOUNT = "/organiser/account"
REMOVE_PAGE = "organiser/colleague_remove.html"


def _context(session: Session, organiser: Organiser, settings: Settings) -> dict[str, Any]:
    context: dict[str, Any] = {
        "organiser": organiser,
        "min_length": MIN_PASSWORD_LENGTH,
        "two_step_required": settings.require_two_step,
        "invite_days": settings.invite_days,
    }
    # Like the API, a session still without a required two-step sign-in sees no colleagues
    # and no API tokens.
    if not two_step.missing(organiser, settings):
        context["colleagues"] = colleagues.list_colleagues(session, settings=settings)
        context["api_tokens"] = organiser_service.list_api_tokens(session, organiser=organiser)
    secret = two_step.shared_secret(organiser, secret_key=settings.secret_key)
    if secret is not None and not organiser.totp_enabled:
        uri = two_step.setup_uri(secret, organiser)  # being set up: the QR code and its secret
        context.update(qr_svg=two_step.qr_svg(uri), secret=secret)
    return context


@router.get(ACCOUNT, response_class=HTMLResponse)
def account(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """The password, two-step sign-in, API tokens, colleagues; what the last form did, once."""
    try:
        organiser = signed_in(request, session, settings, account_page=True)
    except NeedsSignIn as exc:
        return exc.response
    notice = flash.read(request, organiser_id=organiser.id, settings=settings)
    page = render(request, PAGE, {**_context(session, organiser, settings), **notice})
    return flash.shown(request, page, settings)


def _change(
    request: Request,
    session: Session,
    settings: Settings,
    change: Callable[[Organiser], None],
    *,
    error_key: str,
    done: dict[str, Any],
    renews_session: bool,
    typed: dict[str, str] | None = None,
) -> Response:
    """One account change: checked like every form post, its error shown on the page with what
    was `typed`; done, a redirect to the page that shows `done` once (JSON values), and this
    session renewed where the change ends the organiser's other sessions."""
    try:
        auth.same_origin(request)
        organiser = signed_in(request, session, settings, account_page=True)
    except NeedsSignIn as exc:
        return exc.response
    except AppError as exc:
        return error_page(request, exc)
    try:
        change(organiser)
    except AppError as exc:
        # The service's own refusals are in the catalogs (as on error pages).
        context = {
            **_context(session, organiser, settings),
            error_key: error_text(request, exc),
            "typed": typed or {},
        }
        return render(request, PAGE, context, status_code=exc.status_code)
    response = flash.redirect(ACCOUNT, done, organiser_id=organiser.id, settings=settings)
    if renews_session:
        set_organiser_cookie(response, organiser, settings)  # the others' sessions end
    return response


@router.post("/organiser/account/two-step/{step}", response_model=None)
def change_two_step(
    request: Request,
    step: Literal["begin", "confirm", "off"],
    session: SessionDep,
    settings: SettingsDep,
    code: Annotated[str, Form()] = "",
) -> Response:
    """Start setting up an authenticator app, confirm it with a first code, or turn it off
    (wrong codes count towards the account's sign-in limit)."""
    key = settings.secret_key

    def change(organiser: Organiser) -> None:
        label = "Current code from your app" if step == "off" else "Code from your app"
        auth.check_length(request, code, limit=CODE_MAX_LENGTH, label=label)
        if step == "begin":
            two_step.begin(session, organiser, secret_key=key)
            return
        # Guessed like a sign-in code: a stolen session gets no more tries than a sign-in.
        keys = [attempts.account_key(organiser.email)]
        with attempts.counted(
            session, keys=keys, settings=settings, refusal=attempts.TOO_MANY_CODES
        ):
            if step == "confirm":
                two_step.confirm(session, organiser, code, secret_key=key)
            else:
                two_step.turn_off(session, organiser, code, settings=settings)

    return _change(
        request, session, settings, change,
        error_key="two_step_error", done={"two_step_changed": step}, renews_session=step != "begin",
    )  # fmt: skip


@router.post(ACCOUNT, response_model=None)
def set_password(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    password: Annotated[str, Form()] = "",
    again: Annotated[str, Form()] = "",
    current_password: Annotated[str, Form()] = "",
) -> Response:
    """Set a new password: long enough, not easy to guess, typed the same twice, and (to change
    one) the current password. The page then says how many API tokens it revoked."""

    def change(organiser: Organiser) -> None:
        for value, label in (
            (current_password, "Current password"),
            (password, "New password"),
            (again, "New password again"),
        ):
            auth.check_length(request, value, limit=PASSWORD_MAX_LENGTH, label=label)
        if len(password) < MIN_PASSWORD_LENGTH:
            raise InvalidInput(
                translate(
                    request,
                    "The password needs at least %(n)s characters.",
                    n=MIN_PASSWORD_LENGTH,
                )
            )
        if password != again:
            raise InvalidInput(translate(request, "The two passwords are not the same."))
        # A first password (an invited colleague's) ends no other sessions worth mentioning.
        done["first_password"] = organiser.password_hash is None
        done["tokens_revoked"] = organiser_service.set_password(
            session, organiser=organiser, password=password, current=current_password,
            settings=settings,
        )  # fmt: skip

    done: dict[str, Any] = {"saved": True}
    return _change(
        request, session, settings, change,
        error_key="error", done=done, renews_session=True,
    )  # fmt: skip


def _colleague(session: Session, settings: Settings, organiser_id: str) -> colleagues.Colleague:
    for colleague in colleagues.list_colleagues(session, settings=settings):
        if colleague.organiser.id == organiser_id:
            return colleague
    raise NotFound(colleagues.NO_SUCH_ACCOUNT)


@router.get("/organiser/account/colleagues/{organiser_id}/remove", response_class=HTMLResponse)
def confirm_removal(
    request: Request, organiser_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """The confirmation step before removing a colleague's account: who, and what it means (or
    why it cannot be removed yet)."""
    try:
        organiser = signed_in(request, session, settings)
        colleague = _colleague(session, settings, organiser_id)
    except NeedsSignIn as exc:
        return exc.response
    except AppError as exc:
        return error_page(request, exc)
    refusal = None
    if colleague.organiser.id == organiser.id:
        refusal = translate(request, colleagues.NOT_YOURSELF)
    elif colleague.events:
        refusal = translate(
            request, colleagues.OWNS_EVENTS, email=colleague.organiser.email, n=colleague.events
        )
    return render(request, REMOVE_PAGE, {"colleague": colleague, "refusal": refusal})


@router.post("/organiser/account/colleagues/{organiser_id}/remove", response_model=None)
def remove_colleague(
    request: Request, organiser_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """Removes the account; the account page then lists the colleagues left (or says why not)."""

    def change(organiser: Organiser) -> None:
        if two_step.missing(organiser, settings):
            raise Forbidden(two_step.REQUIRED)
        removed = colleagues.remove(session, actor=organiser, organiser_id=organiser_id)
        done["removed"] = {"name": removed.name, "email": removed.email}

    done: dict[str, Any] = {}
    return _change(
        request, session, settings, change,
        error_key="colleagues_error", done=done, renews_session=False,
    )  # fmt: skip


@router.post("/organiser/account/tokens", response_model=None)
def create_token(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    name: Annotated[str, Form()] = "",
) -> Response:
    """A new API token for scripts and integrations; its value is shown once, after the redirect."""

    def change(organiser: Organiser) -> None:
        if two_step.missing(organiser, settings):
            raise Forbidden(two_step.REQUIRED)
        auth.check_length(request, name, limit=NAME_MAX_LENGTH, label="Token name")
        if not name.strip():
            raise InvalidInput(translate(request, "Give the token a name, e.g. what it is for."))
        api_token, raw = organiser_service.create_api_token(session, organiser=organiser, name=name)
        done.update(new_token=raw, new_token_name=api_token.name)

    done: dict[str, Any] = {}
    return _change(
        request, session, settings, change,
        error_key="tokens_error", done=done, renews_session=False, typed={"token_name": name},
    )  # fmt: skip


@router.post("/organiser/account/tokens/{token_id}/revoke", response_model=None)
def revoke_token(
    request: Request, token_id: str, session: SessionDep, settings: SettingsDep
) -> Response:
    """Revokes one of the organiser's API tokens: requests carrying it get 401 from now on."""

    def change(organiser: Organiser) -> None:
        organiser_service.revoke_api_token(session, organiser=organiser, token_id=token_id)
        done["revoked_token"] = True

    done: dict[str, Any] = {}
    return _change(
        request, session, settings, change,
        error_key="tokens_error", done=done, renews_session=False,
    )  # fmt: skip


@router.post("/organiser/account/colleagues/invite", response_model=None)
def invite_colleague(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    name: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
) -> Response:
    """Creates a colleague's account; its one-time invite link is shown once, after the redirect."""

    def change(organiser: Organiser) -> None:
        if two_step.missing(organiser, settings):
            raise Forbidden(two_step.REQUIRED)
        auth.check_length(request, name, limit=NAME_MAX_LENGTH, label="Name")
        auth.check_length(request, email, limit=EMAIL_MAX_LENGTH, label="E-mail address")
        try:
            invite = InviteCreate(name=name, email=email)
        except ValidationError:
            raise InvalidInput(
                translate(request, "Enter the colleague's name and a valid e-mail address.")
            ) from None
        invited, token = organiser_service.invite_organiser(
            session, inviter=organiser, email=invite.email, name=invite.name
        )
        link = organiser_service.invite_link(settings, token)
        done.update(invited={"name": invited.name}, invite_link=link)

    done: dict[str, Any] = {}
    return _change(
        request, session, settings, change,
        error_key="colleagues_error", done=done, renews_session=False,
        typed={"invite_name": name, "invite_email": email},
    )  # fmt: skip
