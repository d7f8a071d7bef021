"""Every problem in a participants CSV carries a stable code and the values its wording needs
(pages word it in the organiser's language), while its English message stays as the CLI and the
API have always shown it."""

from __future__ import annotations

import pytest

from matching import CsvError, RowError, read_participants_csv

HEADER = "id,name,email,school,country,sector,languages,interests,programmes,requests,avoid\n"
GOOD = "a1,Anna,anna@x.de,S1,DE,primary,de,,,,\n"


def problems(text: str) -> list[RowError]:
    with pytest.raises(CsvError) as caught:
        read_participants_csv(text)
    return caught.value.errors


def coded(text: str) -> dict[tuple[int, str, str], dict[str, str | int]]:
    return {(e.row, e.field, e.code): dict(e.params) for e in problems(text)}


def test_each_row_problem_has_its_code_and_values() -> None:
    text = HEADER + (
        GOOD
        + "a1,Bob,bob@x.nl,S2,NL,primary,en,,,,\n"
        + "c3,Cleo,not-an-email,S3,UK,prim,en,,,zz9;A1;c3,\n"
        + ",,d@x.be,,BE,secondary,,,,,\n"
        + "e;5,Eve,e@x.es,S5,ES,secondary,xx;en,,,,\n"
        + "f6,Fay,f@x.at,S6,AT,primary,de,,,,a1\n"
        + "g7,Gus,g@x.be,S7,BE,primary,nl\n"
        + f"h8,{'H' * 501},h@x.be,S8,BE,primary,nl,,,,\n"
    )
    assert coded(text) == {
        (3, "id", "id_duplicate"): {"value": "a1", "first": 2},
        (4, "email", "email_invalid"): {"value": "not-an-email"},
        (4, "country", "country_code"): {"value": "UK"},
        (4, "sector", "sector_unknown"): {
            "value": "prim",
            "allowed": "primary | secondary | specialised",
        },
        (4, "requests", "unknown_id"): {"value": "zz9"},
        (4, "requests", "unknown_id_case"): {"value": "A1", "near": "a1"},
        (4, "requests", "self_reference"): {},
        (5, "id", "empty"): {},
        (5, "name", "empty"): {},
        (5, "school", "empty"): {},
        (5, "languages", "language_missing"): {},
        (6, "id", "id_separator"): {"value": "e;5"},
        (6, "languages", "language_code"): {"value": "xx"},
        (8, "row", "value_count"): {"count": 7, "expected": 11},
        (9, "name", "too_long"): {"limit": 500},
    }


def test_the_english_messages_are_unchanged() -> None:
    text = HEADER + GOOD + "b2,Bob,bob@x.nl,S2,XX,prim,en,,,P1;a1,\n"
    by_code = {e.code: e.message for e in problems(text)}
    assert by_code["country_code"] == "'XX' is not an ISO 3166-1 alpha-2 code"
    assert (
        by_code["sector_unknown"] == "unknown sector 'prim'; use primary | secondary | specialised"
    )
    assert by_code["unknown_id"] == "unknown participant id 'P1'"
    # a1 is a known id: no problem for it
    assert len(by_code) == 3


def test_each_file_problem_has_its_code_and_values() -> None:
    assert coded("") == {(1, "header", "file_empty"): {}}
    assert coded(HEADER) == {(2, "row", "no_participants"): {}}
    assert coded("id,name,school,country,sector,languages,id\n") == {
        (1, "header", "column_twice"): {}
    }
    assert coded("id,name,country,sector,languages,colour\n") == {
        (1, "header", "columns_missing"): {"columns": "school"},
        (1, "header", "columns_unknown"): {
            "columns": "colour",
            "expected": "id,name,email,school,country,sector,languages,interests,programmes,"
            "requests,avoid",
        },
    }
    huge = '"' + "x" * 140_000 + '"'  # over the csv module's field limit
    [header] = problems(f"id,{huge}\n")
    assert (header.row, header.field, header.code) == (1, "header", "unreadable")
    assert header.params == {"reason": "field larger than field limit (131072)"}
    [row] = problems(HEADER + GOOD + f"b2,{huge}\n")
    assert (row.row, row.field, row.code) == (3, "row", "unreadable")
