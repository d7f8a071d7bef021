"""Two-step sign-in secrets, sealed at rest: a copy of the database alone (a backup, a leaked
dump) gives no one an organiser's codes.

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) under a key derived from
SPEEDMATCH_SECRET_KEY with HKDF-SHA256, so there is no second secret to keep safe. A secret
sealed under another key does not open: after the secret key changes, an organiser with
two-step sign-in on cannot sign in until `speedmatch organiser two-step-off EMAIL` is run.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PURPOSE = b"speedmatch two-step sign-in secrets v1"  # a key of its own, not the cookies' key


@lru_cache(maxsize=8)
def _fernet(secret_key: str, purpose: bytes) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose)
    return Fernet(base64.urlsafe_b64encode(derived.derive(secret_key.encode())))


def seal(secret: str, secret_key: str, *, purpose: bytes = PURPOSE) -> str:
    """The secret as stored: encrypted and authenticated (about 120 ASCII characters). Another
    `purpose` (e.g. a one-time notice's cookie) derives a key of its own."""
    return _fernet(secret_key, purpose).encrypt(secret.encode()).decode("ascii")


def unseal(
    sealed: str, secret_key: str, *, purpose: bytes = PURPOSE, max_age_s: int | None = None
) -> str | None:
    """The secret, or None where it was sealed under another key or purpose, more than
    `max_age_s` ago, or is not sealed at all."""
    try:
        return _fernet(secret_key, purpose).decrypt(sealed.encode(), ttl=max_age_s).decode()
    except InvalidToken:
        return None
