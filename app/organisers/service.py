"""Organiser accounts: password and invite-link sign-in (rate-limited), API tokens, cookies."""

from datetime import timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from app import audit
from app.errors import Conflict, NotFound, TooManyRequests, Unauthorized
from app.models import ApiToken, Organiser, SigninAttempt, utcnow
from app.organisers import two_step
from app.organisers.passwords import check_new_password
from app.security import (
    hash_password,
    hash_token,
    new_token,
    verify_password,
)
from app.settings import Settings

# One address may try from many places, and one place (an agency's office) may host many
# organisers: the per-IP budget is therefore larger than the per-account one.
_IP_FACTOR = 4


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_organiser(
    session: Session, *, email: str, name: str, password: str | None = None
) -> Organiser:
    """A new organiser account; e-mail addresses are unique (case-insensitive)."""
    email = normalise_email(email)
    if session.exec(select(Organiser).where(Organiser.email == email)).first() is not None:
        raise Conflict(f"An organiser with e-mail {email} already exists.")
    organiser = Organiser(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password) if password else None,
    )
    session.add(organiser)
    session.commit()
    session.refresh(organiser)
    return organiser


def issue_invite(session: Session, *, organiser: Organiser) -> str:
    """A new one-time sign-in token for `organiser` (replacing any earlier one)."""
    token = new_token()
    organiser.invite_token_hash = hash_token(token)
    session.add(organiser)
    session.commit()
    return token


def invite_organiser(
    session: Session, *, inviter: Organiser, email: str, name: str
) -> tuple[Organiser, str]:
    """Creates a colleague's account and returns it with its one-time invite token."""
    organiser = create_organiser(session, email=email, name=name)
    token = issue_invite(session, organiser=organiser)
    audit.record(
        session,
        actor=audit.actor_for(inviter),
        action="organiser.invite",
        detail={"organiser_id": organiser.id},
    )
    session.commit()
    return organiser, token


def _check_rate(session: Session, *, keys: list[str], settings: Settings) -> None:
    since = utcnow() - timedelta(seconds=settings.signin_window_s)
    for key in keys:
        limit = settings.signin_attempts_per_window
        if key.startswith("ip:"):
            limit *= _IP_FACTOR
        statement = (
            select(func.count())
            .select_from(SigninAttempt)
            .where(SigninAttempt.key == key, col(SigninAttempt.created_at) >= since)
        )
        if int(session.exec(statement).one()) >= limit:
            raise TooManyRequests(
                "Too many failed sign-in attempts. Wait a few minutes and try again.",
                retry_after_s=settings.signin_window_s,
            )


def _record_failure(session: Session, *, keys: list[str], settings: Settings) -> None:
    cutoff = utcnow() - timedelta(seconds=settings.signin_window_s)
    session.exec(delete(SigninAttempt).where(col(SigninAttempt.created_at) < cutoff))
    session.add_all(SigninAttempt(key=key) for key in keys)
    session.commit()


# One message for a wrong password and a wrong or missing code: which of the two was right
# stays unknown to whoever is guessing.
WRONG_CREDENTIALS = (
    "The e-mail address or password is not right (or the authenticator code, "
    "if two-step sign-in is on)."
)


def sign_in_with_password(
    session: Session,
    *,
    email: str,
    password: str,
    client_ip: str,
    settings: Settings,
    code: str | None = None,
) -> Organiser:
    """The organiser for these credentials (and their current code, with two-step sign-in
    on); failures are counted and rate-limited."""
    email = normalise_email(email)
    keys = [f"email:{email}"[:400], f"ip:{client_ip}"[:400]]
    _check_rate(session, keys=keys, settings=settings)
    organiser = session.exec(select(Organiser).where(Organiser.email == email)).first()
    # verify_password spends one argon2 hash even for unknown e-mails (no account probing).
    right = verify_password(password, organiser.password_hash if organiser else None)
    if right and organiser is not None and organiser.totp_enabled:
        right = two_step.code_is_valid(session, organiser, code, secret_key=settings.secret_key)
    if not right:
        _record_failure(session, keys=keys, settings=settings)
        raise Unauthorized(WRONG_CREDENTIALS)
    assert organiser is not None
    session.exec(delete(SigninAttempt).where(col(SigninAttempt.key) == keys[0]))
    session.commit()
    return organiser


def sign_in_with_invite(session: Session, *, token: str) -> Organiser:
    """Exchanges a one-time invite token for the organiser; the token then stops working."""
    organiser = session.exec(
        select(Organiser).where(Organiser.invite_token_hash == hash_token(token))
    ).first()
    if organiser is None:
        raise Unauthorized("This invite link is not valid or was already used.")
    if organiser.totp_enabled:
        raise Unauthorized("This account uses two-step sign-in: sign in with password and code.")
    organiser.invite_token_hash = None
    session.add(organiser)
    audit.record(session, actor=audit.actor_for(organiser), action="organiser.invite_used")
    session.commit()
    return organiser


def set_password(session: Session, *, organiser: Organiser, password: str) -> None:
    check_new_password(password, known=[organiser.email, organiser.name])
    organiser.password_hash = hash_password(password)
    organiser.session_version += 1  # a new password ends the sessions made with the old one
    session.add(organiser)
    audit.record(session, actor=audit.actor_for(organiser), action="organiser.password")
    session.commit()


def end_sessions(session: Session, *, organiser: Organiser) -> None:
    """Revoke every session cookie of this organiser (sign-out everywhere)."""
    organiser.session_version += 1
    session.add(organiser)
    audit.record(session, actor=audit.actor_for(organiser), action="organiser.signout")
    session.commit()


def create_api_token(session: Session, *, organiser: Organiser, name: str) -> tuple[ApiToken, str]:
    """A new API token; the raw bearer value is returned once and only its hash is kept."""
    raw = new_token()
    api_token = ApiToken(organiser_id=organiser.id, name=name.strip(), token_hash=hash_token(raw))
    session.add(api_token)
    audit.record(
        session,
        actor=audit.actor_for(organiser),
        action="api_token.create",
        detail={"token_id": api_token.id, "name": api_token.name},
    )
    session.commit()
    session.refresh(api_token)
    return api_token, raw


def list_api_tokens(session: Session, *, organiser: Organiser) -> list[ApiToken]:
    statement = (
        select(ApiToken)
        .where(ApiToken.organiser_id == organiser.id)
        .order_by(col(ApiToken.created_at).desc())
    )
    return list(session.exec(statement))


def revoke_api_token(session: Session, *, organiser: Organiser, token_id: str) -> None:
    api_token = session.get(ApiToken, token_id)
    if api_token is None or api_token.organiser_id != organiser.id:
        raise NotFound(f"API token {token_id!r} does not exist.")
    api_token.revoked = True
    session.add(api_token)
    audit.record(
        session,
        actor=audit.actor_for(organiser),
        action="api_token.revoke",
        detail={"token_id": token_id},
    )
    session.commit()
