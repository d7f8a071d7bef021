"""Participants CSV -> list[Participant]. Every error names its row (file line) and field."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from matching.codes import COUNTRIES, LANGUAGES
from matching.types import Participant, Sector

COLUMNS = (
    "id",
    "name",
    "email",
    "school",
    "country",
    "sector",
    "languages",
    "interests",
    "programmes",
    "requests",
    "avoid",
)
REQUIRED_COLUMNS = ("id", "name", "school", "country", "sector", "languages")
_EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]{2,}$")
_MAX_FIELD = 500


@dataclass(frozen=True)
class RowError:
    """One problem: `message` is English (the CLI and the API show it); `code` names the kind
    of problem and `params` the values its wording needs, so a page can say it in its reader's
    language."""

    row: int  # line number in the file; the header is row 1
    field: str
    message: str
    code: str = ""
    params: Mapping[str, str | int] = dataclass_field(default_factory=dict, hash=False)

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.message}"


class CsvError(ValueError):
    """The participants file has errors; `.errors` lists all of them, not just the first."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        shown = "; ".join(str(e) for e in errors[:10])
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        super().__init__(f"{len(errors)} error(s) in participants CSV: {shown}{more}")


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _tags(value: str) -> frozenset[str]:
    return frozenset(" ".join(tag.lower().split()) for tag in _split(value))


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def comma_separated(text: str) -> str:
    """`text` with commas between cells. Excel in Dutch, German, Danish, Portuguese or Spanish
    saves "CSV" with semicolons; such a file is recognised by its header (semicolons and no
    comma) and rewritten one row per row, so line numbers stay those of the file. List cells
    keep their `;`: Excel quotes them (`"nl;en"`)."""
    first = _LINE_BREAK.split(text.removeprefix("\ufeff"), maxsplit=1)[0]
    if ";" not in first or "," in first:
        return text
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    try:
        for record in reader:
            writer.writerow(record)
    except csv.Error:
        return text  # read_participants_csv reports the unreadable row
    return out.getvalue()


def read_participants_csv(text: str) -> list[Participant]:
    """Parse and validate a participants CSV (UTF-8, header row, list fields separated by `;`;
    a file saved with `;` between the cells is read too: `comma_separated`)."""
    text = comma_separated(text).removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise CsvError([RowError(1, "header", "the file is empty", "file_empty")]) from None
    except csv.Error as exc:
        raise CsvError([unreadable(1, "header", exc)]) from None
    names = [h.strip().lower() for h in header]
    errors: list[RowError] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    unknown = [h for h in names if h not in COLUMNS]
    if missing:
        listed = ", ".join(missing)
        message = f"missing column(s): {listed}"
        errors.append(RowError(1, "header", message, "columns_missing", {"columns": listed}))
    if unknown:
        listed, expected = ", ".join(unknown), ",".join(COLUMNS)
        message = f"unknown column(s): {listed}; expected {expected}"
        params = {"columns": listed, "expected": expected}
        errors.append(RowError(1, "header", message, "columns_unknown", params))
    if len(set(names)) != len(names):
        errors.append(column_twice())
    if errors:
        raise CsvError(errors)

    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(names):
                errors.append(value_count(line, len(record), len(names)))
                continue
            rows.append((line, {k: v.strip() for k, v in zip(names, record, strict=True)}))
    except csv.Error as exc:
        errors.append(unreadable(reader.line_num, "row", exc))

    seen: dict[str, int] = {}
    for line, rec in rows:
        pid = rec["id"]
        if not pid:
            errors.append(RowError(line, "id", "is empty", "empty"))
        elif pid in seen:
            message = f"duplicate id {pid!r} (first on row {seen[pid]})"
            first: dict[str, str | int] = {"value": pid, "first": seen[pid]}
            errors.append(RowError(line, "id", message, "id_duplicate", first))
        else:
            seen[pid] = line

    people: list[Participant] = []
    for line, rec in rows:
        errors.extend(_check_row(line, rec, seen))
        if not errors:
            people.append(_participant(rec))
    if not rows and not errors:
        errors.append(RowError(2, "row", "the file has no participants", "no_participants"))
    if errors:
        raise CsvError(errors)
    return people


