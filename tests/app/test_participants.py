"""Participants: CRUD, the all-or-nothing CSV import, and personal links."""

from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from app.models import EventPhase, Organiser
from tests.factories import make_event

HEADER = "id,name,email,school,country,sector,languages,interests,programmes,requests,avoid"
GOOD_CSV = "\n".join(
    [
        HEADER + ",role,phone",
        "nl1,Lieke de Vries,lieke@school.nl,De Regenboog,NL,primary,nl;en,inclusion,etwinning,,,"
        "teacher,+31 6 1234",
        "dk1,Søren Kierkegård,soren@skole.dk,Ærø Skole,DK,primary,da;en,inclusion;stem,ka1,nl1,,"
        "head,",
        "pt1,João Conceição,joao@escola.pt,Escola Básica,PT,specialised,pt;en,arts,ka2,,,,",
        "de1,Jürgen Weiß,juergen@schule.de,Grundschule Süd,DE,secondary,de;en,stem,,,pt1,,",
    ]
)


def import_csv(client: TestClient, event_id: str, data: bytes) -> Response:
    response: Response = client.post(
        f"/api/v1/events/{event_id}/participants/import",
        content=data,
        headers={"content-type": "text/csv"},
    )
    return response


def test_csv_import_round_trips_accented_names(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    response = import_csv(org_client, event.id, GOOD_CSV.encode("utf-8"))
    assert response.status_code == 201, response.text
    assert response.json()["imported"] == 4
    listed = org_client.get(f"/api/v1/events/{event.id}/participants").json()
    by_id = {p["external_id"]: p for p in listed}
    assert by_id["dk1"]["name"] == "Søren Kierkegård"
    assert by_id["dk1"]["school"] == "Ærø Skole"
    assert by_id["pt1"]["name"] == "João Conceição"
    assert by_id["de1"]["name"] == "Jürgen Weiß"
    assert by_id["nl1"]["role"] == "teacher"
    assert by_id["nl1"]["phone"] == "+31 6 1234"
    assert by_id["dk1"]["requests"] == ["nl1"]
    assert by_id["de1"]["avoid"] == ["pt1"]


def test_csv_with_bad_rows_imports_nothing_and_names_every_problem(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    bad = "\n".join(
        [
            HEADER,
            "a1,Ana,ana@x.pt,Escola A,PT,primary,pt,,,,",
            "a2,Bo,bo@x.dk,Skole B,XX,primary,da,,,,",
            "a3,Cy,ANA@x.pt,School C,NL,college,nl,,,,",
            "a4,Di,di@x.de,Schule D,DE,primary,,,,,",
        ]
    )
    response = import_csv(org_client, event.id, bad.encode())
    assert response.status_code == 422
    errors = {(e["row"], e["field"]) for e in response.json()["errors"]}
    assert {(3, "country"), (4, "sector"), (5, "languages")} <= errors
    assert org_client.get(f"/api/v1/events/{event.id}/participants").json() == []


def test_duplicate_emails_in_file_and_event_are_reported(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    assert import_csv(org_client, event.id, GOOD_CSV.encode()).status_code == 201
    again = "\n".join([HEADER, "x1,X,lieke@school.nl,S,NL,primary,nl,,,,"])
    response = import_csv(org_client, event.id, again.encode())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "email"
    twice = "\n".join(
        [HEADER, "y1,Y,same@x.be,S1,BE,primary,nl,,,,", "y2,Z,Same@x.be,S2,AT,primary,de,,,,"]
    )
    response = import_csv(org_client, event.id, twice.encode())
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "row": 3,
            "field": "email",
            "message": "duplicate e-mail same@x.be (first on row 2)",
            "code": "email_duplicate",
            "params": {"email": "same@x.be", "first": 2},
        }
    ]


def test_wrong_encoding_and_missing_columns_are_clear_4xx(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    latin1 = GOOD_CSV.encode("latin-1", errors="replace")
    response = import_csv(org_client, event.id, latin1)
    assert response.status_code == 422
    assert "UTF-8" in response.json()["detail"]
    assert response.json()["errors"][0]["row"] == 3
    missing = import_csv(org_client, event.id, b"id,name\np1,Ana\n")
    assert missing.status_code == 422
    assert "missing column" in missing.json()["errors"][0]["message"]
    assert import_csv(org_client, event.id, b"").status_code == 422


def test_formula_like_cells_are_stored_as_plain_text(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    csv_text = "\n".join(
        [HEADER, 'f1,"=HYPERLINK(""http://x"",""y"")",f@x.nl,+School,NL,primary,nl,,,,']
    )
    response = import_csv(org_client, event.id, csv_text.encode())
    assert response.status_code == 201, response.text
    person = response.json()["participants"][0]
    assert person["name"] == '=HYPERLINK("http://x","y")'
    assert person["school"] == "+School"


def test_add_edit_remove_one_participant(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser)
    base = f"/api/v1/events/{event.id}/participants"
    created = org_client.post(
        base,
        json={
            "name": "Inês Sá",
            "email": "Ines@Escola.pt",
            "school": "Escola",
            "country": "pt",
            "sector": "specialised",
            "languages": ["PT", "en"],
        },
    )
    assert created.status_code == 201, created.text
    person = created.json()
    assert (person["email"], person["country"], person["languages"]) == (
        "ines@escola.pt",
        "PT",
        ["en", "pt"],
    )
    bad = org_client.post(base, json={**person, "country": "ZZ"})
    assert bad.status_code == 422
    edited = org_client.patch(f"{base}/{person['id']}", json={"school": "Escola Nova"})
    assert edited.json()["school"] == "Escola Nova"
    duplicate = org_client.post(
        base,
        json={
            "name": "Other",
            "email": "ines@escola.pt",
            "school": "X",
            "country": "NL",
            "sector": "primary",
            "languages": ["nl"],
        },
    )
    assert duplicate.status_code == 409
    assert org_client.delete(f"{base}/{person['id']}").status_code == 204
    assert org_client.get(f"{base}/{person['id']}").status_code == 404


def test_finished_event_refuses_participant_changes(
    org_client: TestClient, session: Session, organiser: Organiser
) -> None:
    event = make_event(session, organiser, phase=EventPhase.FINISHED)
    response = import_csv(org_client, event.id, GOOD_CSV.encode())
    assert response.status_code == 409
    assert "finished" in response.json()["detail"]
