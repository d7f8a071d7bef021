"""Organiser accounts: password and invite-link sign-in (rate-limited), API tokens, cookies."""

import time
from datetime import UTC, datetime

from sqlalchemy import delete, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from app import audit
from app.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    Unauthorized,
    for_organisers,
    for_participants,
)
from app.models import ApiToken, AuditLog, Organiser, SigninAttempt
from app.organisers import attempts, two_step
from app.organisers.password_checks import SignInsBusy, password_check
from app.organisers.passwords import check_new_password
from app.security import (
    hash_password,
    hash_token,
    new_token,
    verify_password,
)
from app.settings import Settings, get_settings
from app.validators import normalise_email

# An unused invite link in a mailbox signs in without a password: it expires after
# `Settings.invite_days` (ASVS 6.4.1), and the colleague who missed it is simply invited again.
DAY_S = 24 * 3600


def create_organiser(
    session: Session, *, email: str, name: str, password: str | None = None
) -> Organiser:
    """A new organiser account; e-mail addresses are unique (case-insensitive)."""
    email = normalise_email(email)
    if session.exec(select(Organiser).where(Organiser.email == email)).first() is not None:
        raise Conflict(
            for_organisers("An organiser with e-mail %(email)s already exists."), email=email
        )
    organiser = Organiser(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password) if password else None,
    )
    session.add(organiser)
    session.commit()
    session.refresh(organiser)
    return organiser


def invite_link(settings: Settings, token: str) -> str:
    """The link an invited organiser opens: a page whose button signs them in once (mail
    scanners and link previews open every link, and must not spend it)."""
    return f"{settings.base_url.rstrip('/')}/organiser/invite/{token}"


def issue_invite(session: Session, *, organiser: Organiser) -> str:
    """A new one-time sign-in token for `organiser` (replacing any earlier one). It ends in
    its issue time, which the stored digest of the whole token keeps from being changed."""
    issued = int(time.time())
    token = f"{new_token()}.{issued}"
    organiser.invite_token_hash = hash_token(token)
    organiser.invite_issued_at = datetime.fromtimestamp(issued, UTC).replace(tzinfo=None)
    session.add(organiser)
    session.commit()
    return token


def _invite_expired(token: str, organiser: Organiser, settings: Settings) -> bool:
    """Whether the link was issued more than `settings.invite_days` ago."""
    issued = token.rpartition(".")[2]
    if "." in token and issued.isdigit():
        issued_at = float(issued)
    else:  # a link from before issue times: sent when the account was created
        issued_at = organiser.created_at.replace(tzinfo=UTC).timestamp()
    return time.time() - issued_at > settings.invite_days * DAY_S


def _never_signed_in(session: Session, organiser: Organiser) -> bool:
    """An account only invited so far: no password, its link unused, nothing ever done."""
    if organiser.password_hash is not None or organiser.invite_token_hash is None:
        return False
    acted = select(AuditLog.id).where(AuditLog.actor == audit.actor_for(organiser)).limit(1)
    return session.exec(acted).first() is None


def invite_organiser(
    session: Session, *, inviter: Organiser, email: str, name: str
) -> tuple[Organiser, str]:
    """Creates a colleague's account and returns it with its one-time invite token. A
    colleague who never used their link (lost, or expired) gets a new one instead."""
    existing = session.exec(select(Organiser).where(Organiser.email == normalise_email(email)))
    organiser = existing.first()
    if organiser is None or not _never_signed_in(session, organiser):
        organiser = create_organiser(session, email=email, name=name)  # or Conflict
    token = issue_invite(session, organiser=organiser)
    audit.record(
        session,
        actor=audit.actor_for(inviter),
        action="organiser.invite",
        detail={"organiser_id": organiser.id},
    )
    session.commit()
    return organiser, token


