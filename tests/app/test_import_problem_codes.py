"""The service's own import problems (encoding, e-mail addresses, ids already in the event,
database limits, role and phone) carry a code and values too, next to the English message."""

from __future__ import annotations

import pytest

from app.errors import InvalidInput
from app.participants.csv_import import parse

HEADER = "id,name,email,school,country,sector,languages,interests,programmes,requests,avoid"


def coded(data: bytes, **existing: set[str]) -> set[tuple[object, ...]]:
    with pytest.raises(InvalidInput) as caught:
        parse(
            data,
            existing_ids=existing.get("ids", set()),
            existing_emails=existing.get("emails", set()),
        )
    return {
        (e["row"], e["field"], e["code"], tuple(sorted(dict(e["params"]).items())))
        for e in caught.value.errors
    }


def test_the_encoding_problems_have_codes() -> None:
    latin1 = f"{HEADER}\na1,Jürgen,j@x.de,S,DE,primary,de,,,,\n".encode("latin-1")
    assert coded(latin1) == {(2, "file", "not_utf8", (("byte", "fc"),))}
    utf16 = f"{HEADER}\n".encode("utf-16-le")
    assert coded(utf16) == {(1, "file", "nul_byte", ())}


def test_the_service_row_problems_have_codes() -> None:
    rows = [
        HEADER + ",role",
        "a1,Ana,taken@x.nl,School,NL,primary,nl,,,,,teacher",
        "b1,Bo,,School,BE,primary,nl,,,,,teacher",
        "c1,Cy,cy@x.de,Schule,DE,primary,de,,,,," + "r" * 201,
        "d1,Di,di@x.pt,Escola,PT,primary,pt,,,,,teacher",
        "e1,Ed,di@x.pt,Escola,PT,primary,pt,,,,,teacher",
        f"f1,{'F' * 201},f@x.at,Schule,AT,primary,de,,,,,",
        "g1,\u200b,g@x.at,Schule,AT,primary,de,,,,,",
        "h1,Hu,h@x.at,Schule,AT,primary,de,,,,",
    ]
    found = coded("\n".join(rows).encode(), ids={"d1"}, emails={"taken@x.nl"})
    # All in one pass (until 2026-11-29 the e-mail, id and length problems came only once
    # the role and value-count problems were fixed).
    assert found == {
        (2, "email", "email_taken", (("email", "taken@x.nl"),)),
        (3, "email", "email_required", ()),
        (4, "role", "too_long", (("limit", 200),)),
        (5, "id", "id_taken", (("value", "d1"),)),
        (6, "email", "email_duplicate", (("email", "di@x.pt"), ("first", 5))),
        (7, "name", "too_long", (("limit", 200),)),
        (8, "name", "invisible", ()),
        (9, "row", "value_count", (("count", 11), ("expected", 12))),
    }


def test_a_role_column_twice_has_a_code() -> None:
    text = "\n".join([HEADER + ",role,Role", "a1,Ana,ana@x.nl,School,NL,primary,nl,,,,,a,b"])
    assert coded(text.encode()) == {(1, "header", "column_twice", ())}
