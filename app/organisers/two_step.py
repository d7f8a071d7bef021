"""Two-step sign-in for organisers: a password and a code from an authenticator app (ASVS 6.3.3).

Codes are TOTP (RFC 6238, pyotp): six digits from a secret shared once through a QR code,
changing every 30 seconds. A code from the step before or after is accepted (clocks drift),
and no step is accepted twice, so a code seen over someone's shoulder is already spent.
Turning it on or off needs a valid code and ends the organiser's other sessions. The shared
secret is stored sealed (`app.organisers.sealed`), under a key derived from the secret key.
"""

from __future__ import annotations

import hmac
import unicodedata
from datetime import UTC, datetime

import pyotp
import segno
from sqlalchemy import or_, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col

from app import audit
from app.errors import Conflict, InvalidInput, for_organisers
from app.models import Organiser
from app.organisers.sealed import seal, unseal
from app.settings import Settings

ISSUER = "speedmatch"
WRONG_CODE = for_organisers(
    "That code is not right. Use the newest code, and check the time on your phone."
)
REQUIRED = for_organisers(
    "Your organisation requires two-step sign-in: set it up on My account first."
)


def missing(organiser: Organiser, settings: Settings) -> bool:
    """Whether the service requires two-step sign-in and this organiser has not set it up."""
    return settings.require_two_step and not organiser.totp_enabled


def begin(session: Session, organiser: Organiser, *, secret_key: str) -> None:
    """A new secret for the organiser's app; nothing changes at sign-in until `confirm`."""
    if organiser.totp_enabled:
        raise Conflict(for_organisers("Two-step sign-in is already on."))
    if organiser.password_hash is None:
        raise Conflict(
            for_organisers("Set a password first: two-step sign-in adds a code to the password.")
        )
    organiser.totp_secret = seal(pyotp.random_base32(), secret_key)
    session.add(organiser)
    session.commit()


def shared_secret(organiser: Organiser, *, secret_key: str) -> str | None:
    """The secret in the clear, for the organiser's own app (None: none, or sealed under an
    earlier secret key)."""
    return None if organiser.totp_secret is None else unseal(organiser.totp_secret, secret_key)


def setup_uri(secret: str, organiser: Organiser) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=organiser.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The URI as an inline SVG QR code (no script, no external image)."""
    return str(segno.make(uri, error="m").svg_inline(scale=4, title="QR code"))


def code_is_valid(
    session: Session, organiser: Organiser, code: str | None, *, secret_key: str
) -> bool:
    """Whether `code` is the organiser's current code and not used before (then it is spent)."""
    digits = _ascii_digits(code)
    secret = shared_secret(organiser, secret_key=secret_key)
    if secret is None or len(digits) != 6 or not (digits.isascii() and digits.isdigit()):
        return False
    totp = pyotp.TOTP(secret)
    now = totp.timecode(_utc_now())
    for step in (now, now - 1, now + 1):
        if organiser.totp_last_step is not None and step <= organiser.totp_last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), digits):
            return _spend(session, organiser, step)
    return False


def _ascii_digits(code: str | None) -> str:
    """The code without spaces, in ASCII digits: phones with an Arabic, Persian or Devanagari
    keyboard (or a full-width one) type the app's number in their own digits."""
    typed = "".join((code or "").split())
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in typed)


def _spend(session: Session, organiser: Organiser, step: int) -> bool:
    """Record `step` as used, unless a request racing this one already has: the check and the
    write are one statement, so two sign-ins carrying the same code cannot both pass."""
    last = col(Organiser.totp_last_step)
    spent = session.connection().execute(
        update(Organiser)
        .where(col(Organiser.id) == organiser.id, or_(last.is_(None), last < step))
        .values(totp_last_step=step)
    )
    session.commit()
    if spent.rowcount != 1:
        return False
    set_committed_value(organiser, "totp_last_step", step)
    return True


def confirm(session: Session, organiser: Organiser, code: str, *, secret_key: str) -> None:
    """Turn two-step sign-in on once a first code proves the app has the secret."""
    if organiser.totp_enabled:
        raise Conflict(for_organisers("Two-step sign-in is already on."))
    if organiser.totp_secret is None:
        raise Conflict(for_organisers("Start again: no authenticator app is being set up."))
    if not code_is_valid(session, organiser, code, secret_key=secret_key):
        raise InvalidInput(WRONG_CODE)
    organiser.totp_enabled = True
    _changed(session, organiser, "organiser.two_step_on")


def turn_off(session: Session, organiser: Organiser, code: str, *, settings: Settings) -> None:
    """Back to the password alone; needs a current code, as signing in would."""
    if not organiser.totp_enabled:
        raise Conflict(for_organisers("Two-step sign-in is not on."))
    if settings.require_two_step:
        raise Conflict(
            for_organisers("Your organisation requires two-step sign-in, so it stays on.")
        )
    if not code_is_valid(session, organiser, code, secret_key=settings.secret_key):
        raise InvalidInput(WRONG_CODE)
    _off(session, organiser, "organiser.two_step_off")


def reset(session: Session, organiser: Organiser) -> None:
    """Off without a code, for whoever runs the server: a lost phone, or a new secret key
    (`speedmatch organiser two-step-off`). The password alone then signs in."""
    if not organiser.totp_enabled and organiser.totp_secret is None:
        raise Conflict(for_organisers("Two-step sign-in is not on."))
    _off(session, organiser, "organiser.two_step_reset")


def _off(session: Session, organiser: Organiser, action: str) -> None:
    organiser.totp_enabled = False
    organiser.totp_secret = None
    organiser.totp_last_step = None
    _changed(session, organiser, action)


def _changed(session: Session, organiser: Organiser, action: str) -> None:
    organiser.session_version += 1  # sessions signed in the old way end; the caller renews its own
    session.add(organiser)
    audit.record(session, actor=audit.actor_for(organiser), action=action)
    session.commit()


def _utc_now() -> datetime:
    return datetime.now(UTC)
