"""The "whom they hope to meet" field: what people type (names, e-mail addresses, ids) as the
participants it means, on registration and on the organiser's add and edit forms."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import NamedTuple

from fastapi import Request

from app.models import Participant
from app.web.templating import translate

SPACES = re.compile(r"\s+")


def match_key(text: str) -> str:
    """What a typed name or address is compared by: text that looks the same matches (composed
    or decomposed accents, as phones and keyboards differ; runs of spaces; case)."""
    folded = SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()
    return unicodedata.normalize("NFKC", folded)


class Requests(NamedTuple):
    found: list[str]  # external ids
    missing: list[str]  # as typed: nobody registered under it
    ambiguous: list[str]  # as typed: a name two or more registered people share


def resolve_requests(people: list[Participant], wanted: list[str]) -> Requests:
    """Registrants name people they hope to meet by name or e-mail. A shared name is not
    guessed (the request would silently go to whoever registered first); an e-mail is unique."""
    unique: dict[str, str] = {}
    by_name: dict[str, set[str]] = defaultdict(set)
    for person in people:
        for key in (person.external_id, person.email):
            unique.setdefault(match_key(key), person.external_id)
        by_name[match_key(person.name)].add(person.external_id)
    found: list[str] = []
    missing: list[str] = []
    ambiguous: list[str] = []
    for typed in wanted:
        key = match_key(typed)
        ids = {unique[key]} if key in unique else by_name.get(key, set())
        if len(ids) == 1:
            found.extend(ids)
        else:
            (ambiguous if ids else missing).append(typed)
    return Requests(list(dict.fromkeys(found)), missing, ambiguous)


def requests_error(request: Request, requests: Requests) -> str | None:
    """What the `requests` field says about names it could not turn into one person."""
    texts = []
    if requests.missing:
        texts.append(
            translate(request, "Not registered (yet): %(names)s", names=", ".join(requests.missing))
        )
    if requests.ambiguous:
        texts.append(
            translate(
                request,
                "More than one person registered with the name %(names)s. Enter the e-mail "
                "address of the person you mean instead.",
                names=", ".join(requests.ambiguous),
            )
        )
    return " ".join(texts) or None
