"""Participants CSV import: all or nothing, every bad row reported with its row and field.

The policy's columns are parsed and validated by `matching.read_participants_csv`; this module adds
what the service needs on top: UTF-8 decoding with a readable error, the optional `role` and
`phone` columns, required and unique e-mail addresses, values that fit the database's columns,
clashes with people already stored, and `requests`/`avoid` that name people already stored.
Cells are stored as plain text; exports neutralise formula-like values (`=`, `+`, `-`, `@`).
"""

import csv
import io
import re
from dataclasses import dataclass, replace
from typing import Any

from app.errors import InvalidInput, for_organisers
from app.participants.schemas import visible
from app.validators import normalise_email
from matching import CsvError, read_participants_csv
from matching import Participant as Person
from matching.io import RowError, column_twice, comma_separated, too_long, unreadable, value_count

EXTRA_COLUMNS = {"role": 200, "phone": 64}
# The database's column sizes; the planner's own check allows 500 characters per cell.
STORED_LIMITS = {"id": 64, "name": 200, "email": 320, "school": 200}
MAX_ROWS = 5000
REF_COLUMNS = ("requests", "avoid")
LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class ImportRow:
    line: int
    person: Person
    role: str | None
    phone: str | None


def _error(row: int, field: str, message: str, code: str, **params: Any) -> dict[str, object]:
    """One problem as the API sends it: `message` in English, `code` and `params` for a page to
    word it in its reader's language (app/web/import_problems.py)."""
    return {"row": row, "field": field, "message": message, "code": code, "params": params}


def _row_error(error: RowError) -> dict[str, object]:
    return _error(error.row, error.field, error.message, error.code, **error.params)


_NOT_UTF8 = for_organisers(
    "The file is not UTF-8 text. In Excel use 'Save as' > 'CSV UTF-8 (comma delimited)'."
)
_PROBLEMS = for_organisers("%(n)s problem(s) in the file; nothing was imported.")


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM is allowed), or InvalidInput naming the row of the first bad byte."""
    # NUL decodes as UTF-8 but no text file holds it (UTF-16 without a BOM does), and PostgreSQL
    # refuses to store it.
    nul = data.find(b"\x00")
    if nul >= 0:
        row = data[:nul].count(b"\n") + 1
        problem = _error(row, "file", "byte 0x00 (NUL) is not text", "nul_byte")
        raise InvalidInput(_NOT_UTF8, [problem])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        byte = f"{data[exc.start]:02x}"
        problem = _error(row, "file", f"byte 0x{byte} is not valid UTF-8", "not_utf8", byte=byte)
        raise InvalidInput(_NOT_UTF8, [problem]) from None


def _split_extra(text: str) -> tuple[str, dict[int, dict[str, str]], list[dict[str, object]]]:
    """The CSV without the extra columns, the extra values per line, and their errors."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return text, {}, []
    names = [h.strip().lower() for h in header]
    extra = {i: n for i, n in enumerate(names) if n in EXTRA_COLUMNS}
    if not extra:
        return text, {}, []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([h for i, h in enumerate(header) if i not in extra])
    values: dict[int, dict[str, str]] = {}
    errors: list[dict[str, object]] = []
    if len(set(extra.values())) != len(extra):
        errors.append(_row_error(column_twice()))
    previous = reader.line_num
    try:
        for record in reader:
            line = reader.line_num
            if any(cell.strip() for cell in record) and len(record) != len(names):
                # Counted against the whole header here: once the extra columns are cut, a row
                # one value short would line up with the rest and be read without a word.
                errors.append(_row_error(value_count(line, len(record), len(names))))
                record = ["\n" * (line - previous - 1)]  # blank, over as many lines
            elif len(record) == len(names):
                cells = {extra[i]: record[i].strip() for i in extra}
                for name, value in cells.items():
                    if len(value) > EXTRA_COLUMNS[name]:
                        errors.append(_row_error(too_long(line, name, EXTRA_COLUMNS[name])))
                values[line] = cells
                record = _without(record, extra)
            # Rows keep their line numbers: one written row per read row (blank ones included).
            writer.writerow(record)
            previous = line
    except csv.Error as exc:
        errors.append(_row_error(unreadable(reader.line_num, "row", exc)))
    return out.getvalue(), values, errors


def _without(record: list[str], columns: dict[int, str]) -> list[str]:
    """`record` without `columns`, over as many lines: a line break in a dropped cell (Excel's
    Alt+Enter) moves to the last kept cell, which the planner strips. Otherwise every later row
    would be read one line up and get the role and phone of the row before it."""
    kept = [cell for i, cell in enumerate(record) if i not in columns]
    breaks = "".join(LINE_BREAK.findall("".join(record[i] for i in columns)))
    if kept and breaks:
        kept[-1] += breaks
    return kept


