"""Formula injection that slips past a first-character check: spaces before the trigger, and a
trigger after a ";" where Excel splits CSV lines on ";" (the list separator in most of Europe)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.contacts.formats import FORMULA_TRIGGERS, Table, to_csv, to_xlsx
from app.models import Organiser
from tests.contacts.conftest import add_person, make_world, seat

DDE = "=cmd|' /C calc'!A0"


def dangerous(cell: str) -> bool:
    """Whether a spreadsheet that trims leading spaces would read `cell` as a formula."""
    return cell.lstrip(" \u00a0\u3000").startswith(FORMULA_TRIGGERS)


def cells_as_excel_splits_them(data: bytes, delimiter: str) -> list[str]:
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


@pytest.mark.parametrize("text", [" =1+1", "   @SUM(A1)", "\u00a0+32 470", "\u3000\uff1d1+1"])
def test_spaces_before_a_trigger_do_not_let_a_formula_through(text: str) -> None:
    table = Table(("Name",), [(text,)], "t")
    for cell in cells_as_excel_splits_them(to_csv(table), ","):
        assert not dangerous(cell), cell
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(table))).active
    assert sheet is not None
    assert (sheet["A2"].value, sheet["A2"].data_type) == (text, "s")  # text, as typed


@pytest.mark.parametrize("text", [f"Ann;{DDE};", "Ann; =1+1", "x;@SUM(A1);y", "a;-2;+3"])
def test_a_trigger_after_a_semicolon_is_inert_where_excel_splits_on_semicolons(
    text: str,
) -> None:
    data = to_csv(Table(("Name", "Country"), [(text, "BE")], "t"))
    for delimiter in (",", ";"):
        for cell in cells_as_excel_splits_them(data, delimiter):
            assert not dangerous(cell), (delimiter, cell)


def test_plain_semicolons_and_dashes_are_left_alone() -> None:
    data = to_csv(Table(("Note",), [("KA1; KA2 - job-shadowing; mobility",)], "t"))
    assert cells_as_excel_splits_them(data, ",")[1] == "KA1; KA2 - job-shadowing; mobility"


def test_organiser_export_of_a_crafted_name_opens_inert_in_a_semicolon_excel(
    client: TestClient, db: Session, organiser: Organiser, org_auth: dict[str, str]
) -> None:
    w = make_world(db, organiser, ["A"])
    add_person(db, w, "B", name=f"Bo;{DDE};", school=" =HYPERLINK(1)")
    seat(db, w, [[["A", "B"]]])
    for kind in ("meetings", "participants"):
        response = client.get(f"/api/v1/events/{w.event.id}/exports/{kind}.csv", headers=org_auth)
        assert response.status_code == 200
        for delimiter in (",", ";"):
            for cell in cells_as_excel_splits_them(response.content, delimiter):
                assert not dangerous(cell), (kind, delimiter, cell)
