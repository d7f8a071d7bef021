"""Participants CSV import: all or nothing, every bad row reported with its row and field.

The policy's columns are parsed and validated by `matching.read_participants_csv`; this module adds
what the service needs on top: UTF-8 decoding with a readable error, the optional `role` and
`phone` columns, required and unique e-mail addresses, and clashes with people already stored.
Cells are stored as plain text; exports neutralise formula-like values (`=`, `+`, `-`, `@`).
"""

import csv
import io
from dataclasses import dataclass

from app.errors import InvalidInput
from matching import CsvError, read_participants_csv
from matching import Participant as Person

EXTRA_COLUMNS = {"role": 200, "phone": 64}
MAX_ROWS = 5000


@dataclass(frozen=True)
class ImportRow:
    line: int
    person: Person
    role: str | None
    phone: str | None


def _error(row: int, field: str, message: str) -> dict[str, object]:
    return {"row": row, "field": field, "message": message}


def decode(data: bytes) -> str:
    """UTF-8 text (a BOM is allowed), or InvalidInput naming the row of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            "The file is not UTF-8 text. In Excel use 'Save as' > 'CSV UTF-8 (comma delimited)'.",
            [_error(row, "file", f"byte 0x{data[exc.start]:02x} is not valid UTF-8")],
        ) from None


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
    try:
        for record in reader:
            line = reader.line_num
            if len(record) == len(names):
                cells = {extra[i]: record[i].strip() for i in extra}
                for name, value in cells.items():
                    if len(value) > EXTRA_COLUMNS[name]:
                        limit = EXTRA_COLUMNS[name]
                        errors.append(_error(line, name, f"is longer than {limit} characters"))
                values[line] = cells
                record = [cell for i, cell in enumerate(record) if i not in extra]
            # Rows keep their line numbers: one written row per read row (blank ones included).
            writer.writerow(record)
    except csv.Error as exc:
        errors.append(_error(reader.line_num, "row", f"unreadable CSV: {exc}"))
    return out.getvalue(), values, errors


def _data_lines(text: str) -> list[int]:
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader, None)
    return [reader.line_num for record in reader if any(cell.strip() for cell in record)]


def parse(data: bytes, *, existing_ids: set[str], existing_emails: set[str]) -> list[ImportRow]:
    """Every row of the file, or InvalidInput listing every problem (nothing is imported)."""
    text = decode(data)
    stripped, extras, errors = _split_extra(text)
    people: list[Person] = []
    try:
        people = read_participants_csv(stripped)
    except CsvError as exc:
        errors.extend(_error(e.row, e.field, e.message) for e in exc.errors)
    if errors:
        errors.sort(key=lambda e: (int(str(e["row"])), str(e["field"])))
        raise InvalidInput(f"{len(errors)} problem(s) in the file; nothing was imported.", errors)
    lines = _data_lines(stripped)
    if len(people) > MAX_ROWS:
        raise InvalidInput(f"At most {MAX_ROWS} participants can be imported at once.")
    rows: list[ImportRow] = []
    seen_emails: dict[str, int] = {}
    for line, person in zip(lines, people, strict=True):
        email = person.email.strip().lower()
        if not email:
            errors.append(_error(line, "email", "is required (personal links are sent there)"))
        elif email in existing_emails:
            errors.append(_error(line, "email", f"{email} is already registered for this event"))
        elif email in seen_emails:
            first = seen_emails[email]
            errors.append(_error(line, "email", f"duplicate e-mail {email} (first on row {first})"))
        else:
            seen_emails[email] = line
        if person.id in existing_ids:
            errors.append(_error(line, "id", f"id {person.id!r} is already used in this event"))
        cells = extras.get(line, {})
        rows.append(ImportRow(line, person, cells.get("role") or None, cells.get("phone") or None))
    if errors:
        raise InvalidInput(f"{len(errors)} problem(s) in the file; nothing was imported.", errors)
    return rows
