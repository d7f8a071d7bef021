"""A participants file saved by Excel in Dutch, German or Danish (semicolons between cells)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Organiser, Participant
from tests.factories import make_event
from tests.web.test_organiser_pages import sign_in

# What Excel writes for "CSV UTF-8" with a Dutch list separator: BOM, CRLF, `;` between cells,
# list cells quoted because they hold the `;` themselves.
HEADER = "id;name;email;school;country;sector;languages;interests;programmes;requests;avoid;role"
ANA = 'a1;Ana Sousa;ana@escola.pt;Escola X;PT;primary;"pt;en";inclusion;;;;teacher'
BO = 'b2;Bo Jensen;bo@skole.dk;Skole Y;DK;secondary;"da;en";"stem;inclusion";;a1;;head'


def upload(web: TestClient, event_id: str, rows: list[str]) -> tuple[int, str]:
    data = ("\ufeff" + "\r\n".join([HEADER, *rows]) + "\r\n").encode()
    url = f"/organiser/events/{event_id}/participants/import"
    answer = web.post(url, files={"file": ("deelnemers.csv", data, "text/csv")})
    return answer.status_code, answer.text


def test_a_semicolon_separated_file_is_imported(web: TestClient, db: Session) -> None:
    sign_in(web, db)
    event = make_event(db, db.exec(select(Organiser)).one())
    status, page = upload(web, event.id, [ANA, BO])
    assert status == 200, page
    assert "2 participants imported." in page
    people = {p.external_id: p for p in db.exec(select(Participant)).all()}
    assert people["a1"].languages == ["en", "pt"]
    assert people["a1"].role == "teacher"
    assert people["b2"].interests == ["inclusion", "stem"]
    assert people["b2"].requests == ["a1"]


def test_a_semicolon_file_with_a_bad_row_shows_that_row_cell_by_cell(
    web: TestClient, db: Session
) -> None:
    sign_in(web, db)
    event = make_event(db, db.exec(select(Organiser)).one())
    status, page = upload(web, event.id, [ANA, BO.replace(";DK;", ";Denmark;")])
    assert status == 422
    assert "missing column" not in page
    assert "&#39;Denmark&#39; is not an ISO 3166-1 alpha-2 code" in page
    row = page[page.index('<tr data-line="3"') :]
    row = row[: row.index("</tr>")]
    assert 'class="row-error"' in row
    assert "<td>Bo Jensen</td>" in row  # the review table splits the cells as the import did
    assert db.exec(select(Participant)).all() == []
