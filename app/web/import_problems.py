"""A CSV import's problems in the organiser's language: each is worded from its `code` and
`params` (app/participants/csv_import.py, matching/io.py), its field named by the participant
form's label. The API and the CLI keep the English `message`, which is also the fallback here
for a problem without a known code."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from app.errors import for_organisers
from app.web.participant_form import EMAIL_USED

# The English texts are those of the API's `message`, so an English page reads as before.
PROBLEMS = {
    "file_empty": for_organisers("the file is empty"),
    "no_participants": for_organisers("the file has no participants"),
    "unreadable": for_organisers("unreadable CSV: %(reason)s"),
    "not_utf8": for_organisers("byte 0x%(byte)s is not valid UTF-8"),
    "nul_byte": for_organisers("byte 0x00 (NUL) is not text"),
    "columns_missing": for_organisers("missing column(s): %(columns)s"),
    "columns_unknown": for_organisers("unknown column(s): %(columns)s; expected %(expected)s"),
    "column_twice": for_organisers("a column appears twice"),
    "value_count": for_organisers("has %(count)s values, the header has %(expected)s"),
    "empty": for_organisers("is empty"),
    "too_long": for_organisers("is longer than %(limit)s characters"),
    "invisible": for_organisers("must contain a visible character"),
    "id_duplicate": for_organisers("duplicate id '%(value)s' (first on row %(first)s)"),
    "id_separator": for_organisers("'%(value)s' contains ';', which separates list entries"),
    "id_taken": for_organisers("id '%(value)s' is already used in this event"),
    "email_invalid": for_organisers("'%(value)s' is not a valid e-mail address"),
    "email_required": for_organisers("is required (personal links are sent there)"),
    "email_taken": EMAIL_USED,
    "email_duplicate": for_organisers("duplicate e-mail %(email)s (first on row %(first)s)"),
    "country_code": for_organisers("'%(value)s' is not an ISO 3166-1 alpha-2 code"),
    "sector_unknown": for_organisers("unknown sector '%(value)s'; use %(allowed)s"),
    "language_missing": for_organisers("at least one language code is required"),
    "language_code": for_organisers("'%(value)s' is not an ISO 639-1 code"),
    "unknown_id": for_organisers("unknown participant id '%(value)s'"),
    "unknown_id_case": for_organisers(
        "unknown participant id '%(value)s' (ids are case-sensitive: did you mean '%(near)s'?)"
    ),
    "self_reference": for_organisers("lists the participant themself"),
}

# The participant form's labels; a column without one (id, requests, ...) is named as in the
# file, as the review table's header shows it. "row", "header" and "file" are no column.
LABELS = {
    "name": for_organisers("Name"),
    "email": for_organisers("E-mail address"),
    "school": for_organisers("School"),
    "country": for_organisers("Country"),
    "sector": for_organisers("Kind of school"),
    "languages": for_organisers("Languages"),
    "programmes": for_organisers("Programmes"),
    "role": for_organisers("Role"),
    "phone": for_organisers("Phone"),
}
NOT_A_COLUMN = ("row", "header", "file", "")


def problem_text(error: Mapping[str, Any], gettext: Callable[[str], str]) -> str:
    """One problem in the reader's language, led by its field: "Country: 'XX' is not ..."."""
    template = PROBLEMS.get(str(error.get("code") or ""))
    params = error.get("params") or {}
    try:
        text = gettext(template) % params if template else str(error.get("message") or "")
    except (KeyError, TypeError, ValueError):  # values that do not fit: the English text
        text = str(error.get("message") or "")
    field = str(error.get("field") or "")
    if field in NOT_A_COLUMN:
        return text
    return f"{gettext(LABELS[field]) if field in LABELS else field}: {text}"


def wording(gettext: Callable[[str], str]) -> Callable[[Mapping[str, Any]], str]:
    """`problem_text` for a template."""
    return lambda error: problem_text(error, gettext)