def _check_row(line: int, rec: dict[str, str], ids: dict[str, int]) -> list[RowError]:
    errs: list[RowError] = []
    for key, value in rec.items():
        if len(value) > _MAX_FIELD:
            errs.append(too_long(line, key, _MAX_FIELD))
    if not rec["name"]:
        errs.append(RowError(line, "name", "is empty", "empty"))
    if not rec["school"]:
        errs.append(RowError(line, "school", "is empty", "empty"))
    email = rec.get("email", "")
    if email and not _EMAIL.match(email):
        message = f"{email!r} is not a valid e-mail address"
        errs.append(RowError(line, "email", message, "email_invalid", {"value": email}))
    country = rec["country"].upper()
    if country not in COUNTRIES:
        message = f"{rec['country']!r} is not an ISO 3166-1 alpha-2 code"
        params = {"value": rec["country"]}
        errs.append(RowError(line, "country", message, "country_code", params))
    sector = rec["sector"].lower()
    if sector not in {s.value for s in Sector}:
        allowed = " | ".join(s.value for s in Sector)
        message = f"unknown sector {rec['sector']!r}; use {allowed}"
        params = {"value": rec["sector"], "allowed": allowed}
        errs.append(RowError(line, "sector", message, "sector_unknown", params))
    languages = [code.lower() for code in _split(rec["languages"])]
    if not languages:
        message = "at least one language code is required"
        errs.append(RowError(line, "languages", message, "language_missing"))
    for code in languages:
        if code not in LANGUAGES:
            message = f"{code!r} is not an ISO 639-1 code"
            errs.append(RowError(line, "languages", message, "language_code", {"value": code}))
    pid = rec["id"]
    if ";" in pid:  # requests and avoid could never name it: ";" separates their entries
        message = f"{pid!r} contains ';', which separates list entries"
        errs.append(RowError(line, "id", message, "id_separator", {"value": pid}))
    for key in ("requests", "avoid"):
        for other in _split(rec.get(key, "")):
            if other not in ids:
                errs.append(_unknown_id(line, key, other, ids))
            elif other == pid:
                message = "lists the participant themself"
                errs.append(RowError(line, key, message, "self_reference"))
    return errs


def too_long(line: int, field: str, limit: int) -> RowError:
    message = f"is longer than {limit} characters"
    return RowError(line, field, message, "too_long", {"limit": limit})


def value_count(line: int, count: int, expected: int) -> RowError:
    message = f"has {count} values, the header has {expected}"
    return RowError(line, "row", message, "value_count", {"count": count, "expected": expected})


def unreadable(line: int, field: str, exc: csv.Error) -> RowError:
    """The csv module's own (English) reason is kept as a value."""
    return RowError(line, field, f"unreadable CSV: {exc}", "unreadable", {"reason": str(exc)})


def column_twice() -> RowError:
    return RowError(1, "header", "a column appears twice", "column_twice")


def _near_id(ref: str, ids: Iterable[str]) -> str | None:
    """Ids are compared exactly, so `P07` is not `p07`; a reference that matches an id only
    when case is ignored is most likely that id typed differently."""
    folded = ref.casefold()
    return min((pid for pid in ids if pid.casefold() == folded), default=None)


def unknown_id_message(ref: str, ids: Iterable[str]) -> str:
    """Names the id that `ref` most likely meant, if it differs only in case."""
    near = _near_id(ref, ids)
    hint = f" (ids are case-sensitive: did you mean {near!r}?)" if near else ""
    return f"unknown participant id {ref!r}{hint}"


def _unknown_id(line: int, field: str, ref: str, ids: Iterable[str]) -> RowError:
    message = unknown_id_message(ref, ids)
    near = _near_id(ref, ids)
    if near is None:
        return RowError(line, field, message, "unknown_id", {"value": ref})
    return RowError(line, field, message, "unknown_id_case", {"value": ref, "near": near})


def _participant(rec: dict[str, str]) -> Participant:
    return Participant(
        id=rec["id"],
        name=" ".join(rec["name"].split()),
        school=" ".join(rec["school"].split()),
        country=rec["country"].upper(),
        sector=Sector(rec["sector"].lower()),
        languages=frozenset(code.lower() for code in _split(rec["languages"])),
        interests=_tags(rec.get("interests", "")),
        programmes=_tags(rec.get("programmes", "")),
        requests=frozenset(_split(rec.get("requests", ""))),
        avoid=frozenset(_split(rec.get("avoid", ""))),
        email=rec.get("email", ""),
    )


def write_participants_csv(people: list[Participant]) -> str:
    """The inverse of read_participants_csv (used by the generator and tests)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for p in people:
        writer.writerow(
            [
                p.id,
                p.name,
                p.email,
                p.school,
                p.country,
                p.sector.value,
                ";".join(sorted(p.languages)),
                ";".join(sorted(p.interests)),
                ";".join(sorted(p.programmes)),
                ";".join(sorted(p.requests)),
                ";".join(sorted(p.avoid)),
            ]
        )
    return out.getvalue()
