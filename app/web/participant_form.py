"""One participant as an HTML form (organiser's add/fix and the public registration page)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from app.errors import AppError, InvalidInput, for_participants
from app.models import Participant
from app.participants.schemas import SHARE_FIELDS
from matching.io import comma_separated

LIST_FIELDS = ("languages", "interests", "programmes", "requests")
CODE_GAP = re.compile(r"[\s/]+")
TEXT_FIELDS = ("name", "email", "school", "country", "sector", "role", "phone")

# What each field needs. Pydantic's own messages are English and quote regular expressions and
# ISO standards; teachers, many reading in their second language, get these instead, in their
# language (the pages translate them).
FIELD_NEEDS = {
    "name": for_participants("Enter a name."),
    "email": for_participants("Enter an e-mail address, e.g. name@school.eu."),
    "school": for_participants("Enter a school or organisation."),
    "country": for_participants("Enter a two-letter country code, e.g. NL, BE or DE."),
    "sector": for_participants("Choose the kind of school."),
    "languages": for_participants(
        "Enter at least one two-letter language code, e.g. nl, en or de."
    ),
    "interests": for_participants("Enter at most 30 themes of at most 100 characters each."),
    "programmes": for_participants("Enter at most 30 programmes of at most 100 characters each."),
    "requests": for_participants("Enter at most 30 people."),
    "role": for_participants("Use at most 200 characters."),
    "phone": for_participants("Use at most 64 characters."),
    "share_fields": for_participants("Choose from e-mail address, school, role and phone."),
}
# A value longer than the service takes (posted without the form's maxlength): said with its
# limit, not as the missing value FIELD_NEEDS asks for. The limits are the schema's.
TOO_LONG = {
    "name": for_participants("A name can have at most 200 characters."),
    "email": for_participants("An e-mail address can have at most 320 characters."),
    "school": for_participants("A school or organisation can have at most 200 characters."),
    "languages": for_participants("Enter at most 20 language codes."),
}
TOO_LONG_TYPES = ("string_too_long", "too_long")
CHECK_FIELD = for_participants("Check this field.")
EMAIL_USED = for_participants("%(email)s is already registered for this event.")
EMAIL_TAKEN = for_participants(
    "This e-mail address is already registered for this event. "
    "Ask the organiser for your personal link."
)


def split_list(text: str) -> list[str]:
    """'nl, en; de' -> ['nl', 'en', 'de'] (commas, semicolons or new lines separate items)."""
    parts = text.replace(";", ",").replace("\n", ",").split(",")
    return [p.strip() for p in parts if p.strip()]


def values_of(person: Participant | None) -> dict[str, Any]:
    """What the form shows for a participant (empty for a new one)."""
    if person is None:
        return {
            **dict.fromkeys(TEXT_FIELDS, ""),
            **dict.fromkeys(LIST_FIELDS, ""),
            "share_fields": ["email", "school"],
        }
    return {
        **{name: getattr(person, name) or "" for name in TEXT_FIELDS},
        **{name: ", ".join(getattr(person, name)) for name in LIST_FIELDS},
        "share_fields": list(person.share_fields),
    }


def parse(form: FormData) -> tuple[dict[str, Any], dict[str, Any]]:
    """(data for the service's schema, values to show again) from a posted form."""
    raw = {key: str(value) for key, value in form.items() if isinstance(value, str)}
    data: dict[str, Any] = {name: raw.get(name, "").strip() for name in TEXT_FIELDS}
    for name in ("role", "phone"):
        data[name] = data[name] or None
    for name in LIST_FIELDS:
        data[name] = split_list(raw.get(name, ""))
    # Codes hold no spaces: "nl en" or "NL/EN" is two languages (themes may hold spaces).
    data["languages"] = [
        code for item in data["languages"] for code in CODE_GAP.split(item) if code
    ]
    data["share_fields"] = [f for f in form.getlist("share_fields") if f in SHARE_FIELDS]
    shown = {**raw, "share_fields": data["share_fields"]}
    return data, shown


def validate(schema: type[BaseModel], data: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    """The validated model, or None and the problems by field (English: `translated` them)."""
    try:
        return schema.model_validate(data), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else "name"
            too_long = TOO_LONG.get(name) if err["type"] in TOO_LONG_TYPES else None
            errors.setdefault(name, too_long or FIELD_NEEDS.get(name, CHECK_FIELD))
        return None, errors


def refusal(exc: AppError, text: str) -> dict[str, str]:
    """A service refusal next to the field it is about (unknown requests, someone's own id),
    else for the whole form; `text` is the refusal in the reader's language."""
    errors = exc.errors if isinstance(exc, InvalidInput) else []
    named = [str(e.get("field")) for e in errors if e.get("field") in LIST_FIELDS + TEXT_FIELDS]
    return {named[0] if named else "form": text}


def email_taken(people: list[Participant], email: str, *, exclude: str | None = None) -> bool:
    """Whether someone else in the event has this address (case ignored, as the service does)."""
    return any(p.email.casefold() == email.casefold() and p.id != exclude for p in people)


def translated(errors: dict[str, str], gettext: Callable[[str], str]) -> dict[str, str]:
    """The problems by field in the reader's language (a message not in the catalogs stays)."""
    return {name: gettext(message) for name, message in errors.items()}


@dataclass
class CsvRow:
    line: int
    cells: list[str]
    errors: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class CsvReview:
    header: list[str]
    rows: list[CsvRow]
    file_errors: list[dict[str, Any]]


def review(data: bytes, errors: list[dict[str, Any]]) -> CsvReview:
    """The uploaded rows, each with its own problems beside it (line numbers as in the file);
    the page words the problems (app/web/import_problems.py)."""
    text = comma_separated(data.decode("utf-8-sig", errors="replace"))
    reader = csv.reader(io.StringIO(text))
    header: list[str] = []
    rows: list[CsvRow] = []
    start = 1
    for cells in reader:
        if not header:
            header = cells
        elif any(c.strip() for c in cells):
            rows.append(CsvRow(start, cells))
        start = reader.line_num + 1
    by_line = {row.line: row for row in rows}
    file_errors: list[dict[str, Any]] = []
    for err in errors:
        line = int(err.get("row") or 0)
        (by_line[line].errors if line in by_line else file_errors).append(err)
    return CsvReview(header, rows, file_errors)
