"""Pure export writers: plain rows in, bytes out. No database, no web framework.

Every text cell of a CSV goes through `safe_cell`, which neutralises formula injection the OWASP
way: a cell starting with =, +, -, @, tab or CR gets a leading single quote, so Excel, LibreOffice
and Google Sheets show it as text and never evaluate it. The full-width forms (＝ ＋ － ＠) count
too: Excel with an East Asian input language reads them as their ASCII twins and evaluates the
cell. Spaces before the trigger do not make it safe (Google Sheets and LibreOffice trim them on
import), and neither does putting it after a semicolon: where the list separator is ";" (most of
continental Europe) Excel splits an unquoted CSV line there, so the text after each ";" becomes a
cell of its own.

An XLSX cell carries its type, so there the text is kept as typed (a quote would show as part of a
name): every string is a text cell, never a formula, and one that starts with a trigger also gets
the quote-prefix style, which keeps it text when someone edits the cell in Excel.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import vobject
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from app.contacts.names import split_name

Cell = str | int | float | bool | None

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Characters XLSX (XML 1.0) cannot hold: control characters, the noncharacters U+FFFE and
# U+FFFF (openpyxl writes them and the workbook no longer opens) and lone surrogates. Removed
# from CSV too so both formats agree.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = r"[^\S\t\r]*"  # whitespace other than the triggers tab and CR
_TRIGGER = "(?=[" + re.escape("".join(FORMULA_TRIGGERS)) + "])"
_LEADING_TRIGGER = re.compile(_SPACES + _TRIGGER)
# A trigger starting a piece after a ";": the quote goes right before the trigger.
_AFTER_SEMICOLON = re.compile("(;" + _SPACES + ")" + _TRIGGER)


def safe_cell(value: Cell) -> Cell:
    """Neutralise one spreadsheet cell; numbers and booleans pass unchanged."""
    if not isinstance(value, str):
        return value
    text = _AFTER_SEMICOLON.sub(r"\1'", _ILLEGAL.sub("", value))
    if _LEADING_TRIGGER.match(text):
        return "'" + text
    return text


@dataclass(frozen=True)
class Table:
    """A rectangular export: column names and rows of plain cells."""

    columns: tuple[str, ...]
    rows: Sequence[Sequence[Cell]] = ()
    title: str = "export"

    def records(self) -> list[dict[str, Cell]]:
        """Rows as dictionaries keyed by column name (the JSON shape)."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def safe_rows(self) -> list[list[Cell]]:
        """Header plus rows, every cell neutralised: exactly what the CSV holds."""
        out: list[list[Cell]] = [[safe_cell(c) for c in self.columns]]
        out.extend([safe_cell(c) for c in row] for row in self.rows)
        return out


def _xlsx_value(value: Cell) -> Cell:
    """Booleans as yes/no, like the CSV; text only loses what XML cannot hold."""
    if isinstance(value, bool) or value is None:
        return _csv_text(value)
    return _ILLEGAL.sub("", value) if isinstance(value, str) else value


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def to_csv(table: Table) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel opens accents correctly."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in table.safe_rows():
        writer.writerow([_csv_text(c) for c in row])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    """One-sheet workbook: bold shaded header, frozen header row, autofilter, sized columns."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = re.sub(r"[\[\]:*?/\\]", " ", table.title)[:31] or "export"
    for row_no, row in enumerate([table.columns, *table.rows], start=1):
        values = [_xlsx_value(c) for c in row]
        ws.append(values)
        for col_no, value in enumerate(values, start=1):
            if isinstance(value, str) and _LEADING_TRIGGER.match(value):
                # openpyxl turns a string starting with "=" into a formula: force text, and
                # quote-prefix it so Excel keeps it text when the cell is edited.
                triggered = ws.cell(row_no, col_no)
                triggered.data_type = "s"
                triggered.quotePrefix = True
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F4E79")
    for cell in ws[1]:
        cell.font = header_font
        cell.fill = header_fill
    ws.freeze_panes = "A2"
    if table.rows:
        ws.auto_filter.ref = ws.dimensions
    for idx, name in enumerate(table.columns, start=1):
        longest = max([len(name), *(len(_csv_text(r[idx - 1])) for r in table.rows[:500])])
        letter = get_column_letter(idx)
        ws.column_dimensions[letter].width = min(60, max(10, longest + 2))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_json(payload: Any) -> bytes:
    """Pretty UTF-8 JSON that keeps accents readable (JSON strings are never evaluated)."""
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def table_json(table: Table) -> bytes:
    """A table as a JSON list of objects."""
    return to_json(table.records())


@dataclass(frozen=True)
class Card:
    """One contact as it goes into a vCard; empty fields are left out."""

    name: str
    email: str | None = None
    school: str | None = None
    role: str | None = None
    phone: str | None = None
    country: str | None = None
    note: str = ""
    categories: Sequence[str] = ()


def to_vcard(cards: Sequence[Card]) -> bytes:
    """One vCard 3.0 file holding every card (what phones and mail clients import)."""
    chunks: list[str] = []
    for card in cards:
        vc = vobject.vCard()
        vc.add("fn").value = card.name
        family, given = split_name(card.name)
        vc.add("n").value = vobject.vcard.Name(family=family, given=given)
        if card.email:
            email = vc.add("email")
            email.value = card.email
            email.type_param = "INTERNET"
        if card.school:
            vc.add("org").value = [card.school]
        if card.role:
            vc.add("title").value = card.role
        if card.phone:
            tel = vc.add("tel")
            tel.value = card.phone
            tel.type_param = "WORK"
        if card.country:
            vc.add("adr").value = vobject.vcard.Address(country=card.country)
        if card.note:
            vc.add("note").value = card.note
        if card.categories:
            vc.add("categories").value = list(card.categories)
        chunks.append(_refold(vc.serialize()))
    return "".join(chunks).encode("utf-8")


def _refold(text: str, limit: int = 75) -> str:
    """Fold every line at 75 octets (RFC 6350 3.2), never inside a UTF-8 character. vobject
    folds only lines of 75 characters or more, so a shorter Greek or Cyrillic line of up to
    twice that many octets went out whole."""
    out: list[str] = []
    for line in text.replace("\r\n ", "").split("\r\n"):
        piece: list[str] = []
        size = 0
        for char in line:
            octets = len(char.encode("utf-8"))
            if size + octets > limit:
                out.append("".join(piece))
                piece, size = [" "], 1
            piece.append(char)
            size += octets
        out.append("".join(piece))
    return "\r\n".join(out)
