"""The pure export writers: what a spreadsheet, a phone or Zoom will make of the bytes."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import openpyxl
import pytest
import vobject

from app.contacts.formats import Card, Table, safe_cell, to_csv, to_vcard, to_xlsx
from app.contacts.report import Meeting, MeetingStatus, PersonFacts, compute, meeting_status, render
from app.contacts.video import (
    ExportLimitError,
    Seat,
    bbb_export,
    bbb_groups,
    room_link,
    room_name,
    zoom_csv,
)

EVIL = '=HYPERLINK("http://x","y")'


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))


def xlsx_rows(data: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return [["" if c.value is None else c.value for c in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("text", ["=1+1", "+31 6 1234", "-2", "@SUM(A1)", "\tcmd", "\rcmd", EVIL])
def test_every_formula_trigger_is_neutralised(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["\uff1d1+1", "\uff0b31 6 1234", "\uff0d2", "\uff20SUM(A1)"])
def test_full_width_formula_triggers_are_neutralised_in_csv_and_xlsx(text: str) -> None:
    # Excel with an East Asian input language evaluates full-width = + - @ like ASCII ones.
    assert safe_cell(text) == "'" + text
    table = Table(("Name",), [(text,)], "t")
    assert csv_rows(to_csv(table))[1] == ["'" + text]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(table))).active
    assert sheet is not None
    # An XLSX cell is typed: text as typed, never a formula (no quote to show in the name).
    assert (sheet["A2"].value, sheet["A2"].data_type) == (text, "s")


def test_plain_text_and_numbers_pass_unchanged() -> None:
    assert safe_cell("Escola Básica de Évora") == "Escola Básica de Évora"
    assert safe_cell(-3) == -3
    assert safe_cell(None) is None


def test_formula_name_is_inert_text_in_csv_and_xlsx() -> None:
    table = Table(("Name", "Round"), [(EVIL, 1)], "t")
    assert csv_rows(to_csv(table))[1] == ["'" + EVIL, "1"]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(table))).active
    assert sheet is not None
    cell = sheet["A2"]
    assert cell.data_type == "s"  # a string, not a formula
    assert cell.value == EVIL


def test_xlsx_holds_the_rows_of_the_csv_as_typed_with_a_styled_frozen_header() -> None:
    table = Table(
        ("Name", "School", "Round", "Mutual", "Note"),
        [
            ("Maëlle Dubois", "École Saint-Éxupéry", 1, True, None),
            ("Søren Ødegård", "Skolen på Ærø", 2, False, "KA2 on inclusion, 2027"),
            (EVIL, "-Sneaky", 3, True, "@me"),
        ],
        "Meetings",
    )
    from_csv = csv_rows(to_csv(table))
    from_xlsx = [[str(v) for v in row] for row in xlsx_rows(to_xlsx(table))]
    # The CSV's leading quote (what stops a formula there) is not part of the XLSX text.
    assert from_xlsx == [[c.removeprefix("'") for c in row] for row in from_csv]
    assert from_csv[3] == ["'" + EVIL, "'-Sneaky", "3", "yes", "'@me"]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(table))).active
    assert sheet is not None
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.title == "Meetings"


def test_control_characters_do_not_break_the_workbook() -> None:
    table = Table(("Name",), [("Jüri\x00\x07 Tamm",)], "t")
    assert xlsx_rows(to_xlsx(table))[1] == ["Jüri Tamm"]
    assert csv_rows(to_csv(table))[1] == ["Jüri Tamm"]


def test_noncharacters_do_not_corrupt_the_workbook() -> None:
    # XML 1.0 cannot hold U+FFFE or U+FFFF: left in, Excel refuses to open the whole file.
    table = Table(("Name", "School"), [("Ann\ufffe Lee", "School\uffff 7")], "t")
    assert xlsx_rows(to_xlsx(table))[1] == ["Ann Lee", "School 7"]
    assert csv_rows(to_csv(table))[1] == ["Ann Lee", "School 7"]


def test_vcard_file_parses_back_with_every_card_and_accent() -> None:
    cards = [
        Card("Maëlle Dubois", email="maelle@ecole.example", school="École Sainte-Anne",
             role="Directrice", phone="+32 470 00 00 00", country="BE",
             note="Met in round 1.\nMy note: KA2, 2027", categories=["Día de socios"]),
        Card("João Árvore", email="joao@escola.example", country="PT"),
    ]  # fmt: skip
    parsed = list(vobject.readComponents(to_vcard(cards).decode("utf-8")))
    assert [c.fn.value for c in parsed] == ["Maëlle Dubois", "João Árvore"]
    first = parsed[0]
    assert first.email.value == "maelle@ecole.example"
    assert first.org.value == ["École Sainte-Anne"]
    assert first.tel.value == "+32 470 00 00 00"
    assert first.note.value == "Met in round 1.\nMy note: KA2, 2027"
    assert first.n.value.family == "Dubois"
    assert not hasattr(parsed[1], "tel")


def seats(round_no: int, rooms: int, per_room: int) -> list[Seat]:
    return [
        Seat(round_no, r, f"Room {r:02d}", f"p{r}-{i}", f"P {r}-{i}", f"p{r}-{i}@x.example")
        for r in range(1, rooms + 1)
        for i in range(per_room)
    ]


def test_zoom_csv_has_exactly_the_header_and_one_row_per_placed_person_of_round_1() -> None:
    data = zoom_csv(seats(1, 3, 2) + seats(2, 3, 2) + [Seat(1, 4, "Room 04", "n", "N", "")])
    text = data.decode("utf-8")
    assert not data.startswith(b"\xef\xbb\xbf")
    lines = text.splitlines()
    assert lines[0] == "Pre-assign Room Name,Email Address"
    assert lines[1:] == [f"Room {r:02d},p{r}-{i}@x.example" for r in (1, 2, 3) for i in (0, 1)]


def test_zoom_limits_are_enforced_with_a_readable_error() -> None:
    with pytest.raises(ExportLimitError, match="at most 100 breakout rooms"):
        zoom_csv(seats(1, 101, 2))
    with pytest.raises(ExportLimitError, match="at most 1000 pre-assigned people"):
        zoom_csv(seats(1, 100, 11))
    with pytest.raises(ExportLimitError, match="nobody placed"):
        zoom_csv([])
    assert len(zoom_csv(seats(1, 100, 10)).decode().splitlines()) == 1001


def test_bbb_groups_follow_the_create_parameter_shape() -> None:
    groups = bbb_groups(seats(1, 2, 2) + seats(2, 1, 4), 1)
    assert groups == [
        {"id": "1", "name": "Room 01", "roster": ["p1-0", "p1-1"]},
        {"id": "2", "name": "Room 02", "roster": ["p2-0", "p2-1"]},
    ]
    everything = bbb_export(seats(1, 2, 2) + seats(2, 1, 4), "Día")
    assert [r["round"] for r in everything["rounds"]] == [1, 2]
    json.dumps(everything)


def test_room_names_and_links() -> None:
    assert room_name(7) == "Room 07"
    assert room_name(2, ["Amsterdam", "Évora"]) == "Évora"
    assert room_name(3, ["Amsterdam"], stored="Kopenhagen") == "Kopenhagen"
    template = "https://meet.example.org/{event}-r{round}-{room}"
    assert room_link(template, "ev1", 2, 7) == "https://meet.example.org/ev1-r2-07"
    with pytest.raises(ExportLimitError, match=r"\{token\}"):
        room_link("https://x/{token}", "ev1", 1, 1)


def test_meeting_status_combines_both_answers() -> None:
    assert meeting_status([True, None]) is MeetingStatus.HELD
    assert meeting_status([False]) is MeetingStatus.NO_SHOW
    assert meeting_status([True, False]) is MeetingStatus.DISPUTED
    assert meeting_status([]) is MeetingStatus.UNCONFIRMED


def test_report_figures_and_charts() -> None:
    people = [
        PersonFacts("a", "NL", "primary", False),
        PersonFacts("b", "BE", "secondary", False),
        PersonFacts("c", "PT", "specialised", True),
        PersonFacts("d", "NL", "primary", False),
    ]
    meetings = [
        Meeting(1, 1, "Room 01", "a", "b", MeetingStatus.HELD, True),
        Meeting(1, 2, "Room 02", "c", "d", MeetingStatus.NO_SHOW, False),
        Meeting(2, 1, "Room 01", "a", "d", MeetingStatus.UNCONFIRMED, False),
        Meeting(2, 2, "Room 02", "b", "d", MeetingStatus.HELD, True),
    ]
    stats = compute("Día <script>", people, meetings)
    assert stats.absent == 1
    assert stats.status_counts == {"held": 2, "no_show": 1, "disputed": 0, "unconfirmed": 1}
    assert stats.mutual_pairs == 2
    assert stats.mutual_rate == pytest.approx(2 / 3)
    assert stats.countries == ["BE", "NL", "PT"]
    # NL-BE met twice (a-b, b-d), NL-NL once (a-d); the PT no-show is left out.
    assert stats.matrix == [[0, 2, 0], [2, 1, 0], [0, 0, 0]]
    html = render(stats, datetime(2026, 6, 1))
    assert html.count("<svg") == 3
    assert "Día &lt;script&gt;" in html
    assert "<script>" not in html
    assert "67%" in html
