"""Which new passwords are accepted: long enough and not easy to guess (ASVS 6.2.12).

zxcvbn estimates how many guesses a password takes against frequency lists drawn from leaked
password collections, common words and names, keyboard patterns, dates and the user's own
e-mail address and name. A score below 3 ("safely unguessable" needs 10^8 guesses) is refused
with zxcvbn's own advice, so the organiser learns why.
"""

from __future__ import annotations

from collections.abc import Sequence

from zxcvbn import zxcvbn

from app.errors import InvalidInput

MIN_SCORE = 3
CHECKED_LENGTH = 72  # zxcvbn's own limit; anything longer is judged by its first 72 characters


def check_new_password(password: str, *, known: Sequence[str] = ()) -> None:
    """Raise InvalidInput when `password` is too easy to guess; `known`: the account's e-mail
    address and name, which the password must not lean on."""
    inputs = [part for value in known for part in (value, *value.replace("@", " ").split())]
    result = zxcvbn(password[:CHECKED_LENGTH], user_inputs=inputs)
    if result["score"] >= MIN_SCORE:
        return
    feedback = result["feedback"]
    why = feedback["warning"] or "It is close to your e-mail address or name, or too short."
    advice = " ".join(feedback["suggestions"])
    raise InvalidInput(
        f"This password is too easy to guess. {why} {advice}".strip(),
        [{"field": "password", "message": why}],
    )
