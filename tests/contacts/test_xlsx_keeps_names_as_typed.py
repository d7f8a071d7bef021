"""An XLSX shows a name starting with =, +, - or @ exactly as typed, as text that never evaluates;
the CSV keeps its leading quote (there it is what stops the formula)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from fastapi.testclient import TestClient
from openpyxl.worksheet.worksheet import Worksheet
from sqlmodel import Session

from app.contacts.formats import Table, to_csv, to_xlsx
from app.models import Organiser
from tests.contacts.conftest import add_person, make_world, seat

NAMES = [
    "=cmd|' /C calc'!A0",
    "+32 470 12 34 56",
    "-2+3 Şükrü Ølgaard-Nuñez",
    "@SUM(A1)",
    " =1+1",
    "\uff1d1+1",
    "\uff0b31 6",
    "\uff0d2",
    "\uff20SUM(A1)",
]


def sheet_of(data: bytes) -> Worksheet:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert isinstance(sheet, Worksheet)
    return sheet


@pytest.mark.parametrize("name", NAMES)
def test_xlsx_holds_the_name_as_text_without_an_apostrophe(name: str) -> None:
    table = Table(("Name", "Round"), [(name, 1)], "t")
    cell = sheet_of(to_xlsx(table))["A2"]
    assert cell.value == name
    assert cell.data_type == "s"  # text, not a formula
    assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
    (row,) = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"))))[1:]
    assert row == ["'" + name, "1"]


def test_xlsx_leaves_plain_text_unstyled() -> None:
    cell = sheet_of(to_xlsx(Table(("Name",), [("Eline van den Berg",)], "t")))["A2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("Eline van den Berg", "s", False)


def test_organiser_xlsx_export_shows_crafted_names_as_typed(
    client: TestClient, db: Session, organiser: Organiser, org_auth: dict[str, str]
) -> None:
    w = make_world(db, organiser, ["A"])
    add_person(db, w, "B", name="-2+3 Şükrü Ølgaard-Nuñez")
    add_person(db, w, "C", name="=cmd|' /C calc'!A0")
    seat(db, w, [[["A", "B", "C"]]])
    base = f"/api/v1/events/{w.event.id}/exports/participants"
    xlsx = client.get(f"{base}.xlsx", headers=org_auth)
    assert xlsx.status_code == 200
    sheet = sheet_of(xlsx.content)
    column = [c.value for c in sheet[1]].index("Name")
    cells = {row[column].value: row[column] for row in sheet.iter_rows(min_row=2)}
    assert set(cells) == {"Person A", "-2+3 Şükrü Ølgaard-Nuñez", "=cmd|' /C calc'!A0"}
    assert all(cell.data_type == "s" for cell in cells.values())
    from_csv = client.get(f"{base}.csv", headers=org_auth).content.decode("utf-8-sig")
    assert "'-2+3 Şükrü Ølgaard-Nuñez" in from_csv
    assert "'=cmd|' /C calc'!A0" in from_csv
