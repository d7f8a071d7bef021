"""Password checks a few at a time: each argon2 hash or verification takes 64 MiB of memory.

Sign-ins run in FastAPI's thread pool, so without a bound a burst of them (a busy morning, or
guesses spread over many addresses and accounts; unknown addresses still spend a hash) would
each take their 64 MiB at the same moment, and a few hundred would get the process killed for
memory, ending every live event it serves. Past `Settings.password_check_wait_s` in line, a
sign-in is answered 503 with Retry-After instead of queueing on.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from app.errors import Unavailable, for_participants
from app.security import PasswordChecksBusy, password_check_slot
from app.settings import Settings

RETRY_AFTER_S = 5
SIGN_INS_BUSY = for_participants(
    "Many people are signing in at this moment. Please try again in a few seconds."
)


class SignInsBusy(Unavailable):
    """Every password-check slot stayed taken: the server, not this caller, is over its limit."""


@contextmanager
def password_check(settings: Settings) -> Iterator[None]:
    """Runs the block (one argon2 hash or verification) in one of the process's slots."""
    try:
        with password_check_slot(
            at_once=settings.password_checks_at_once, wait_s=settings.password_check_wait_s
        ):
            yield
    except PasswordChecksBusy:  # raised only while waiting for a slot, never by the block
        raise SignInsBusy(SIGN_INS_BUSY, retry_after_s=RETRY_AFTER_S) from None