# One message for a wrong password and a wrong or missing code: which of the two was right
# stays unknown to whoever is guessing. Who typed a code hears that a code works once (the one
# that just turned two-step sign-in on is spent); that depends only on what they typed.
WRONG_CREDENTIALS = for_organisers(
    "The e-mail address or password is not right (or the authenticator code, "
    "if two-step sign-in is on)."
)
WRONG_CREDENTIALS_WITH_CODE = for_organisers(
    "The e-mail address, password or code is not right. A code works only once: "
    "if you just used it, wait for the next one."
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
    keys = [attempts.account_key(email), attempts.ip_key(client_ip)]
    attempt = attempts.count(session, keys=keys, settings=settings)  # a failure until proven
    organiser = session.exec(select(Organiser).where(Organiser.email == email)).first()
    # verify_password spends one argon2 hash even for unknown e-mails (no account probing).
    try:
        with password_check(settings):
            right = verify_password(password, organiser.password_hash if organiser else None)
    except SignInsBusy:
        attempts.forget(session, attempt)  # never checked: not a guess
        raise
    if right and organiser is not None and organiser.totp_enabled:
        right = two_step.code_is_valid(session, organiser, code, secret_key=settings.secret_key)
    if not right:
        raise Unauthorized(
            WRONG_CREDENTIALS_WITH_CODE if (code or "").strip() else WRONG_CREDENTIALS
        )
    assert organiser is not None
    # Signed in: this attempt does not count, and the account's earlier failures are forgiven.
    session.exec(delete(SigninAttempt).where(col(SigninAttempt.key) == keys[0]))
    attempts.forget(session, attempt)
    return organiser


INVITE_USED = for_organisers("This invite link is not valid or was already used.")


def check_invite(session: Session, *, token: str, settings: Settings | None = None) -> Organiser:
    """The organiser a usable invite token is for, without spending it (the page a link opens
    shows a button first: mail scanners and link previews fetch every link they see)."""
    organiser = session.exec(
        select(Organiser).where(Organiser.invite_token_hash == hash_token(token))
    ).first()
    if organiser is None:
        raise Unauthorized(INVITE_USED)
    if _invite_expired(token, organiser, settings or get_settings()):
        raise Unauthorized(
            for_organisers(
                "This invite link has expired: ask the colleague who invited you to invite you "
                "again for a new link."
            )
        )
    if organiser.totp_enabled:
        raise Unauthorized(
            for_organisers("This account uses two-step sign-in: sign in with password and code.")
        )
    return organiser


def sign_in_with_invite(
    session: Session, *, token: str, settings: Settings | None = None
) -> Organiser:
    """Exchanges a one-time invite token for the organiser; the token then stops working."""
    digest = hash_token(token)
    organiser = check_invite(session, token=token, settings=settings)
    audit.record(session, actor=audit.actor_for(organiser), action="organiser.invite_used")
    # Spent in one statement that re-checks the link: of two requests carrying it at once (a
    # mail scanner opening every link, and the colleague), only one signs in.
    spent = session.connection().execute(
        update(Organiser)
        .where(col(Organiser.id) == organiser.id, col(Organiser.invite_token_hash) == digest)
        .values(invite_token_hash=None, invite_issued_at=None)
    )
    if spent.rowcount != 1:
        session.rollback()
        raise Unauthorized(INVITE_USED)
    session.commit()
    set_committed_value(organiser, "invite_token_hash", None)
    set_committed_value(organiser, "invite_issued_at", None)
    return organiser


WRONG_CURRENT_PASSWORD = for_participants(
    "Your current password is not right; nothing was changed."
)


def set_password(
    session: Session, *, organiser: Organiser, password: str, current: str, settings: Settings
) -> int:
    """A new password; changing one needs the current one (ASVS 6.2.3), so a session left open
    or stolen is not enough to take the account over. An invited colleague sets a first one.
    Wrong current passwords count towards the sign-in limit, as wrong sign-ins do.

    The organiser's other sessions end and every API token is revoked (the one this request
    carries too): whoever changes a password fearing a leak must not leave a way in open.
    Returns how many tokens were revoked."""
    if organiser.password_hash is not None:
        keys = [attempts.account_key(organiser.email)]
        # A check that waited too long for its turn (503) was never made: not counted either.
        with password_check(settings), attempts.counted(session, keys=keys, settings=settings):
            if not verify_password(current, organiser.password_hash):
                raise InvalidInput(
                    WRONG_CURRENT_PASSWORD,
                    [{"field": "current_password", "message": "is not right"}],
                )
    check_new_password(password, known=[organiser.email, organiser.name])
    with password_check(settings):
        organiser.password_hash = hash_password(password)
    organiser.session_version += 1  # a new password ends the sessions made with the old one
    session.add(organiser)
    revoked = _revoke_all_api_tokens(session, organiser=organiser)
    audit.record(
        session,
        actor=audit.actor_for(organiser),
        action="organiser.password",
        detail={"api_tokens_revoked": revoked},
    )
    session.commit()
    return revoked


def _revoke_all_api_tokens(session: Session, *, organiser: Organiser) -> int:
    """Revokes the organiser's active API tokens in one statement (no commit); how many."""
    revoked = session.connection().execute(
        update(ApiToken)
        .where(col(ApiToken.organiser_id) == organiser.id, col(ApiToken.revoked).is_(False))
        .values(revoked=True)
    )
    return revoked.rowcount


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
        raise NotFound(for_organisers("API token %(id)s does not exist."), id=repr(token_id))
    api_token.revoked = True
    session.add(api_token)
    audit.record(
        session,
        actor=audit.actor_for(organiser),
        action="api_token.revoke",
        detail={"token_id": token_id},
    )
    session.commit()
