"""Counting guesses at an organiser's secrets (password, two-step code) within a time window.

Each attempt is recorded before its secret is checked, then counted with the others: guesses
sent all at once each see the ones before, so no more than the limit get checked (ASVS 2.4.1).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from app.errors import TooManyRequests, for_organisers
from app.models import SigninAttempt, utcnow
from app.settings import Settings

# One address may try from many places, and one place (an agency's office) may host many
# organisers: the per-IP budget is therefore larger than the per-account one.
_IP_FACTOR = 4
TOO_MANY_SIGN_INS = for_organisers(
    "Too many failed sign-in attempts. Wait a few minutes and try again."
)
TOO_MANY_CODES = for_organisers("Too many wrong codes. Wait a few minutes and try again.")


def account_key(email: str) -> str:
    """The counter of one account (its normalised e-mail address)."""
    return f"email:{email}"[:400]


def ip_key(client_ip: str) -> str:
    return f"ip:{client_ip}"[:400]


def count(
    session: Session, *, keys: list[str], settings: Settings, refusal: str = TOO_MANY_SIGN_INS
) -> list[int]:
    """Record this attempt, then refuse it (TooManyRequests saying `refusal`) if it is over the
    limit of any of its keys. Returns the ids of its rows; refused, it leaves none behind."""
    cutoff = utcnow() - timedelta(seconds=settings.signin_window_s)
    session.exec(delete(SigninAttempt).where(col(SigninAttempt.created_at) < cutoff))
    rows = [SigninAttempt(key=key) for key in keys]
    session.add_all(rows)
    session.commit()
    ids = [row.id for row in rows if row.id is not None]
    for key in keys:
        limit = settings.signin_attempts_per_window
        if key.startswith("ip:"):
            limit *= _IP_FACTOR
        statement = (
            select(func.count())
            .select_from(SigninAttempt)
            .where(SigninAttempt.key == key, col(SigninAttempt.created_at) >= cutoff)
        )
        if int(session.exec(statement).one()) > limit:
            forget(session, ids)
            raise TooManyRequests(refusal, retry_after_s=settings.signin_window_s)
    return ids


def forget(session: Session, ids: list[int]) -> None:
    """Take back attempts that turned out right."""
    session.exec(delete(SigninAttempt).where(col(SigninAttempt.id).in_(ids)))
    session.commit()


@contextmanager
def counted(
    session: Session, *, keys: list[str], settings: Settings, refusal: str = TOO_MANY_SIGN_INS
) -> Iterator[None]:
    """One attempt for the block: counted before it runs, forgotten if it raises nothing."""
    ids = count(session, keys=keys, settings=settings, refusal=refusal)
    yield
    forget(session, ids)
