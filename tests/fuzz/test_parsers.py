"""Hypothesis against the two parsers that read untrusted input: the participants CSV and the
websocket messages. Bad input is refused with a readable reason, never with a crash."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from matching import Participant, read_participants_csv
from matching.io import CsvError, RowError, write_participants_csv
from rooms import HelloMessage, MessageError, PingMessage, ResyncMessage, parse_client_message

FAST = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))

HEADER = ["id", "name", "email", "school", "country", "sector", "languages", "interests"]
COUNTRIES = ["NL", "BE", "DK", "DE", "PT", "AT", "ES"]
SECTORS = ["primary", "secondary", "specialised"]
LANGS = ["nl", "en", "de", "da", "pt", "es", "fr"]

words = st.text(
    alphabet=st.characters(categories=["L", "N"], include_characters=" -'"),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() != "")


@st.composite
def valid_rows(draw: st.DrawFn) -> list[list[str]]:
    n = draw(st.integers(min_value=1, max_value=12))
    rows = []
    for i in range(n):
        rows.append(
            [
                f"p{i}",
                draw(words),
                f"p{i}@school{i}.example.org",
                draw(words),
                draw(st.sampled_from(COUNTRIES)),
                draw(st.sampled_from(SECTORS)),
                ";".join(draw(st.lists(st.sampled_from(LANGS), min_size=1, max_size=3))),
                ";".join(draw(st.lists(st.sampled_from(["stem", "inclusion", "arts"])))),
            ]
        )
    return rows


def read(text: str) -> tuple[list[Participant], list[RowError]]:
    try:
        return read_participants_csv(text), []
    except CsvError as exc:
        return [], exc.errors


def parse(raw: str | bytes, **limits: int) -> tuple[Any, str | None]:
    try:
        return parse_client_message(raw, **limits), None
    except MessageError as exc:
        return None, exc.reason


def to_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


@FAST
@given(st.text(max_size=600))
def test_csv_reader_refuses_arbitrary_text_with_row_and_field(text: str) -> None:
    people, errors = read(text)
    assert people or errors  # accepted input always yields participants
    for error in errors:
        assert error.row >= 1
        assert error.field
        assert error.message


@FAST
@given(valid_rows())
def test_valid_csv_reads_every_row_and_survives_a_round_trip(rows: list[list[str]]) -> None:
    people = read_participants_csv(to_csv(rows))
    assert [p.id for p in people] == [r[0] for r in rows]
    assert read_participants_csv(write_participants_csv(people)) == people


@FAST
@given(
    valid_rows(),
    st.data(),
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=600),
)
def test_a_bad_cell_is_reported_on_its_own_row(
    rows: list[list[str]], data: st.DataObject, cell: str
) -> None:
    row = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    column = data.draw(st.integers(min_value=1, max_value=len(HEADER) - 1))
    rows[row][column] = cell
    people, errors = read(to_csv(rows))
    # Every problem is on the changed data row (line row + 2) or, for a line break, after it.
    assert all(e.row >= row + 2 for e in errors), errors
    assert len(people) == (0 if errors else len(rows))


client_messages = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=300),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=60), inner),
        max_leaves=12,
    ).map(json.dumps),
    st.builds(
        lambda kind, version, extra: json.dumps({"type": kind, **version, **extra}),
        st.sampled_from(["ping", "hello", "resync", "state", ""]),
        st.just({}) | st.fixed_dictionaries({"last_version": st.integers() | st.text(max_size=30)}),
        st.dictionaries(
            st.text(min_size=1, max_size=80).filter(lambda k: k != "type"), st.integers()
        ),
    ),
)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(client_messages)
@example(json.dumps({"type": "ping", "é" * 100: 1}))
@example(json.dumps({"type": "ünknown" * 30}))
def test_websocket_parser_accepts_known_messages_or_gives_a_sendable_reason(
    raw: str | bytes,
) -> None:
    parsed, reason = parse(raw)
    if reason is None:
        assert isinstance(parsed, PingMessage | HelloMessage | ResyncMessage)
    else:
        # The reason goes into a close frame: at most 123 bytes of UTF-8.
        assert 0 < len(reason.encode()) <= 123


@FAST
@given(st.integers(min_value=0, max_value=200_000))
def test_oversized_messages_are_refused_before_parsing(pad: int) -> None:
    raw = json.dumps({"type": "ping", "pad": "x" * pad})
    _parsed, reason = parse(raw, max_bytes=4096)
    assert ("too large" in (reason or "")) == (len(raw) > 4096)
