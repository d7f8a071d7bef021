"""CSV import edge cases: values the database cannot hold, and rows that do not fit the header."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Organiser
from tests.factories import make_event

HEADER = "id,name,email,school,country,sector,languages,interests,programmes,requests,avoid"


def import_csv(client: TestClient, event_id: str, text: str | bytes) -> dict[str, object]:
    data = text.encode() if isinstance(text, str) else text
    response = client.post(
        f"/api/v1/events/{event_id}/participants/import",
        content=data,
        headers={"content-type": "text/csv"},
    )
    assert response.status_code in (201, 422), response.text
    body: dict[str, object] = response.json()
    return body


def errors_of(body: dict[str, object]) -> set[tuple[object, object]]:
    errors = body.get("errors", [])
    assert isinstance(errors, list)
    return {(e["row"], e["field"]) for e in errors}


@pytest.mark.parametrize(
    ("field", "row"),
    [
        ("id", "i" * 65 + ",Ana,ana@x.nl,School,NL,primary,nl,,,,"),
        ("name", "a1," + "N" * 201 + ",ana@x.nl,School,NL,primary,nl,,,,"),
        ("email", "a1,Ana," + "a" * 316 + "@x.nl,School,NL,primary,nl,,,,"),
        ("school", "a1,Ana,ana@x.nl," + "S" * 201 + ",NL,primary,nl,,,,"),
    ],
)
def test_a_value_longer_than_its_column_is_a_422_naming_row_and_field(
    org_client: TestClient, session: Session, organiser: Organiser, field: str, row: str
) -> None:
    event = make_event(session, organiser)
    good = "b1,Bo,bo@x.be,Other School,BE,primary,nl,,,,"
    body = import_csv(org_client, event.id, "\n".join([HEADER, good, row]))
    assert errors_of(body) == {(3, field)}
    assert org_client.get(f"/api/v1/events/{event.id}/participants").json() == []


def test_a_nul_byte_is_a_422_naming_its_row(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    text = "\n".join([HEADER, "a1,Ana,ana@x.nl,School,NL,primary,nl,,,,", "a2,B\x00o,b@x.be,S,BE"])
    body = import_csv(org_client, event.id, text)
    assert errors_of(body) == {(3, "file")}
    assert "UTF-8" in str(body["detail"])
    assert org_client.get(f"/api/v1/events/{event.id}/participants").json() == []


def test_a_row_one_value_short_is_reported_when_role_or_phone_columns_are_there(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    text = "\n".join(
        [
            HEADER + ",role",
            "a1,Ana,ana@x.nl,School,NL,primary,nl,,,,,teacher",
            '"b1","Bo\nBakker",bo@x.be,School B,BE,primary,nl,,,,',  # role cell missing
            "c1,Cy,cy@x.de,Schule,DE,primary,de,,,,,head,extra",
            "d1,Di,bad-address,Escola,PT,primary,pt,,,,,teacher",
        ]
    )
    body = import_csv(org_client, event.id, text)
    assert body["errors"] == [
        {
            "row": 4,
            "field": "row",
            "message": "has 11 values, the header has 12",
            "code": "value_count",
            "params": {"count": 11, "expected": 12},
        },
        {
            "row": 5,
            "field": "row",
            "message": "has 13 values, the header has 12",
            "code": "value_count",
            "params": {"count": 13, "expected": 12},
        },
        {
            "row": 6,
            "field": "email",
            "message": "'bad-address' is not a valid e-mail address",
            "code": "email_invalid",
            "params": {"value": "bad-address"},
        },
    ]
    assert org_client.get(f"/api/v1/events/{event.id}/participants").json() == []


def test_a_role_column_given_twice_is_refused(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    text = "\n".join([HEADER + ",role,Role", "a1,Ana,ana@x.nl,School,NL,primary,nl,,,,,a,b"])
    body = import_csv(org_client, event.id, text)
    assert errors_of(body) == {(1, "header")}
