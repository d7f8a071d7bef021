"""Every export through the real API: consent respected, accents intact, formulas inert."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
import vobject
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Organiser, Round, RoundStatus
from tests.contacts.conftest import World, add_person, make_world, seat

EVIL = '=HYPERLINK("http://x","y")'


def decide(client: TestClient, w: World, frm: str, to: str, share: bool, met: bool | None) -> None:
    response = client.put(
        f"/api/v1/me/decisions/{w.id(to)}",
        params=w.q(frm),
        json={"share": share, "met": met, "note": f"note {frm}→{to} Erasmus+ KA2"},
    )
    assert response.status_code == 200, response.text


@pytest.fixture
def world(client: TestClient, db: Session, organiser: Organiser) -> World:
    w = make_world(
        db,
        organiser,
        [],
        name="Día de socios: Évora",
        room_names=["Amsterdam", "Évora"],
        room_link_template="https://meet.example.org/{event}-r{round}-{room}",
    )
    add_person(db, w, "A", name="Maëlle Dubois", country="BE", school="École Sainte-Anne")
    add_person(
        db, w, "B", name="João Árvore", country="PT", school="Escola Básica de Évora",
        interests=["stem", "arts"], role="Professora", share_fields=["email", "school"],
    )  # fmt: skip
    add_person(db, w, "C", name=EVIL, country="NL", email="c@school.example", school="-Sneaky")
    add_person(db, w, "D", name="Søren Ødegård", country="DK", phone="+45 12 34 56 78",
               share_fields=["email", "phone"])  # fmt: skip
    seat(db, w, [[["A", "B"], ["C", "D"]], [["A", "C"], ["B", "D"]]])
    decide(client, w, "A", "B", True, True)
    decide(client, w, "B", "A", True, True)
    decide(client, w, "A", "C", True, True)
    decide(client, w, "C", "A", True, None)
    decide(client, w, "C", "D", True, False)  # C: "D did not show up"; D never shares
    decide(client, w, "B", "D", False, True)
    return w


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_my_contacts_in_every_format(client: TestClient, world: World) -> None:
    q = world.q("A")
    listed = client.get("/api/v1/me/contacts", params=q).json()
    assert [c["name"] for c in listed] == ["João Árvore", EVIL]
    joao = listed[0]
    assert joao["school"] == "Escola Básica de Évora"
    assert joao["role"] is None  # not among the fields João chose to share
    assert joao["shared_interests"] == ["stem"]
    assert joao["note"] == "note A→B Erasmus+ KA2"

    vcf = client.get("/api/v1/me/contacts.vcf", params=q)
    assert vcf.headers["content-type"].startswith("text/vcard")
    assert "attachment" in vcf.headers["content-disposition"]
    cards = list(vobject.readComponents(vcf.content.decode("utf-8")))
    assert [c.fn.value for c in cards] == ["João Árvore", EVIL]
    assert cards[0].email.value == "b@school.example"
    assert cards[0].org.value == ["Escola Básica de Évora"]
    assert "round 1 (Amsterdam)" in cards[0].note.value
    assert "Shared programmes: etwinning." in cards[0].note.value

    rows = csv_rows(client.get("/api/v1/me/contacts.csv", params=q).content)
    assert rows[1][:3] == ["João Árvore", "1", "Amsterdam"]
    programmes = rows[0].index("Shared programmes")
    assert rows[1][programmes] == "etwinning"
    assert rows[2][0] == "'" + EVIL  # inert in a spreadsheet
    assert rows[2][3] == "'-Sneaky"

    as_json = json.loads(client.get("/api/v1/me/contacts.json", params=q).content)
    assert as_json[0]["school"] == "Escola Básica de Évora"

    page = client.get("/api/v1/me/contacts.html", params=q)
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src" not in page.headers["content-security-policy"]
    assert "João Árvore" in page.text
    assert "=HYPERLINK(&#34;http://x&#34;,&#34;y&#34;)" in page.text
    assert "Søren" not in page.text


def test_my_rooms_name_the_room_to_pick_and_the_link(client: TestClient, world: World) -> None:
    rooms = client.get("/api/v1/me/rooms", params=world.q("B")).json()
    eid = world.event.id
    assert rooms == [
        {"round": 1, "room": 1, "room_name": "Amsterdam",
         "link": f"https://meet.example.org/{eid}-r1-01"},
        {"round": 2, "room": 2, "room_name": "Évora",
         "link": f"https://meet.example.org/{eid}-r2-02"},
    ]  # fmt: skip


def test_organiser_tables_agree_across_csv_xlsx_and_json(
    client: TestClient, world: World, org_auth: dict[str, str]
) -> None:
    base = f"/api/v1/events/{world.event.id}/exports"
    for kind in ("meetings", "contact-pairs", "participants"):
        from_csv = csv_rows(client.get(f"{base}/{kind}.csv", headers=org_auth).content)
        xlsx = client.get(f"{base}/{kind}.xlsx", headers=org_auth)
        assert xlsx.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
        assert sheet is not None
        assert sheet.freeze_panes == "A2"
        from_xlsx = [
            ["" if c.value is None else str(c.value) for c in row] for row in sheet.iter_rows()
        ]
        # The same rows, but XLSX text is as typed: the CSV's formula-stopping quote is not in it.
        assert from_xlsx == [[c.removeprefix("'") for c in row] for row in from_csv], kind
        records = json.loads(client.get(f"{base}/{kind}.json", headers=org_auth).content)
        assert len(records) == len(from_csv) - 1
        assert list(records[0]) == from_csv[0]
    meetings = csv_rows(client.get(f"{base}/meetings.csv", headers=org_auth).content)
    header = meetings[0]
    by_pair = {(r[header.index("A name")], r[header.index("B name")]): r for r in meetings[1:]}
    assert len(by_pair) == 4
    names = {n for pair in by_pair for n in pair}
    assert names == {"Maëlle Dubois", "João Árvore", "'" + EVIL, "Søren Ødegård"}
    cd = next(
        r for (a, b), r in by_pair.items() if "Søren Ødegård" in (a, b) and "'" + EVIL in (a, b)
    )
    assert cd[header.index("Status")] == "no_show"


def test_organiser_exports_never_hold_unconsented_details(
    client: TestClient, world: World, org_auth: dict[str, str]
) -> None:
    base = f"/api/v1/events/{world.event.id}/exports"
    everything = "".join(
        client.get(f"{base}/{kind}.{fmt}", headers=org_auth).content.decode("utf-8-sig")
        for kind in ("meetings", "contact-pairs", "participants")
        for fmt in ("csv", "json")
    )
    # Søren never agreed to share: his e-mail and phone appear nowhere.
    assert "d@school.example" not in everything
    assert "+45 12 34 56 78" not in everything
    pairs = json.loads(client.get(f"{base}/contact-pairs.json", headers=org_auth).content)
    assert len(pairs) == 2
    assert {frozenset((p["A name"], p["B name"])) for p in pairs} == {
        frozenset(("Maëlle Dubois", "João Árvore")),
        frozenset(("Maëlle Dubois", EVIL)),  # JSON keeps the raw text: it is never evaluated
    }
    joao = next(p for p in pairs if "João Árvore" in (p["A name"], p["B name"]))
    side = "A" if joao["A name"] == "João Árvore" else "B"
    assert joao[f"{side} e-mail"] == "b@school.example"
    assert joao[f"{side} role"] is None  # Professora is not among João's shared fields


def test_zoom_and_bigbluebutton_exports(
    client: TestClient, world: World, org_auth: dict[str, str]
) -> None:
    base = f"/api/v1/events/{world.event.id}/exports"
    zoom = client.get(f"{base}/zoom.csv", headers=org_auth)
    assert zoom.status_code == 200
    lines = zoom.content.decode("utf-8").splitlines()
    assert lines[0] == "Pre-assign Room Name,Email Address"
    assert sorted(lines[1:]) == [
        "Amsterdam,a@school.example",
        "Amsterdam,b@school.example",
        "Évora,c@school.example",
        "Évora,d@school.example",
    ]
    missing = client.get(f"{base}/zoom.csv", params={"round": 9}, headers=org_auth)
    assert missing.status_code == 422
    assert "Round 9 has nobody placed" in missing.json()["detail"]
    groups = json.loads(client.get(f"{base}/bbb.json?round=2", headers=org_auth).content)
    assert groups == [
        {"id": "1", "name": "Amsterdam", "roster": ["A", "C"]},
        {"id": "2", "name": "Évora", "roster": ["B", "D"]},
    ]
    whole = json.loads(client.get(f"{base}/bbb.json", headers=org_auth).content)
    assert whole["event"] == "Día de socios: Évora"
    assert len(whole["rounds"]) == 2


def test_event_report_page(client: TestClient, world: World, org_auth: dict[str, str]) -> None:
    page = client.get(f"/api/v1/events/{world.event.id}/exports/report.html", headers=org_auth)
    assert page.status_code == 200
    assert "attachment" in page.headers["content-disposition"]
    html = page.text
    assert html.count("<svg") == 3
    assert "Día de socios: Évora" in html
    # 4 meetings: A-B held, C-D no-show, A-C held, B-D held; 2 mutual of 3 counted → 67%.
    assert '<div class="figure" id="fig-held"><b>3</b>' in html
    assert '<div class="figure" id="fig-no-show"><b>1</b>' in html
    assert '<div class="figure" id="fig-mutual-rate"><b>67%</b>' in html
    assert "b@school.example" not in html


def test_rounds_an_early_end_left_unplayed_are_not_counted_as_meetings(
    client: TestClient, db: Session, world: World, org_auth: dict[str, str]
) -> None:
    # The organiser ended the event after round 1 of 2: round 2's rooms never met.
    unplayed = db.exec(
        select(Round).where(Round.event_id == world.event.id, Round.number == 2)
    ).one()
    unplayed.status = RoundStatus.PLANNED
    world.event.current_round = 1
    db.add_all([unplayed, world.event])
    db.commit()
    base = f"/api/v1/events/{world.event.id}/exports"
    html = client.get(f"{base}/report.html", headers=org_auth).text
    assert '<div class="figure" id="fig-meetings"><b>2</b>' in html
    meetings = client.get(f"{base}/meetings.json", headers=org_auth).json()
    assert {m["Round"] for m in meetings} == {1}
    summary = {r["Id"]: r for r in client.get(f"{base}/participants.json", headers=org_auth).json()}
    assert summary["A"]["Meetings"] == 1


def test_unknown_export_kind_or_format_is_a_readable_422(
    client: TestClient, world: World, org_auth: dict[str, str]
) -> None:
    base = f"/api/v1/events/{world.event.id}/exports"
    for path in ("meetings.pdf", "secrets.csv"):
        response = client.get(f"{base}/{path}", headers=org_auth)
        assert response.status_code == 422
        assert response.json()["detail"].startswith("Invalid request")
    assert client.get("/api/v1/me/contacts.exe", params=world.q("A")).status_code == 422