def _set_aside_stored_refs(
    text: str, stored: set[str]
) -> tuple[str, dict[tuple[int, str], set[str]]]:
    """The CSV without requests/avoid entries that name people already in the event, and those
    entries by (line, column): the planner's check knows only the ids in the file."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    aside: dict[tuple[int, str], set[str]] = {}
    try:
        header = next(reader, None) if stored else None
        names = [h.strip().lower() for h in header or []]
        columns = {i: n for i, n in enumerate(names) if n in REF_COLUMNS}
        if not columns:
            return text, {}
        writer.writerow(header or [])
        for record in reader:
            if len(record) == len(names):
                for i, name in columns.items():
                    entries = [e.strip() for e in record[i].split(";") if e.strip()]
                    known = {e for e in entries if e in stored}
                    if known:
                        aside[reader.line_num, name] = known
                        kept = ";".join(e for e in entries if e not in known)
                        record[i] = kept + "".join(LINE_BREAK.findall(record[i]))
            writer.writerow(record)  # one written row per read row: line numbers stay
    except csv.Error:
        return text, {}  # the planner's check reports the unreadable row
    return out.getvalue(), aside


def _records(text: str) -> list[tuple[int, dict[str, str]]]:
    """The rows the planner reads (right number of values, not blank) by line, their cells
    stripped, whether or not they are valid: the service's checks run on them either way."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    records: list[tuple[int, dict[str, str]]] = []
    try:
        names = [h.strip().lower() for h in next(reader)]
        for record in reader:
            if len(record) == len(names) and any(cell.strip() for cell in record):
                cells = (cell.strip() for cell in record)
                records.append((reader.line_num, dict(zip(names, cells, strict=True))))
    except (StopIteration, csv.Error):
        pass  # the planner's check reports the empty file or the unreadable row
    return records


def _too_long(line: int, values: dict[str, str]) -> list[dict[str, object]]:
    errors = [
        _row_error(too_long(line, field, STORED_LIMITS[field]))
        for field, value in values.items()
        if len(value.strip()) > STORED_LIMITS[field]
    ]
    for field in ("name", "school"):
        try:
            # An empty one is the planner's "is empty".
            if values[field]:
                visible(values[field])
        except ValueError as exc:
            errors.append(_error(line, field, str(exc), "invisible"))
    return errors


def _service_checks(
    records: list[tuple[int, dict[str, str]]], *, existing_ids: set[str], existing_emails: set[str]
) -> list[dict[str, object]]:
    """What the planner does not check: e-mail addresses (required, unique in the file and the
    event), ids already in the event, and values that fit the database's columns."""
    errors: list[dict[str, object]] = []
    seen_emails: dict[str, int] = {}
    for line, rec in records:
        # As the planner stores them (matching.io), so the limits count what is stored.
        values = {
            "id": rec.get("id", ""),
            "name": " ".join(rec.get("name", "").split()),
            "email": normalise_email(rec.get("email", "")),
            "school": " ".join(rec.get("school", "").split()),
        }
        email = values["email"].strip().lower()
        if not email:
            message = "is required (personal links are sent there)"
            errors.append(_error(line, "email", message, "email_required"))
        elif email in existing_emails:
            message = f"{email} is already registered for this event"
            errors.append(_error(line, "email", message, "email_taken", email=email))
        elif email in seen_emails:
            first = seen_emails[email]
            message = f"duplicate e-mail {email} (first on row {first})"
            errors.append(
                _error(line, "email", message, "email_duplicate", email=email, first=first)
            )
        else:
            seen_emails[email] = line
        if values["id"] in existing_ids:
            message = f"id {values['id']!r} is already used in this event"
            errors.append(_error(line, "id", message, "id_taken", value=values["id"]))
        errors.extend(_too_long(line, values))
    return errors


def _merge(
    planner: list[dict[str, object]], ours: list[dict[str, object]]
) -> list[dict[str, object]]:
    """Both lists in row order; where both found a value too long, only the database's
    (stricter) limit, so the organiser learns the limit that counts at once."""
    stricter = {(e["row"], e["field"]) for e in ours if e["code"] == "too_long"}
    kept = [
        e for e in planner if not (e["code"] == "too_long" and (e["row"], e["field"]) in stricter)
    ]
    return sorted(kept + ours, key=lambda e: (int(str(e["row"])), str(e["field"])))


def parse(data: bytes, *, existing_ids: set[str], existing_emails: set[str]) -> list[ImportRow]:
    """Every row of the file, or InvalidInput listing every problem (nothing is imported)."""
    text = comma_separated(decode(data))
    stripped, extras, errors = _split_extra(text)
    stripped, stored_refs = _set_aside_stored_refs(stripped, existing_ids)
    people: list[Person] = []
    try:
        people = read_participants_csv(stripped)
    except CsvError as exc:
        errors.extend(_row_error(e) for e in exc.errors)
    records = _records(stripped)
    # A bad header leaves no column to trust: its problems come first, alone.
    if not any(e["field"] == "header" for e in errors):
        ours = _service_checks(records, existing_ids=existing_ids, existing_emails=existing_emails)
        errors = _merge(errors, ours)
    if errors:
        raise InvalidInput(_PROBLEMS, errors, n=len(errors))
    if len(people) > MAX_ROWS:
        raise InvalidInput(
            for_organisers("At most %(n)s participants can be imported at once."), n=MAX_ROWS
        )
    rows: list[ImportRow] = []
    for (line, _), read in zip(records, people, strict=True):
        person = replace(
            read,
            email=normalise_email(read.email),
            requests=read.requests | stored_refs.get((line, "requests"), set()),
            avoid=read.avoid | stored_refs.get((line, "avoid"), set()),
        )
        cells = extras.get(line, {})
        rows.append(ImportRow(line, person, cells.get("role") or None, cells.get("phone") or None))
    return rows
