import csv
import io

import pytest

from matching import CsvError, Sector, read_participants_csv, write_participants_csv
from matching.generate import generate_participants

HEADER = "id,name,email,school,country,sector,languages,interests,programmes,requests,avoid\n"


def test_reads_and_normalises_a_valid_file() -> None:
    text = HEADER + (
        "a1,Anna Müller,anna@schule.de,Grundschule Köln,de,Primary,DE; EN, Inclusion ; STEM,"
        "eTwinning,b2,\n"
        "b2,João Simões,joao@escola.pt,Escola Braga,PT,specialised,pt;en,inclusion,,,a1\n"
    )
    people = read_participants_csv(text)
    anna, joao = people
    assert anna.country == "DE"
    assert anna.sector is Sector.PRIMARY
    assert anna.languages == {"de", "en"}
    assert anna.interests == {"inclusion", "stem"}
    assert anna.programmes == {"etwinning"}
    assert anna.requests == {"b2"}
    assert joao.avoid == {"a1"}
    assert joao.name == "João Simões"


def test_reports_every_error_with_row_and_field() -> None:
    text = HEADER + (
        "a1,Anna,anna@x.de,S1,DE,primary,en,,,,\n"
        "a1,Bob,bob@x.nl,S2,NL,primary,en,,,,\n"
        "c3,Cleo,not-an-email,S3,UK,kindergarten,en,,,zz9,\n"
        "d4,,d@x.be,S4,BE,secondary,,,,,\n"
        "e5,Eve,e@x.es,S5,ES,secondary,xx;en,,,,\n"
    )
    with pytest.raises(CsvError) as caught:
        read_participants_csv(text)
    found = {(e.row, e.field) for e in caught.value.errors}
    assert (3, "id") in found  # duplicate id, on the file's third line
    assert (4, "email") in found
    assert (4, "country") in found  # UK is not ISO 3166-1 alpha-2 (GB is)
    assert (4, "sector") in found
    assert (4, "requests") in found
    assert (5, "name") in found
    assert (5, "languages") in found  # missing
    assert (6, "languages") in found  # xx is not ISO 639-1
    messages = " ".join(e.message for e in caught.value.errors)
    assert "duplicate id 'a1'" in messages
    assert "unknown participant id 'zz9'" in messages


def test_rejects_a_header_without_required_columns() -> None:
    with pytest.raises(CsvError) as caught:
        read_participants_csv("id,name,school\nx,y,z\n")
    assert caught.value.errors[0].row == 1
    assert "country" in caught.value.errors[0].message


def test_generated_events_round_trip_through_csv() -> None:
    people = generate_participants(60, seed=4)
    assert read_participants_csv(write_participants_csv(people)) == people
    countries = [p.country for p in people]
    assert countries.count("NL") == 16
    assert len(set(countries)) == 7
    assert generate_participants(60, seed=4) == people


def test_a_request_differing_from_an_id_only_in_case_is_refused_with_that_id_suggested() -> None:
    text = (
        HEADER + "P07,Ana,ana@x.pt,S1,PT,primary,pt;en,,,,\nb2,Bo,bo@x.nl,S2,NL,primary,en,,,p07,\n"
    )
    with pytest.raises(CsvError) as caught:
        read_participants_csv(text)
    [error] = caught.value.errors
    assert (error.row, error.field) == (3, "requests")
    assert "unknown participant id 'p07'" in error.message
    assert "did you mean 'P07'?" in error.message


def test_an_id_with_a_semicolon_is_refused_on_its_own_row() -> None:
    # ";" separates the ids in requests and avoid, so "a;b" could never be named there.
    text = HEADER + "a;b,Ana,,S1,PT,primary,en,,,,\nc,Bo,,S2,NL,primary,en,,,,\n"
    with pytest.raises(CsvError) as caught:
        read_participants_csv(text)
    [error] = caught.value.errors
    assert (error.row, error.field) == (2, "id")
    assert error.message == "'a;b' contains ';', which separates list entries"


def test_a_file_excel_saved_with_semicolons_between_cells_reads_the_same() -> None:
    # Excel with Dutch, German, Danish, Portuguese or Spanish settings saves "CSV" with ";"
    # between the cells, quoting the list cells that hold ";" themselves.
    text = write_participants_csv(generate_participants(12, seed=4))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    semicolons = "\ufeff" + out.getvalue()
    assert '"' in semicolons  # list cells with ";" are quoted, as Excel writes them
    assert read_participants_csv(semicolons) == read_participants_csv(text)
