"""A Dutch organiser whose CSV import is refused reads each problem in Dutch: the row, the field
by the participant form's label, and the problem worded from its code; nothing is imported."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Organiser, Participant
from app.web.import_problems import problem_text
from tests.factories import make_event
from tests.web.test_organiser_pages import sign_in

HEADER = "id,name,email,school,country,sector,languages,interests,programmes,requests,avoid\n"
ANA = "a1,Ana,ana@escola.pt,Escola X,PT,specialised,pt;en,,,,\n"
BAD = (
    HEADER
    + ANA
    + "a2,Søren,soren@skole.dk,Nørre Skole,XX,primary,da;en,,,,\n"
    + "a3,Jens,jens@schule.de,Schule,DE,kindergarten,de,,,,\n"
)


def new_event(web: TestClient, db: Session) -> str:
    sign_in(web, db)
    return make_event(db, db.exec(select(Organiser)).one()).id


def upload(web: TestClient, event_id: str, text: str, lang: str = "nl") -> tuple[int, str]:
    page = web.post(
        f"/organiser/events/{event_id}/participants/import?lang={lang}",
        files={"file": ("p.csv", text.encode(), "text/csv")},
    )
    return page.status_code, html.unescape(page.text)


def problems_of(page: str, line: int) -> str:
    """The problems cell of one row of the review table."""
    row = page[page.index(f'<tr data-line="{line}"') :]
    return row[row.index('class="error-cell"') : row.index("</td>")]


def test_a_bad_country_and_a_bad_sector_are_named_by_the_dutch_field_labels(
    web: TestClient, db: Session
) -> None:
    status, page = upload(web, new_event(web, db), BAD)
    assert status == 422
    country = problems_of(page, 3)
    assert "Probleem: Land: " in country
    assert "'XX'" in country
    sector = problems_of(page, 4)
    assert "Probleem: Soort school: " in sector
    assert "'kindergarten'" in sector
    assert "country:" not in page
    assert "sector:" not in page
    assert db.exec(select(Participant)).all() == []


def test_an_address_already_registered_is_said_in_dutch(web: TestClient, db: Session) -> None:
    event_id = new_event(web, db)
    assert upload(web, event_id, HEADER + ANA, lang="en")[0] == 200
    again = HEADER + "b1,Bia,ana@escola.pt,Escola Y,PT,primary,pt,,,,\n"
    status, page = upload(web, event_id, again)
    assert status == 422
    assert "Probleem: E-mailadres: ana@escola.pt is al aangemeld voor dit evenement." in page
    assert [p.external_id for p in db.exec(select(Participant)).all()] == ["a1"]


def test_a_problem_of_the_header_row_names_the_row_in_dutch(web: TestClient, db: Session) -> None:
    no_school = "id,name,email,country,sector,languages\na1,Ana,ana@escola.pt,PT,primary,pt\n"
    status, page = upload(web, new_event(web, db), no_school)
    assert status == 422
    assert "Rij 1: " in page
    assert "row 1, header" not in page


def test_a_problem_is_worded_from_its_code_and_an_unknown_code_keeps_its_message() -> None:
    catalogue = {
        "'%(value)s' is not an ISO 3166-1 alpha-2 code": "'%(value)s' is geen landcode",
        "Country": "Land",
    }
    error = {"row": 3, "field": "country", "message": "English", "code": "country_code"}
    worded = problem_text({**error, "params": {"value": "XX"}}, lambda m: catalogue.get(m, m))
    assert worded == "Land: 'XX' is geen landcode"
    unknown = {"row": 3, "field": "avoid", "message": "an English text", "code": "new_kind"}
    assert problem_text(unknown, lambda m: m) == "avoid: an English text"
    assert problem_text({**unknown, "field": "row"}, lambda m: m) == "an English text"
