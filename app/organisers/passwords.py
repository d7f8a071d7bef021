"""Which new passwords are accepted: long enough and not easy to guess (ASVS 6.2.12).

zxcvbn estimates how many guesses a password takes against frequency lists drawn from leaked
password collections, common words and names, keyboard patterns, dates and the user's own
e-mail address and name. A score below 3 ("safely unguessable" needs 10^8 guesses) is refused
with zxcvbn's own advice, so the organiser learns why.
"""

from __future__ import annotations

from collections.abc import Sequence

from zxcvbn import zxcvbn

from app.errors import InvalidInput, for_organisers

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
    # zxcvbn's own feedback is English; the sentence around it is translated on the pages.
    why = feedback["warning"] or for_organisers(
        "It is close to your e-mail address or name, or too short."
    )
    advice = " ".join(feedback["suggestions"])
    raise InvalidInput(
        for_organisers("This password is too easy to guess. %(hint)s"),
        [{"field": "password", "message": why}],
        hint=f"{why} {advice}".strip(),
    )
