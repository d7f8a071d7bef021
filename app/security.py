"""Passwords (hashed a few at a time), unguessable link tokens and signed session cookies.

Link and API tokens are 256-bit random strings; only their SHA-256 digest is stored, so a leaked
database does not reveal working links. Digests are looked up by index and then compared in
constant time.
"""

import hashlib
import hmac
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so a failed sign-in takes the same time either way.
_DUMMY_HASH = _hasher.hash("speedmatch-dummy-password")

ORGANISER_COOKIE = "sm_org"
PARTICIPANT_COOKIE = "sm_part"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """True when `password` matches; always spends one argon2 verification."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


class PasswordChecksBusy(Exception):
    """Every password-check slot stayed taken for the whole wait."""


# Per size, so a test that sets another size gets its own; a service has one size.
_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


@contextmanager
def password_check_slot(*, at_once: int, wait_s: float) -> Iterator[None]:
    """Holds one of `at_once` process-wide slots for an argon2 hash or verification (each takes
    64 MiB), waiting up to `wait_s` for one; raises PasswordChecksBusy when none came free.

    A thread semaphore: sync routes run in FastAPI's thread pool, where each sign-in would
    otherwise spend its own 64 MiB at the same moment as every other."""
    with _slots_lock:
        slots = _slots.setdefault(at_once, threading.BoundedSemaphore(at_once))
    if not slots.acquire(timeout=wait_s):
        raise PasswordChecksBusy
    try:
        yield
    finally:
        slots.release()


def new_token() -> str:
    """An unguessable URL-safe token (256 bits of randomness)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, token_hash: str | None) -> bool:
    """Constant-time check that `token` hashes to `token_hash`."""
    if not token_hash:
        return False
    return hmac.compare_digest(hash_token(token), token_hash)


def _serializer(secret_key: str, salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=salt)


def sign_cookie(data: dict[str, Any], *, secret_key: str, kind: str) -> str:
    """A tamper-proof, timestamped cookie value carrying `data`."""
    return _serializer(secret_key, f"speedmatch.{kind}").dumps(data)


def read_cookie(value: str, *, secret_key: str, kind: str, max_age_s: int) -> dict[str, Any] | None:
    """The data in a cookie made by `sign_cookie`, or None when forged, expired or malformed."""
    found = read_signed_cookie(value, secret_key=secret_key, kind=kind, max_age_s=max_age_s)
    return found[0] if found is not None else None


def read_signed_cookie(
    value: str, *, secret_key: str, kind: str, max_age_s: int
) -> tuple[dict[str, Any], datetime] | None:
    """`read_cookie`'s data with the time the cookie was signed."""
    try:
        data, signed_at = _serializer(secret_key, f"speedmatch.{kind}").loads(
            value, max_age=max_age_s, return_timestamp=True
        )
    except BadSignature:
        return None
    return (data, signed_at) if isinstance(data, dict) else None
